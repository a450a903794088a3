/**
 * Issue 12 item 1 / issue 14 "Memory": the daemon gives V8's memory back after
 * a burst of work (IdleCollector). The scheduling is checked here with a counted
 * collection; the effect with V8's own, in processes of their own that wait
 * 7.5 s of real time, is idle-collector.slow.test.ts (slow suite).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { fullCollection, IdleCollector } from '../../src/watch/idle-collector.js';
import { sleep, waitFor } from './helpers.js';

test('IdleCollector: two collections once idle (the second confirmMs after the first), none while work is in flight, none when the heap did not grow; one between two tasks when the heap grew busyGrowthBytes', async () => {
  let heap = 100;
  let collections = 0;
  const c = new IdleCollector({
    idleMs: 50,
    confirmMs: 200,
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
    assert.ok(Date.now() - first >= 190, 'the second confirmMs after the first');
    await sleep(400);
    assert.equal(collections, 2, 'then nothing while idle');

    // Work again, but the heap did not grow by minGrowthBytes: no collection.
    await c.around(async () => undefined);
    await sleep(400);
    assert.equal(collections, 2, 'a poll that did not grow the heap costs no collection');

    // A long task: nothing while it runs, the pair after it.
    heap = 200;
    let release!: () => void;
    const long = c.around(() => new Promise<void>((resolve) => (release = resolve)));
    await c.around(async () => undefined);
    await sleep(150);
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
