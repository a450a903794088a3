import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chooseTemplates } from '../../src/cli/templates.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { startWatch, type WatchEvent, type WatchHandle, type WatchOptions } from '../../src/watch/index.js';
import {
  drop,
  jsonl,
  jsonlLine,
  listFiles,
  readJournal,
  sleep,
  smallRun,
  startUid,
  tempDir,
  waitFor,
} from './helpers.js';

const dirs: string[] = [];
const handles: WatchHandle[] = [];
after(async () => {
  // A failed test must not leave a watcher keeping the process alive.
  for (const h of handles) await h.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

interface Daemon {
  spool: string;
  out: string;
  events: WatchEvent[];
  handle: WatchHandle;
  runs(status?: string): WatchEvent[];
  /** Documents the daemon has read from the logs (counted before it pushes them). */
  documents(): number;
}

async function daemon(
  prefix: string,
  extra: Partial<WatchOptions> = {},
  dirsIn?: { spool: string; out: string },
): Promise<Daemon> {
  const base = dirsIn === undefined ? tempDir(prefix) : undefined;
  if (base !== undefined) dirs.push(base);
  const spool = dirsIn?.spool ?? path.join(base!, 'spool');
  const out = dirsIn?.out ?? path.join(base!, 'out');
  fs.mkdirSync(spool, { recursive: true });
  fs.mkdirSync(out, { recursive: true });
  const events: WatchEvent[] = [];
  let documents = 0;
  const handle = await startWatch(
    {
      spool,
      outRoot: out,
      loadTemplates: () => chooseTemplates({}),
      statusIntervalMs: 0,
      pollIntervalMs: 500,
      registry: createDefaultRegistry(),
      ...extra,
    },
    {
      onEvent: (e) => events.push(e),
      onItems: (_log, items) => (documents += items.filter((i) => i.kind === 'document').length),
    },
  );
  handles.push(handle);
  const runs = (status?: string): WatchEvent[] =>
    events.filter((e) => e.kind === 'run' && (status === undefined || e.record.status === status));
  return { spool, out, events, handle, runs, documents: () => documents };
}

const BULK = 50;
const nxs = (d: Daemon): string[] => listFiles(d.out).filter((f) => f.endsWith('.nxs'));

describe('watch: the spool daemon', () => {
  // 50 logs here; 10,000 through a daemon process in watch/scale.slow.test.ts.
  test(`${BULK} small logs dropped at once give ${BULK} files, each recorded once`, async () => {
    const d = await daemon('bulk');
    const uids = new Set<string>();
    for (let i = 1; i <= BULK; i++) {
      const docs = smallRun(i);
      uids.add(startUid(docs));
      drop(path.join(d.spool, `sub${i % 4}`, `run${i}.jsonl`), jsonl(docs));
    }
    await waitFor(() => d.runs().length >= BULK, `${BULK} runs`, 90_000);
    const summary = await d.handle.stop();
    assert.equal(nxs(d).length, BULK);
    const journal = readJournal(d.handle.stateDir);
    assert.equal(journal.length, BULK);
    assert.deepEqual(new Set(journal.map((r) => r.uid)), uids);
    assert.ok(
      journal.every(
        (r) =>
          r.status === 'written' && r.file !== undefined && fs.existsSync(r.file) && r.templateSha256?.length === 64,
      ),
    );
    assert.equal(summary.runsWritten, BULK);
    assert.equal(summary.runsFailed, 0);
    assert.deepEqual(
      listFiles(d.out).filter((f) => f.includes('nxlayout-tmp')),
      [],
    );
  });

  test('a log growing line by line: the file appears only after the stop document', async () => {
    const d = await daemon('grow');
    const docs = smallRun(7, { events: 5 });
    const log = path.join(d.spool, 'live.jsonl');
    for (const [i, named] of docs.entries()) {
      // Half lines too: a document cut by the end of file waits for the rest.
      const line = jsonlLine(named);
      fs.appendFileSync(log, line.slice(0, 10));
      await sleep(30);
      fs.appendFileSync(log, line.slice(10));
      // The document read (and pushed, in the same turn): a file now would be one before the stop.
      await waitFor(() => d.documents() >= i + 1, `document ${i + 1} read`);
      if (i < docs.length - 1) assert.equal(nxs(d).length, 0, `no file before the stop (after document ${i + 1})`);
    }
    await waitFor(() => d.runs().length === 1, 'the run');
    const [run] = d.runs();
    assert.ok(run.kind === 'run' && run.record.status === 'written' && run.result.events === 5);
    assert.deepEqual(nxs(d), ['00007_' + startUid(docs).slice(0, 8) + '.nxs']);
    await d.handle.stop();
  });

  test('two interleaved runs in one log, and a run split over two logs', async () => {
    const d = await daemon('interleave');
    const a = smallRun(1, { events: 4 });
    const b = smallRun(2, { events: 4 });
    const mixed = a.flatMap((doc, i) => [doc, b[i]]);
    drop(path.join(d.spool, 'both.jsonl'), jsonl(mixed));
    await waitFor(() => d.runs().length === 2, 'two runs');
    const c = smallRun(3, { events: 4 });
    fs.writeFileSync(path.join(d.spool, 'c-part1.jsonl'), jsonl(c.slice(0, 3)));
    // The first part read (its run open) before the second part exists.
    await waitFor(() => d.handle.status().runsOpen === 1, 'the split run open');
    fs.writeFileSync(path.join(d.spool, 'c-part2.jsonl'), jsonl(c.slice(3)));
    await waitFor(() => d.runs().length === 3, 'the split run');
    const split = d.runs()[2];
    assert.ok(split.kind === 'run' && split.record.status === 'written' && split.result.events === 4);
    assert.ok(split.kind === 'run');
    assert.deepEqual(
      split.record.logs?.map((l: string) => path.basename(l)),
      ['c-part1.jsonl', 'c-part2.jsonl'],
    );
    await d.handle.stop();
    assert.equal(nxs(d).length, 3);
  });

  test('a run present in two logs is written once, also after a restart', async () => {
    // The waits below prove that nothing more happens: 2.5 and 2 safety-net polls (was 800 and 600 ms at 500).
    const d = await daemon('twice', { pollIntervalMs: 100 });
    const docs = smallRun(5);
    drop(path.join(d.spool, 'a.jsonl'), jsonl(docs));
    drop(path.join(d.spool, 'copy', 'a.jsonl'), jsonl(docs));
    await waitFor(() => d.runs().length === 1, 'the run');
    await sleep(250);
    await d.handle.stop();
    assert.equal(d.runs().length, 1);
    assert.ok(d.events.every((e) => e.kind !== 'run' || e.record.status === 'written'));
    const again = await daemon('twice', { pollIntervalMs: 100 }, { spool: d.spool, out: d.out });
    await sleep(200);
    const summary = await again.handle.stop();
    assert.equal(again.runs().length, 0, 'nothing rewritten after a restart');
    // Both logs are marked as read in the journal: unchanged, they are not even opened again.
    assert.equal(summary.runsSkipped, 0);
    assert.equal(summary.logsDone, 2);
    assert.equal(readJournal(again.handle.stateDir).length, 1);
    assert.equal(nxs(again).length, 1);
  });

  test('a file renamed into place before a crash cut its journal record is recorded, not failed', async () => {
    const d = await daemon('recover');
    const docs = smallRun(9);
    drop(path.join(d.spool, 'r.jsonl'), jsonl(docs));
    await waitFor(() => d.runs().length === 1, 'the run');
    await d.handle.stop();
    fs.writeFileSync(path.join(d.handle.stateDir, 'journal.jsonl'), '{"status":"writ');
    const again = await daemon('recover', {}, { spool: d.spool, out: d.out });
    await waitFor(() => again.events.some((e) => e.kind === 'recovered'), 'the recovery');
    await again.handle.stop();
    assert.equal(again.runs().length, 0);
    assert.ok(
      again.events.some((e) => e.kind === 'diagnostic' && e.diagnostic.code === 'WATCH_STATE'),
      'the torn line is reported',
    );
    const journal = readJournal(again.handle.stateDir);
    assert.deepEqual(
      journal.map((r) => [r.uid, r.status]),
      [[startUid(docs), 'written']],
    );
    assert.match(journal[0].reason ?? '', /^recovered/);
  });

  test('a garbage log among good ones is rejected and recorded; the others are written', async () => {
    const d = await daemon('garbage');
    drop(path.join(d.spool, 'good1.jsonl'), jsonl(smallRun(1)));
    drop(path.join(d.spool, 'junk.jsonl'), 'this is not json\n\u0000\u0001\u0002 garbage\n');
    drop(path.join(d.spool, 'junk2.json'), '{"not": "a log"\n');
    drop(path.join(d.spool, 'notes.txt'), 'ignored: not a log name');
    drop(path.join(d.spool, 'good2.jsonl'), jsonl(smallRun(2)));
    await waitFor(
      () => d.runs().length === 2 && d.events.filter((e) => e.kind === 'log-rejected').length === 2,
      'two runs and two rejections',
    );
    drop(path.join(d.spool, 'good3.jsonl'), jsonl(smallRun(3)));
    await waitFor(() => d.runs().length === 3, 'the daemon goes on');
    const summary = await d.handle.stop();
    const rejected = readJournal(d.handle.stateDir).filter((r) => r.status === 'rejected-log');
    assert.deepEqual(rejected.map((r) => path.basename(r.log)).sort(), ['junk.jsonl', 'junk2.json']);
    assert.ok(rejected.every((r) => (r.reason ?? '').length > 0));
    assert.equal(summary.logsRejected, 2);
    assert.equal(nxs(d).length, 3);
    assert.deepEqual(
      fs.readFileSync(path.join(d.spool, 'junk.jsonl'), 'utf8'),
      'this is not json\n\u0000\u0001\u0002 garbage\n',
      'inputs are left as they were',
    );
  });

  test('--finalize-after writes a run whose log stopped growing as incomplete', async () => {
    // 300 ms (was 600), the checks with it: what is shown is the order (none before the delay, one after).
    const delay = 300;
    const d = await daemon('finalize', { finalizeAfterMs: delay });
    const docs = smallRun(4, { stop: false });
    const log = path.join(d.spool, 'no-stop.jsonl');
    fs.writeFileSync(log, jsonl(docs));
    // The delay runs from the log's mtime (run-activity.ts), which the kernel's coarse clock may set a few ms before Date.now().
    const t0 = fs.statSync(log).mtimeMs;
    await sleep(delay / 2);
    // A loaded machine may sleep past the delay: what counts is that no run came before it.
    if (Date.now() - t0 < delay) assert.equal(d.runs().length, 0, 'not before the delay');
    await waitFor(() => d.runs().length === 1, 'the incomplete run');
    assert.ok(Date.now() - t0 >= delay, 'not before the delay');
    const summary = await d.handle.stop();
    assert.deepEqual(
      readJournal(d.handle.stateDir).map((r) => r.status),
      ['incomplete'],
    );
    assert.equal(summary.runsIncomplete, 1);
    assert.equal(nxs(d).length, 1);
  });

  test('stop abandons an unfinished run cleanly: no partial or temporary file', async () => {
    const d = await daemon('abandon');
    const docs = smallRun(6, { stop: false });
    fs.writeFileSync(path.join(d.spool, 'open.jsonl'), jsonl(docs));
    await waitFor(() => d.handle.status().runsOpen === 1, 'the open run');
    const summary = await d.handle.stop('test');
    assert.deepEqual(summary.abandoned, [startUid(docs)]);
    assert.deepEqual(listFiles(d.out), []);
    assert.deepEqual(readJournal(d.handle.stateDir), []);
  });

  test('--once reads what is present, writes the finished runs and stops by itself', async () => {
    const d = await daemon('once', { once: true });
    const summary = await d.handle.done;
    assert.equal(summary.runsWritten, 0);
    const base = path.dirname(d.spool);
    drop(path.join(d.spool, 'x.jsonl'), jsonl(smallRun(1)));
    fs.writeFileSync(path.join(d.spool, 'y.jsonl.gz'), gzipSync(jsonl(smallRun(2))));
    fs.writeFileSync(path.join(d.spool, 'open.jsonl'), jsonl(smallRun(3, { stop: false })));
    const again = await daemon('once', { once: true }, { spool: d.spool, out: path.join(base, 'out') });
    const s2 = await again.handle.done;
    assert.equal(s2.runsWritten, 2);
    assert.equal(s2.abandoned.length, 1);
    assert.equal(nxs(again).length, 2);
  });
});
