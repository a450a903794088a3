/**
 * Issue 12 item 1 / issue 14 "Memory" (see idle-collector.test.ts): the IdleCollector's effect with V8's own
 * collections, in processes of their own (V8's sizing depends on a process's history): after a burst V8
 * keeps its young generation at its largest (32 MB) for as long as nothing collects — 7.5 s of real time
 * waited here — and the collector brings it back down; the idle pair compacts the old generation.
 * Slow suite: whole processes and real time are the point.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { REPO } from './helpers.js';

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
