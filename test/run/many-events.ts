/** A run of n events × 10 fields (n a multiple of 1,000) given as pages and as single events: the same run (pages-equivalence tests). */
import * as assert from 'node:assert/strict';
import { unpackEventPage } from '../../src/documents/index.js';
import { RunAccumulator } from '../../src/run/accumulator.js';
import { composeRun } from '../../src/run/testing.js';

export function manyEventsAgree(n: number): void {
  const fields = Array.from({ length: 10 }, (_, i) => `f${i}`);
  const keys = Object.fromEntries(fields.map((f) => [f, {}]));
  const b = composeRun({ uid: 'big' });
  const d = b.descriptor('primary', keys);
  for (let p = 0; p < n / 1000; p++) {
    const data = Object.fromEntries(
      fields.map((f, k) => [f, Array.from({ length: 1000 }, (_, i) => (p * 1000 + i) * (k + 1))]),
    );
    d.eventPage(data);
  }
  const docs = b.documents();
  const viaPages = b.run();
  const acc = new RunAccumulator(b.start);
  for (const named of docs.slice(1)) {
    if (named.name !== 'event_page') acc.push(named);
    else for (const doc of unpackEventPage(named.doc)) acc.push({ name: 'event', doc });
  }
  const viaEvents = acc.snapshot();
  const s = viaPages.streams.get('primary')!;
  assert.equal(s.length, n);
  assert.deepEqual(s.fields.get('f9')!.values.stats, {
    count: n,
    min: 0,
    max: (n - 1) * 10,
    sum: (10 * (n * (n - 1))) / 2,
  });
  assert.equal(s.fields.get('f2')!.values.last, (n - 1) * 3);
  assert.deepEqual(viaEvents.streams, viaPages.streams);
}
