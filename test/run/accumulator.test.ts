import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RunAccumulator } from '../../src/run/accumulator.js';
import { columnKeyOf, columnRow, type ColumnPartName } from '../../src/run/column.js';
import type { Run, Stream } from '../../src/run/models.js';
import { composeRun } from '../../src/run/testing.js';

function stream(run: Run, name: string): Stream {
  const s = run.streams.get(name);
  assert.ok(s, `stream ${name}`);
  return s;
}

function values(run: Run, streamName: string, field: string): readonly unknown[] {
  return Array.from(stream(run, streamName).fields.get(field)!.values.rows);
}

const KEYS = {
  x: { dtype: 'number' as const },
  det: { dtype: 'integer' as const },
  label: { dtype: 'string' as const },
  spectrum: { dtype: 'array' as const, shape: [3] },
};
const ROWS = [
  { x: 1.5, det: 10, label: 'a', spectrum: [1, 2, 3] },
  { x: -2, det: 20, label: 'b', spectrum: [4, 5, 6] },
  { x: 7.25, det: 5, label: 'c', spectrum: [7, 8, 9] },
];
const TIMES = [100, 101, 102];

describe('RunAccumulator: events', () => {
  test('event and event_page give identical columns', () => {
    const a = composeRun({ uid: 'run-a', time: 99 });
    const da = a.descriptor('primary', KEYS, undefined, { uid: 'desc' });
    ROWS.forEach((data, i) => {
      da.event(data, { time: TIMES[i] });
    });
    const b = composeRun({ uid: 'run-a', time: 99 });
    const db = b.descriptor('primary', KEYS, undefined, { uid: 'desc' });
    db.eventPage(
      {
        x: [1.5, -2],
        det: [10, 20],
        label: ['a', 'b'],
        spectrum: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      },
      { time: [100, 101] },
    );
    db.eventPage({ x: [7.25], det: [5], label: ['c'], spectrum: [[7, 8, 9]] }, { time: [102] });
    const ra = a.run();
    const rb = b.run();
    const sa = stream(ra, 'primary');
    const sb = stream(rb, 'primary');
    assert.equal(sa.length, 3);
    assert.equal(sb.length, 3);
    assert.deepEqual(sb.fields, sa.fields);
    assert.deepEqual(sb.time, sa.time);
    assert.deepEqual(sb.seqNum, sa.seqNum);
    assert.deepEqual(sa.time.rows, TIMES);
    assert.deepEqual(sa.seqNum.rows, [1, 2, 3]);
    assert.deepEqual(values(ra, 'primary', 'label'), ['a', 'b', 'c']);
    assert.deepEqual(sa.fields.get('x')!.timestamps.rows, TIMES);
  });

  test('numeric scalar columns keep stats; every column keeps first/last', () => {
    const b = composeRun();
    const d = b.descriptor('primary', KEYS);
    ROWS.forEach((data) => {
      d.event(data);
    });
    const s = stream(b.run(), 'primary');
    assert.deepEqual(s.fields.get('x')!.values.stats, { count: 3, min: -2, max: 7.25, sum: 6.75 });
    assert.deepEqual(s.fields.get('det')!.values.stats, { count: 3, min: 5, max: 20, sum: 35 });
    assert.equal(s.fields.get('label')!.values.stats, undefined);
    assert.equal(s.fields.get('spectrum')!.values.stats, undefined);
    assert.equal(s.fields.get('label')!.values.first, 'a');
    assert.equal(s.fields.get('label')!.values.last, 'c');
    assert.deepEqual(s.fields.get('spectrum')!.values.last, [7, 8, 9]);
    assert.equal(s.fields.get('x')!.values.dataKey?.dtype, 'number');
    assert.deepEqual(s.seqNum.stats, { count: 3, min: 1, max: 3, sum: 6 });
  });

  test('several descriptors in one stream: all kept, columns aligned by event', () => {
    const b = composeRun();
    const d1 = b.descriptor('primary', { x: {}, y: {} }, { m: { data: { gain: 1 } } });
    d1.event({ x: 1, y: 2 });
    d1.event({ x: 3, y: 4 });
    const d2 = b.descriptor('primary', { x: {}, z: { dtype: 'integer' } }, { m: { data: { gain: 2 } } });
    d2.event({ x: 5, z: 6 });
    b.descriptor('baseline', { t: {} }).event({ t: 20 });
    const run = b.run();
    const s = stream(run, 'primary');
    assert.equal(s.descriptors.length, 2);
    assert.deepEqual(
      s.descriptors.map((d) => d.configuration?.m.data?.gain),
      [1, 2],
    );
    assert.deepEqual(Object.keys(s.dataKeys), ['x', 'y', 'z']);
    assert.equal(s.length, 3);
    assert.deepEqual(values(run, 'primary', 'x'), [1, 3, 5]);
    assert.deepEqual(values(run, 'primary', 'y'), [2, 4, undefined]);
    assert.deepEqual(values(run, 'primary', 'z'), [undefined, undefined, 6]);
    assert.deepEqual(s.fields.get('z')!.values.stats, { count: 1, min: 6, max: 6, sum: 6 });
    assert.deepEqual(s.seqNum.rows, [1, 2, 3]);
    assert.deepEqual([...run.streams.keys()], ['primary', 'baseline']);
    assert.equal(run.descriptors.length, 3);
  });

  test('a reading no descriptor declared gets its own column', () => {
    const b = composeRun();
    const d = b.descriptor('primary', { x: {} });
    d.event({ x: 1 });
    d.event({ x: 2, extra: 'e' });
    const s = stream(b.run(), 'primary');
    assert.deepEqual(s.fields.get('extra')!.values.rows, [undefined, 'e']);
    assert.equal(s.fields.get('extra')!.values.dataKey, undefined);
  });

  test('snapshot is a live read-only view; isComplete follows the stop', () => {
    const b = composeRun({ uid: 'live' });
    const d = b.descriptor('primary', { x: {} });
    const [start, desc] = b.documents();
    assert.equal(start.name, 'start');
    const acc = new RunAccumulator(b.start);
    acc.push(desc);
    const view = acc.snapshot();
    assert.equal(acc.isComplete, false);
    assert.equal(view.stop, undefined);
    acc.push({ name: 'event', doc: d.event({ x: 4 }) });
    const stop = b.stop();
    acc.push({ name: 'stop', doc: stop });
    assert.equal(acc.isComplete, true);
    assert.equal(view.streams.get('primary')!.length, 1);
    assert.equal(view.stop, stop);
    assert.equal(view.flagged, false);
  });
});

describe('RunAccumulator: the row release (the accumulator lets rows go, told by the writer; the column keeps its summary)', () => {
  const key = (field: string, part: ColumnPartName = 'values'): string => columnKeyOf('primary', field, part);

  test('written rows of a streamed column go; first, last, length and stats stay; a retained column keeps every row', () => {
    const b = composeRun();
    const d = b.descriptor('primary', { img: { dtype: 'array', shape: [2] }, x: {}, y: {} });
    d.event({ img: [1, 1], x: 1, y: 1 });
    d.event({ img: [2, 2], x: 2, y: 2 });
    d.eventPage({
      img: [
        [3, 3],
        [4, 4],
      ],
      x: [3, 4],
      y: [3, 4],
    });
    const run = b.run();
    const img = run.streams.get('primary')!.fields.get('img')!.values;
    assert.equal('retained' in img || 'drained' in img, false, 'the column carries no writer state');
    assert.ok(run.rowRelease, 'a run from the accumulator has its row release');
    // the writer streams img and y, and reads y at an index: y stays whole
    run.rowRelease.retain({
      retained: new Set([key('y')]),
      streamed: new Set([key('img'), key('y')]),
      streams: new Set(['primary']),
    });
    run.rowRelease.written(
      new Map([
        [key('img'), 3],
        [key('y'), 4],
      ]),
    );
    assert.equal(img.offset, 3);
    assert.deepEqual(img.rows, [[4, 4]]);
    assert.equal(img.length, 4);
    assert.deepEqual(img.first, [1, 1]);
    assert.deepEqual(img.last, [4, 4]);
    const y = run.streams.get('primary')!.fields.get('y')!.values;
    assert.deepEqual([y.offset, y.rows], [0, [1, 2, 3, 4]], 'a retained column holds every row');
    const x = run.streams.get('primary')!.fields.get('x')!.values;
    assert.deepEqual([x.offset, x.rows], [4, []], 'a column the plan neither streams nor reads goes at once');
    assert.deepEqual(x.stats, { count: 4, min: 1, max: 4, sum: 10 });
    assert.equal(columnRow(y, 2), 3);
    assert.equal(columnRow(img, 2), undefined);
    assert.deepEqual(columnRow(img, 3), [4, 4]);
  });

  test('rows arriving after a release go next, from the right offset; no policy (or none any more): every row stays', () => {
    const b = composeRun({ uid: 'drain' });
    const d = b.descriptor('primary', { x: {} });
    const acc = new RunAccumulator(b.start, undefined);
    acc.push(b.documents()[1]);
    acc.push({ name: 'event', doc: d.event({ x: 1 }) });
    acc.push({ name: 'event', doc: d.event({ x: 2 }) });
    const run = acc.snapshot();
    const s = run.streams.get('primary')!;
    const x = s.fields.get('x')!.values;
    run.rowRelease!.written(new Map([[key('x'), 2]]));
    assert.deepEqual(x.rows, [1, 2], 'no plan told the accumulator anything: nothing goes');
    run.rowRelease!.retain({ retained: new Set(), streamed: new Set([key('x')]), streams: new Set(['primary']) });
    run.rowRelease!.written(new Map([[key('x'), 2]]));
    assert.deepEqual([x.offset, x.rows], [2, []]);
    acc.push({ name: 'event_page', doc: d.eventPage({ x: [3, 4, 5] }) });
    assert.deepEqual(x.rows, [3, 4, 5]);
    run.rowRelease!.written(new Map([[key('x'), 4]]));
    assert.deepEqual([x.offset, x.rows], [4, [5]]);
    assert.deepEqual([s.seqNum.offset, s.seqNum.rows], [5, []], "the stream's seq_num, unread, went");
    run.rowRelease!.retain(undefined);
    acc.push({ name: 'event', doc: d.event({ x: 6 }) });
    run.rowRelease!.written(new Map([[key('x'), 6]]));
    assert.deepEqual([x.offset, x.rows], [4, [5, 6]], 'after retain(undefined) (a fallback) nothing goes');
    assert.deepEqual(x.stats, { count: 6, min: 1, max: 6, sum: 21 });
    assert.equal(x.first, 1);
    assert.equal(x.last, 6);
  });
});
