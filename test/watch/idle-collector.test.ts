/**
 * Issue 12 item 1 / issue 14 "Memory": the daemon gives V8's memory back after
 * a burst of work (IdleCollector). The scheduling is checked with a counted
 * collection; the effect with V8's own, in a process of its own: after a burst
 * V8 keeps its young generation at its largest (32 MB) for as long as nothing
 * collects, and the collector brings it back down.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { fullCollection, IdleCollector } from '../../src/watch/idle-collector.js';
import { REPO, sleep, waitFor } from './helpers.js';

test('IdleCollector: two collections once idle (the second confirmMs after the first), none while work is in flight, none when the heap did not grow; one between two tasks when the heap grew busyGrowthBytes', async () => {
  let heap = 100;
  let collections = 0;
  const c = new IdleCollector({
    idleMs: 50,
    confirmMs: 500,
    minGapMs: 0,
    minGrowthBytes: 10,
    busyGrowthBytes: 1000,
    heapBytes: () => heap,
    collect: () => collections++,
  });
  const reach = (n: number): Promise<void> => waitFor(() => collections >= n, `${n} collections`, 5000);
  try {
    await c.around(async () => undefined);
    assert.equal(collections, 0, 'not before idleMs');
    await reach(1);
    const first = Date.now();
    await reach(2);
    assert.ok(Date.now() - first >= 450, 'the second confirmMs after the first');
    await sleep(700);
    assert.equal(collections, 2, 'then nothing while idle');

    // Work again, but the heap did not grow by minGrowthBytes: no collection.
    await c.around(async () => undefined);
    await sleep(700);
    assert.equal(collections, 2, 'a poll that did not grow the heap costs no collection');

    // A long task: nothing while it runs, the pair after it.
    heap = 200;
    let release!: () => void;
    const long = c.around(() => new Promise<void>((resolve) => (release = resolve)));
    await c.around(async () => undefined);
    await sleep(300);
    assert.equal(collections, 2, 'none while work is in flight');
    release();
    await long;
    await reach(4);
    assert.equal(c.collections, 4);

    // A burst that grows the heap by busyGrowthBytes gets a collection between two tasks, at once.
    heap = 1300;
    await c.around(async () => undefined);
    assert.equal(collections, 5, 'collected right after the task that grew the heap');
    await c.around(async () => undefined);
    assert.equal(collections, 5, 'not again until it grows again');
  } finally {
    c.close();
  }
});

test('fullCollection gives V8 full collection without --expose-gc', () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'the test runs without --expose-gc');
  const gc = fullCollection();
  assert.equal(typeof gc, 'function');
  gc!();
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'nothing left in the global scope');
});

test('after a burst, V8 young generation stays at its largest until the IdleCollector runs, then shrinks', async () => {
  // One process per case (V8's sizing depends on the process's history), without --expose-gc; both at once (each waits 7.5 s).
  const script = (collect: boolean): string => `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { IdleCollector } from ${JSON.stringify(path.join(REPO, 'dist', 'src', 'watch', 'idle-collector.js'))};
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const c = new IdleCollector({ idleMs: 100, minGapMs: 0, busyGrowthBytes: Infinity });
    await c.around(async () => {
      const keep = [];
      for (let i = 0; i < 3e6; i++) { keep.push({ i }); if (keep.length > 1e5) keep.length = 0; }
    });
    const after = young();
    if (!${collect}) c.close();
    await new Promise((r) => setTimeout(r, 7500));
    console.log(JSON.stringify({ after, settled: young(), collections: c.collections }));
    c.close();`;
  const run = async (collect: boolean): Promise<{ after: number; settled: number; collections: number }> =>
    JSON.parse(
      (
        await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(collect)], {
          encoding: 'utf8',
        })
      ).stdout,
    );
  const [without, withIt] = await Promise.all([run(false), run(true)]);
  assert.ok(without.after >= 16, `the burst grew the young generation (${without.after} MB)`);
  assert.equal(without.collections, 0);
  assert.ok(without.settled >= 16, `left alone, V8 keeps it (${without.settled} MB)`);
  assert.equal(withIt.collections, 2);
  assert.ok(withIt.settled <= 4, `with the collector it shrinks: ${withIt.after} → ${withIt.settled} MB`);
});

test('the idle pair compacts: old-generation pages left mostly empty by a burst are given back (compactCollection), not kept as with a plain full collection', async () => {
  // One process per case: 300,000 objects, three in four dropped all over the old generation, then two collections.
  const script = (compact: boolean): string => `
    import { getHeapSpaceStatistics } from 'node:v8';
    import { compactCollection, fullCollection } from ${JSON.stringify(path.join(REPO, 'dist', 'src', 'watch', 'idle-collector.js'))};
    const gc = fullCollection();
    const collect = ${compact} ? compactCollection() : gc;
    let keep = [];
    for (let i = 0; i < 300000; i++) keep.push({ a: i, b: 'x' + i, c: [i, i + 1] });
    gc(); gc();
    keep = keep.filter((_, i) => i % 4 === 0);
    const old = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    collect();
    await new Promise((r) => setTimeout(r, 300));
    collect();
    await new Promise((r) => setTimeout(r, 500));
    console.log(JSON.stringify({ used: old().space_used_size / 1048576, committed: old().space_size / 1048576, kept: keep.length }));`;
  const run = async (compact: boolean): Promise<{ used: number; committed: number; kept: number }> =>
    JSON.parse(
      (
        await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(compact)], {
          encoding: 'utf8',
        })
      ).stdout,
    );
  const [plain, compacted] = await Promise.all([run(false), run(true)]);
  assert.equal(compacted.kept, 75000);
  assert.ok(
    compacted.committed <= plain.committed - 4,
    `old generation committed: ${compacted.committed.toFixed(1)} MB compacted, ${plain.committed.toFixed(1)} MB plain (in use ${plain.used.toFixed(1)} MB)`,
  );
});
