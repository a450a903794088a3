/**
 * Issue 12, items 1, 2, 6 and 13 at small scale: an idle log holds no
 * descriptor, a log whose runs are recorded is put aside (and not opened
 * again after a restart), a log is read in bounded steps, a replaced log is
 * read as a new one, and the summary counts warnings by code.
 */
import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseTemplates } from '../../src/cli/templates.js';
import { LogTail } from '../../src/documents/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { startWatch, type WatchEvent, type WatchHandle, type WatchOptions } from '../../src/watch/index.js';
import { Followers } from '../../src/watch/followers.js';
import { jsonl, listFiles, readJournal, sleep, smallRun, startUid, tempDir, waitFor } from './helpers.js';

const dirs: string[] = [];
const handles: WatchHandle[] = [];
after(async () => {
  for (const h of handles) await h.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function daemon(
  spool: string,
  out: string,
  extra: Partial<WatchOptions> = {},
): Promise<{ handle: WatchHandle; events: WatchEvent[]; runs: () => WatchEvent[]; reads: (log: string) => number }> {
  const events: WatchEvent[] = [];
  // Batches read per log (an empty one too: a poll of a log that did not grow).
  const reads = new Map<string, number>();
  const handle = await startWatch(
    {
      spool,
      outRoot: out,
      loadTemplates: () => chooseTemplates({}),
      statusIntervalMs: 0,
      pollIntervalMs: 300,
      registry: createDefaultRegistry(),
      ...extra,
    },
    {
      onEvent: (e) => events.push(e),
      onItems: (log) => void reads.set(log, (reads.get(log) ?? 0) + 1),
    },
  );
  handles.push(handle);
  return {
    handle,
    events,
    runs: () => events.filter((e) => e.kind === 'run'),
    reads: (log) => reads.get(log) ?? 0,
  };
}

function dirsFor(prefix: string): { spool: string; out: string } {
  const base = tempDir(prefix);
  dirs.push(base);
  const spool = path.join(base, 'spool');
  const out = path.join(base, 'out');
  fs.mkdirSync(spool);
  fs.mkdirSync(out);
  return { spool, out };
}

/** What this process's descriptors point at (deleted files end in " (deleted)"). */
function openFiles(): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      out.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

describe('watch: followers hold nothing they do not need', () => {
  test('an idle log with an open run holds no descriptor; once its run is written the log is put aside', async () => {
    const { spool, out } = dirsFor('idle-fd');
    // Polls every 150 ms (was 300, with 700 ms of waiting: about two polls' reads).
    const d = await daemon(spool, out, { pollIntervalMs: 150 });
    const docs = smallRun(1, { events: 4 });
    const log = path.join(spool, 'live.jsonl');
    fs.writeFileSync(log, jsonl(docs.slice(0, -1)));
    await waitFor(() => d.handle.status().runsOpen === 1, 'the open run');
    // Two more reads of the idle log: checked just after the second, far from the next.
    const read = d.reads(log);
    await waitFor(() => d.reads(log) >= read + 2, 'two more reads of the idle log');
    assert.deepEqual(
      openFiles().filter((f) => f.startsWith(spool)),
      [],
      'no descriptor on a log between reads',
    );
    assert.equal(d.handle.status().logsFollowed, 1);
    fs.appendFileSync(log, jsonl(docs.slice(-1)));
    await waitFor(() => d.runs().length === 1, 'the run');
    await waitFor(() => d.handle.status().logsDone === 1, 'the log put aside');
    assert.equal(d.handle.status().logsFollowed, 0);
    const marks = readJournal(d.handle.stateDir, true).filter((r) => r.status === 'log-read');
    assert.equal(marks.length, 1);
    assert.equal(marks[0].log, log);
    assert.deepEqual(marks[0].runs, [startUid(docs)]);
    assert.equal(marks[0].mark?.size, fs.statSync(log).size);
    assert.equal(marks[0].mark?.ino, fs.statSync(log).ino);
    await d.handle.stop();
  });

  test('a put-aside log that grows is resumed at its mark; after a restart an unchanged log is not read', async () => {
    const { spool, out } = dirsFor('resume');
    const d = await daemon(spool, out);
    const a = smallRun(1);
    const b = smallRun(2);
    const log = path.join(spool, 'many-runs.jsonl');
    fs.writeFileSync(log, jsonl(a));
    await waitFor(() => d.handle.status().logsDone === 1, 'the first run and the log put aside');
    fs.appendFileSync(log, jsonl(b));
    await waitFor(() => d.runs().length === 2, 'the second run');
    await waitFor(
      () => d.handle.status().logsDone === 1 && d.handle.status().logsFollowed === 0,
      'the log put aside again',
    );
    const first = await d.handle.stop();
    // Resumed at the mark: the first run is not met again (it would count as skipped).
    assert.equal(first.runsSkipped, 0);
    assert.equal(first.runsWritten, 2);
    const marks = readJournal(d.handle.stateDir, true).filter((r) => r.status === 'log-read');
    assert.deepEqual(
      marks.map((m) => m.mark?.offset),
      [jsonl(a).length, jsonl(a).length + jsonl(b).length],
    );

    // A byte of garbage in the first run's part would be a DOC_PARSE if it were read again: it is not.
    const fd = fs.openSync(log, 'r+');
    fs.writeSync(fd, '#', 3);
    fs.closeSync(fd);
    const before = fs.statSync(log);
    const again = await daemon(spool, out, { once: true });
    const summary = await again.handle.done;
    assert.equal(fs.statSync(log).mtimeMs, before.mtimeMs);
    assert.equal(summary.runsSkipped, 0, 'the log was not read');
    assert.equal(summary.logsDone, 1);
    assert.deepEqual(
      again.events.filter((e) => e.kind === 'diagnostic'),
      [],
    );
    assert.equal(readJournal(d.handle.stateDir).length, 2);
  });

  test('a log whose run failed is not put aside: the next start tries the run again', async () => {
    const { spool, out } = dirsFor('failed');
    const docs = smallRun(1);
    const target = path.join(out, `00001_${startUid(docs).slice(0, 8)}.nxs`);
    fs.writeFileSync(target, 'a foreign file in the way');
    fs.writeFileSync(path.join(spool, 'f.jsonl'), jsonl(docs));
    const d = await daemon(spool, out, { once: true });
    const first = await d.handle.done;
    assert.equal(first.runsFailed, 1);
    assert.equal(first.logsDone, 0, 'no mark for a log with a failed run');
    assert.deepEqual(
      readJournal(d.handle.stateDir, true).filter((r) => r.status === 'log-read'),
      [],
    );
    fs.rmSync(target);
    const again = await daemon(spool, out, { once: true });
    const second = await again.handle.done;
    assert.equal(second.runsWritten, 1);
    assert.equal(second.logsDone, 1);
    assert.ok(fs.statSync(target).size > 1000);
  });

  test('a log deleted and recreated, and a file renamed over a log, are read again as new logs and reported', async () => {
    const { spool, out } = dirsFor('replace');
    const d = await daemon(spool, out);
    const log = path.join(spool, 'r.jsonl');
    const runs = [smallRun(1), smallRun(2), smallRun(3)];
    fs.writeFileSync(log, jsonl(runs[0]));
    await waitFor(() => d.runs().length === 1, 'the first run');
    // Deleted and created again (another inode, smaller than before).
    fs.unlinkSync(log);
    await sleep(400);
    fs.writeFileSync(log, jsonl(runs[1]).slice(0, 200));
    // The first part of the new log read, as a replacement, before the rest arrives.
    await waitFor(
      () => d.handle.status().runsOpen === 1 && d.handle.status().logsReplaced >= 1,
      'the recreated log read in part',
    );
    fs.appendFileSync(log, jsonl(runs[1]).slice(200));
    await waitFor(() => d.runs().length === 2, 'the run of the recreated log');
    // A new file renamed over it.
    const tmp = path.join(spool, '.incoming');
    fs.writeFileSync(tmp, jsonl(runs[2]));
    fs.renameSync(tmp, log);
    await waitFor(() => d.runs().length === 3, 'the run of the file renamed over it');
    // Its follower gone: the log put aside once its run is recorded.
    await waitFor(() => d.handle.status().logsDone === 1 && d.handle.status().logsFollowed === 0, 'the log put aside');
    assert.deepEqual(
      openFiles().filter((f) => f.startsWith(spool)),
      [],
      'no log (deleted or not) held open',
    );
    const summary = await d.handle.stop();
    const replaced = d.events.filter((e) => e.kind === 'log-replaced');
    assert.ok(replaced.length >= 2, `replacements reported: ${JSON.stringify(replaced)}`);
    assert.ok(replaced.every((e) => e.kind === 'log-replaced' && e.log === log && /inode|shrank/.test(e.reason)));
    assert.equal(summary.logsReplaced, replaced.length);
    assert.deepEqual(
      readJournal(d.handle.stateDir).map((r) => r.uid),
      runs.map(startUid),
    );
    assert.equal(listFiles(out).filter((f) => f.endsWith('.nxs')).length, 3);
  });

  test('--once reads the next log ahead while writing a run; a log is put aside only after its own run is recorded', async () => {
    const { spool, out } = dirsFor('read-ahead');
    const N = 30;
    const uids: string[] = [];
    for (let i = 1; i <= N; i += 1) {
      const docs = smallRun(i);
      uids.push(startUid(docs));
      fs.writeFileSync(path.join(spool, `run-${String(i).padStart(3, '0')}.jsonl`), jsonl(docs));
    }
    const d = await daemon(spool, out, { once: true });
    const summary = await d.handle.done;
    assert.equal(summary.runsWritten, N);
    assert.equal(summary.logsDone, N);
    const journal = readJournal(d.handle.stateDir, true);
    const written = new Map(
      journal.flatMap((r, i) => (r.status === 'written' && r.uid !== undefined ? [[r.uid, i]] : [])),
    );
    const marks = journal.flatMap((r, i) => (r.status === 'log-read' ? [{ r, i }] : []));
    assert.equal(marks.length, N);
    for (const [k, { r, i }] of marks.entries()) {
      // The mark of a log read ahead must name its run and follow its record (else a crash in between loses the run).
      assert.deepEqual(r.runs, [uids[k]], `${r.log}: its mark lists its run`);
      assert.ok((written.get(uids[k]) ?? Infinity) < i, `${r.log}: its mark follows its run's record`);
    }
    assert.equal(listFiles(out).filter((f) => f.endsWith('.nxs')).length, N);
  });

  test('a log read ahead of its turn (its documents not pushed: no runs known) is not put aside', async () => {
    const { spool } = dirsFor('retire-except');
    const log = path.join(spool, 'ahead.jsonl');
    fs.writeFileSync(log, jsonl(smallRun(1)));
    const followers = new Followers(new Map());
    const found = await followers.lookup(log);
    assert.equal(found.kind, 'follow');
    if (found.kind !== 'follow') return;
    const batch = await found.follower.read(true);
    assert.ok(batch.items.length > 0 && found.follower.settled, 'read to its end');
    assert.deepEqual(await followers.retire(() => true, log), [], 'not put aside while read ahead');
    assert.equal(followers.followed, 1);
    const retired = await followers.retire(() => true);
    assert.deepEqual(
      retired.map((r) => r.log),
      [log],
    );
  });

  test('the summary counts runs and warnings by code', async () => {
    const { spool, out } = dirsFor('summary');
    fs.writeFileSync(path.join(spool, 'a.jsonl'), jsonl(smallRun(1)));
    fs.writeFileSync(path.join(spool, 'b.jsonl'), jsonl(smallRun(2, { stop: false })));
    fs.writeFileSync(path.join(spool, 'c.jsonl'), jsonl(smallRun(3)) + '["event", {"broken": tru\n');
    const d = await daemon(spool, out, { once: true, finalizeAfterMs: 0 });
    const summary = await d.handle.done;
    const events = d.events.filter((e) => e.kind === 'summary');
    assert.equal(events.length, 1);
    assert.deepEqual(events[0].kind === 'summary' ? events[0].summary : undefined, summary);
    assert.equal(summary.runsWritten, 2);
    assert.equal(summary.runsIncomplete, 1);
    assert.equal(summary.warningsByCode.RUN_NO_STOP, 1);
    assert.ok(
      (summary.errorsByCode.DOC_PARSE ?? 0) + (summary.errorsByCode.DOC_TRUNCATED ?? 0) >= 1,
      JSON.stringify(summary),
    );
  });
});

describe('LogTail in bounded steps', () => {
  test('poll(maxBytes) reads at most that much and says it is behind; the file is closed between polls', async () => {
    const { spool } = dirsFor('tail-steps');
    const log = path.join(spool, 'big.jsonl');
    const text = jsonl(smallRun(1, { events: 400 }));
    fs.writeFileSync(log, text);
    const tail = new LogTail(log);
    let documents = 0;
    let polls = 0;
    do {
      const items = await tail.poll(4096);
      polls++;
      documents += items.filter((i) => i.kind === 'document').length;
      assert.ok(tail.offset <= polls * 4096);
      assert.deepEqual(
        openFiles().filter((f) => f === log),
        [],
      );
    } while (tail.behind);
    assert.equal(tail.offset, text.length);
    assert.equal(polls, Math.ceil(text.length / 4096));
    assert.equal(documents, 400 + 3);
    assert.ok(tail.atItemBoundary);
    await tail.close();
  });
});
