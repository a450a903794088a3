/**
 * The crash loop: logs arrive while the daemon is killed with SIGKILL and
 * restarted, over and over. The kills take turns: while a run's temporary file
 * is being written (checked: the dead daemon's temporary file is still there),
 * right after the N-th "wrote" line (between a rename and its journal record,
 * or in the next run), and at a random moment from start-up on. At the end
 * every run is written exactly once (journal and files), each file equals a
 * one-shot `write` of the same logs (h5dump of both), and no temporary file is left.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NamedDocument } from '../../src/documents/models.js';
import { isFinished } from '../../src/watch/index.js';
import {
  jsonl,
  jsonlLine,
  listFiles,
  readJournal,
  REPO,
  sleep,
  smallRun,
  startUid,
  tempDir,
  waitFor,
  watchCommandLine,
} from './helpers.js';

const KILLS = 21;
/** Kills that must be seen to land while a temporary file of the killed daemon exists. */
const MID_WRITE_AT_LEAST = 4;
const TEMP = /\.nxlayout-tmp-(\d+)-/;
const base = tempDir('crash');
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** A small seeded generator, so a failing sequence can be replayed (the seed is printed). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = { file: string; text: string } | { file: string; bytes: Buffer };

/** The arrival of each log, in pieces of 1-4 documents; a run split over two logs continues in the second. */
function plan(spool: string, random: () => number): { streams: Step[][]; uids: string[] } {
  const uids: string[] = [];
  const streams: Step[][] = [];
  const pieces = (file: string, docs: NamedDocument[]): Step[] => {
    const steps: Step[] = [];
    for (let i = 0; i < docs.length; ) {
      const n = 1 + Math.floor(random() * 4);
      steps.push({
        file,
        text: docs
          .slice(i, i + n)
          .map(jsonlLine)
          .join(''),
      });
      i += n;
    }
    return steps;
  };
  let scan = 0;
  for (let i = 0; i < 30; i++) {
    const docs = smallRun(++scan, { events: 2 + Math.floor(random() * 12) });
    uids.push(startUid(docs));
    streams.push(pieces(path.join(spool, `beamline${i % 3}`, `run-${String(scan).padStart(3, '0')}.jsonl`), docs));
  }
  for (let i = 0; i < 2; i++) {
    const a = smallRun(++scan, { events: 5 });
    const b = smallRun(++scan, { events: 7 });
    uids.push(startUid(a), startUid(b));
    const mixed: NamedDocument[] = [];
    for (let k = 0; k < Math.max(a.length, b.length); k++) mixed.push(...a.slice(k, k + 1), ...b.slice(k, k + 1));
    streams.push(pieces(path.join(spool, `interleaved-${i}.jsonl`), mixed));
  }
  const split = smallRun(++scan, { events: 6 });
  uids.push(startUid(split));
  streams.push([
    ...pieces(path.join(spool, 'split-a.jsonl'), split.slice(0, 4)),
    ...pieces(path.join(spool, 'split-b.jsonl'), split.slice(4)),
  ]);
  const zipped = smallRun(++scan, { events: 4 });
  uids.push(startUid(zipped));
  streams.push([{ file: path.join(spool, 'zipped.jsonl.gz'), bytes: gzipSync(jsonl(zipped)) }]);
  return { streams, uids };
}

/** Executes the steps of all streams, interleaved at random, one every `everyMs`. */
async function feed(streams: Step[][], random: () => number, everyMs: number): Promise<void> {
  const queues = streams.map((s) => [...s]);
  for (;;) {
    const open = queues.filter((q) => q.length > 0);
    if (open.length === 0) return;
    const step = open[Math.floor(random() * open.length)].shift()!;
    fs.mkdirSync(path.dirname(step.file), { recursive: true });
    if ('bytes' in step) fs.writeFileSync(step.file, step.bytes);
    else fs.appendFileSync(step.file, step.text);
    await sleep(everyMs);
  }
}

/** Temporary files under `dir` written by process `pid`. */
function tempsOf(dir: string, pid: number): string[] {
  return listFiles(dir).filter((f) => TEMP.exec(path.basename(f))?.[1] === String(pid));
}

type KillMode = 'mid-write' | 'after-wrote' | 'random';

/** Waits for the moment `mode` aims at (at most `limitMs`, then the kill comes anyway). */
async function killMoment(
  mode: KillMode,
  d: ReturnType<typeof startDaemon>,
  out: string,
  random: () => number,
  limitMs = 6000,
): Promise<void> {
  const t0 = Date.now();
  if (mode === 'random') {
    await sleep(Math.floor(random() * 2500));
    return;
  }
  await waitFor(() => /watching /.test(d.output()) || d.child.exitCode !== null, 'the daemon to start', 60_000);
  if (mode === 'mid-write') {
    while (Date.now() - t0 < limitMs && tempsOf(out, d.child.pid!).length === 0) await sleep(2);
    return;
  }
  const n = 1 + Math.floor(random() * 3);
  while (Date.now() - t0 < limitMs && (d.output().match(/ wrote /g) ?? []).length < n) await sleep(2);
}

function startDaemon(
  spool: string,
  out: string,
): { child: ChildProcess; output: () => string; closed: Promise<number | null> } {
  const line = watchCommandLine([spool, '--out', out, '--status-interval', '0', '--poll-interval', '300ms']);
  const child = spawn(line.command, line.args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (text += b.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => text, closed };
}

/** h5dump of a file, without its own name in the header line. */
function dump(file: string): string {
  return execFileSync('h5dump', [file], { maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .split('\n')
    .slice(1)
    .join('\n');
}

test(`crash loop: SIGKILL ${KILLS} times (mid-write, after a "wrote" line, at random) while logs arrive; every run written exactly once`, async (t) => {
  const seed = Number(process.env.NXL_CRASH_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`seed ${seed} (replay with NXL_CRASH_SEED=${seed})`);
  const random = prng(seed);
  const spool = path.join(base, 'spool');
  const out = path.join(base, 'out');
  fs.mkdirSync(spool);
  fs.mkdirSync(out);
  const { streams, uids } = plan(spool, random);
  let fed = false;
  const feeding = feed(streams, random, 250).then(() => (fed = true));

  let kills = 0;
  const landed: Record<KillMode, number> = { 'mid-write': 0, 'after-wrote': 0, random: 0 };
  let midWrite = 0;
  const outputs: string[] = [];
  while (kills < KILLS || !fed) {
    const d = startDaemon(spool, out);
    const mode = (['mid-write', 'after-wrote', 'random'] as const)[kills % 3];
    await killMoment(mode, d, out, random);
    d.child.kill('SIGKILL');
    await d.closed;
    // The daemon is dead: a temporary file of its own still there proves the kill came in the middle of writing a file.
    if (tempsOf(out, d.child.pid!).length > 0) midWrite++;
    landed[mode]++;
    outputs.push(d.output());
    kills++;
  }
  await feeding;
  const wroteBeforeKill = outputs.filter((o) => / wrote /.test(o)).length;
  t.diagnostic(
    `${kills} kills (${JSON.stringify(landed)}); ${midWrite} landed while a temporary file of the killed daemon existed; ${wroteBeforeKill} killed daemons had written a file; files in place before the final start: ${listFiles(out).filter((f) => f.endsWith('.nxs')).length} of ${uids.length}`,
  );
  assert.ok(
    midWrite >= MID_WRITE_AT_LEAST,
    `at least ${MID_WRITE_AT_LEAST} kills in the middle of writing a file (${midWrite})`,
  );
  assert.ok(wroteBeforeKill >= 2, `killed daemons that had written files: ${wroteBeforeKill}`);

  const last = startDaemon(spool, out);
  const stateDir = path.join(out, '.nxlayout-state');
  const finished = (): Set<string> =>
    new Set(
      readJournal(stateDir)
        .filter((r) => isFinished(r.status))
        .flatMap((r) => (r.uid === undefined ? [] : [r.uid])),
    );
  await waitFor(() => finished().size === uids.length, `all ${uids.length} runs in the journal`, 60_000).catch(
    (e: unknown) => {
      last.child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n${last.output()}`);
    },
  );
  await waitFor(() => /watching /.test(last.output()), 'the final daemon to be up');
  last.child.kill('SIGTERM');
  assert.equal(await last.closed, 0, last.output());
  const all = [...outputs, last.output()].join('');
  t.diagnostic(
    `recovered after a crash between rename and journal: ${(all.match(/already in place from before a crash/g) ?? []).length}; stale temporary files removed at starts: ${(all.match(/removed \d+ temporary files/g) ?? []).length}`,
  );

  // Exactly once, by the journal.
  const journal = readJournal(stateDir);
  const failures = journal.filter((r) => r.status === 'failed' || r.status === 'rejected-log');
  assert.deepEqual(failures, [], 'no failed run, no rejected log');
  for (const uid of uids) {
    const records = journal.filter((r) => r.uid === uid);
    assert.equal(records.length, 1, `one record for run ${uid}`);
    assert.equal(records[0].status, 'written');
  }
  assert.deepEqual(new Set(journal.map((r) => r.uid)), new Set(uids));

  // Exactly once, by the files; nothing else left behind.
  const files = listFiles(out);
  assert.equal(
    files.length,
    uids.length,
    `only the ${uids.length} files: ${files.filter((f) => !f.endsWith('.nxs')).join(', ')}`,
  );
  assert.deepEqual(
    files.filter((f) => !f.endsWith('.nxs')),
    [],
  );
  assert.deepEqual(fs.readdirSync(stateDir), ['journal.jsonl']);

  // The same content as a one-shot write of the same logs.
  const ref = path.join(base, 'ref');
  execFileSync(process.execPath, [path.join(REPO, 'dist', 'src', 'cli', 'bin.js'), 'write', spool, '--out', ref], {
    cwd: REPO,
    stdio: 'pipe',
  });
  const refFiles = listFiles(ref);
  assert.deepEqual(refFiles, files);
  for (const f of files) {
    const watched = dump(path.join(out, f));
    assert.match(watched, /nxlayout_provenance[\s\S]*run_uid/);
    assert.equal(watched, dump(path.join(ref, f)), `${f}: h5dump differs from a one-shot write`);
  }
});
