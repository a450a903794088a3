/**
 * Issue 12 item 1 (and issue 14 "Memory") at small scale: what the daemon
 * keeps does not grow with the logs it has finished. Its watcher watches the
 * spool's folders, not each log (read through the daemon's status and its
 * /metrics); the router remembers at most FORGOTTEN_RUNS finished runs; logs
 * arriving in a new folder, and a file renamed over a finished log, are still
 * read. The RSS figures are in the slow suite (scale.slow.test.ts).
 */
import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseTemplates } from '../../src/cli/templates.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { FORGOTTEN_RUNS, RunRouter } from '../../src/run/router.js';
import { startWatch, type WatchEvent, type WatchHandle } from '../../src/watch/index.js';
import { WatchMetrics } from '../../src/watch/metrics.js';
import { drop, jsonl, readJournal, smallRun, startUid, tempDir, waitFor } from './helpers.js';

const base = tempDir('memory');
const handles: WatchHandle[] = [];
after(async () => {
  for (const h of handles) await h.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

function sample(text: string, name: string, label = ''): number {
  const m = new RegExp(`^${name}${label === '' ? '' : `\\{${label}\\}`} (\\S+)$`, 'm').exec(text);
  assert.ok(m !== null, `${name}${label} in /metrics`);
  return Number(m[1]);
}

describe('watch: memory bounded by the work in flight', () => {
  test('after 60 finished logs in 3 folders the watcher watches the 4 folders, no log; none is followed; /metrics says so with the memory by kind', async () => {
    const spool = path.join(base, 'many', 'spool');
    const out = path.join(base, 'many', 'out');
    fs.mkdirSync(spool, { recursive: true });
    fs.mkdirSync(out);
    const uids: string[] = [];
    const write = (from: number, to: number): void => {
      for (let n = from; n < to; n++) {
        const docs = smallRun(n + 1, { events: 2 });
        uids.push(startUid(docs));
        drop(path.join(spool, `day${n % 3}`, `run-${String(n).padStart(3, '0')}.jsonl`), jsonl(docs));
      }
    };
    // A third there at start, the rest while it runs (each arrives through its folder's event).
    write(0, 20);
    const metrics = new WatchMetrics();
    const events: WatchEvent[] = [];
    const handle = await startWatch(
      {
        spool,
        outRoot: out,
        loadTemplates: () => chooseTemplates({}),
        statusIntervalMs: 0,
        registry: createDefaultRegistry(),
      },
      {
        onEvent: (e) => {
          events.push(e);
          metrics.onEvent(e);
        },
        onItems: (l, items) => metrics.onItems(l, items),
      },
    );
    handles.push(handle);
    metrics.setStatusSource(() => handle.status());
    write(20, 60);
    await waitFor(() => handle.status().logsDone === 60, 'the 60 logs put aside', 120_000);
    const s = handle.status();
    assert.equal(s.runsWritten, 60);
    assert.equal(s.logsFollowed, 0, 'a finished log is not followed');
    // The spool and its three folders: before, chokidar watched each log too (64 paths).
    assert.equal(s.pathsWatched, 4, 'the watcher holds the folders only');
    const text = await metrics.registry.metrics();
    assert.equal(sample(text, 'nxlayout_paths_watched'), 4);
    assert.equal(sample(text, 'nxlayout_logs_done'), 60);
    assert.equal(sample(text, 'nxlayout_logs_followed'), 0);
    // The memory by kind is served (the WebAssembly memory of the HDF5 library is at least its initial 16 MiB).
    assert.ok(sample(text, 'nxlayout_memory_bytes', 'kind="wasm"') >= 16 * 1048576);
    assert.ok(sample(text, 'nxlayout_memory_bytes', 'kind="heap_used"') > 0);
    const journal = readJournal(path.join(out, '.nxlayout-state'));
    assert.deepEqual(journal.map((r) => r.uid).sort(), [...uids].sort(), 'each run written once');
    assert.ok(journal.every((r) => r.status === 'written'));

    // A new folder, its log written at once (before its watch can be in place): read all the same.
    const late = smallRun(61);
    fs.mkdirSync(path.join(spool, 'day9', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(spool, 'day9', 'deep', 'run-late.jsonl'), jsonl(late));
    await waitFor(
      () => readJournal(path.join(out, '.nxlayout-state')).some((r) => r.uid === startUid(late)),
      'the log in the new folder written',
      60_000,
    );
    await waitFor(() => handle.status().logsDone === 61, 'the late log put aside', 30_000);
    assert.equal(handle.status().pathsWatched, 6, 'the two new folders are watched');

    // A file renamed over a finished log is a new log (issue 12 item 6), seen through its folder's event.
    const other = smallRun(62);
    const target = path.join(spool, 'day1', 'run-001.jsonl');
    drop(target, jsonl(other));
    await waitFor(
      () => events.some((e) => e.kind === 'log-replaced' && e.log === target),
      'the replacement reported',
      60_000,
    );
    await waitFor(
      () => readJournal(path.join(out, '.nxlayout-state')).some((r) => r.uid === startUid(other)),
      'the new log written',
      60_000,
    );
    assert.equal(handle.status().pathsWatched, 6);
    const summary = await handle.stop();
    assert.equal(summary.runsWritten, 62);
  });

  test(`the router remembers at most ${FORGOTTEN_RUNS} finished runs; a late copy of a recent one is still recognised`, () => {
    const router = new RunRouter({ validate: false });
    const total = FORGOTTEN_RUNS + 200;
    let last: ReturnType<typeof smallRun> = [];
    for (let n = 1; n <= total; n++) {
      const docs = smallRun(n, { events: 1 });
      for (const d of docs)
        assert.deepEqual(
          router.push(d).filter((p) => p.severity === 'error'),
          [],
        );
      router.forget(startUid(docs), { reportLate: true });
      last = docs;
    }
    assert.equal(router.runs().length, 0);
    assert.equal(router.forgottenRuns, FORGOTTEN_RUNS, 'the oldest forgotten runs are let go');
    // A run's uid and its descriptor's: two keys per run.
    assert.equal(router.forgottenKeys, 2 * FORGOTTEN_RUNS);
    // The most recent run replayed: reported once as a replay, its other documents dropped quietly.
    const replay = last.flatMap((d) => router.push(d));
    assert.deepEqual(
      replay.map((d) => d.code),
      ['RUN_REPLAYED'],
    );
    assert.equal(router.runs().length, 0, 'the replay opens no run');
  });
});
