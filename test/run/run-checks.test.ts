import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DocumentSource, NamedDocument } from '../../src/documents/models.js';
import { RunAccumulator } from '../../src/run/accumulator.js';
import { composeRun } from '../../src/run/testing.js';

const LOG = '/spool/run.jsonl';
const at = (item: number): DocumentSource => ({ log: LOG, item, line: item, offset: item * 100 });

/** A run of a descriptor, a resource, a stream_resource and one event, pushed with sources. */
function setup() {
  const b = composeRun({ uid: 'run-1' });
  const d = b.descriptor('primary', { x: {} }, undefined, { uid: 'desc-1' });
  const res = b.resource('AD_HDF5', '/data', 'a.h5', {}, { uid: 'res-1' });
  const sr = b.streamResource('x', 'file:///data/b.h5', 'application/x-hdf5', { dataset: '/x' });
  d.event({ x: 1 });
  const acc = new RunAccumulator(b.start, at(1));
  b.documents()
    .slice(1)
    .forEach((named, i) => {
      assert.deepEqual(acc.push(named, at(i + 2)), []);
    });
  return { b, d, res, sr, acc };
}

function pushOne(acc: RunAccumulator, named: NamedDocument, item = 50) {
  const problems = acc.push(named, at(item));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0];
}

describe('run checks: each rejected document is reported, located, skipped and flags the run', () => {
  test('RUN_UNKNOWN_DESCRIPTOR for an event and an event_page', () => {
    const { acc } = setup();
    const event = { uid: 'ev-x', descriptor: 'nope', seq_num: 2, time: 1, data: { x: 2 }, timestamps: { x: 1 } };
    const d = pushOne(acc, { name: 'event', doc: event }, 7);
    assert.equal(d.code, 'RUN_UNKNOWN_DESCRIPTOR');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.location, {
      file: LOG,
      item: 7,
      line: 7,
      offset: 700,
      document: { name: 'event', uid: 'ev-x' },
      run: 'run-1',
      pointer: '/descriptor',
    });
    const page = { uid: ['p1'], descriptor: 'nope', seq_num: [2], time: [1], data: { x: [2] }, timestamps: { x: [1] } };
    const p = pushOne(acc, { name: 'event_page', doc: page });
    assert.equal(p.code, 'RUN_UNKNOWN_DESCRIPTOR');
    assert.deepEqual(p.location.document, { name: 'event_page' });
    const run = acc.snapshot();
    assert.equal(run.streams.get('primary')!.length, 1, 'skipped');
    assert.equal(run.flagged, true);
    assert.deepEqual(
      run.diagnostics.map((x) => x.code),
      ['RUN_UNKNOWN_DESCRIPTOR', 'RUN_UNKNOWN_DESCRIPTOR'],
    );
    assert.ok(d.hint);
  });

  test('RUN_UNKNOWN_START for a descriptor, stop, resource and stream_resource of another run', () => {
    const { acc } = setup();
    const other = 'run-2';
    const docs: NamedDocument[] = [
      { name: 'descriptor', doc: { uid: 'd2', run_start: other, time: 1, data_keys: {}, name: 'primary' } },
      { name: 'stop', doc: { uid: 's2', run_start: other, time: 1, exit_status: 'success' } },
      {
        name: 'resource',
        doc: { uid: 'r2', run_start: other, spec: 'AD_HDF5', root: '', resource_path: 'x', resource_kwargs: {} },
      },
      {
        name: 'stream_resource',
        doc: {
          uid: 'sr2',
          run_start: other,
          data_key: 'x',
          mimetype: 'application/x-hdf5',
          uri: 'file:///x',
          parameters: {},
        },
      },
    ];
    for (const named of docs) {
      const d = pushOne(acc, named, 9);
      assert.equal(d.code, 'RUN_UNKNOWN_START');
      assert.equal(d.location.pointer, '/run_start');
      assert.equal(d.location.document?.name, named.name);
      assert.equal(d.location.document?.uid, (named.doc as { uid: string }).uid);
      assert.equal(d.location.item, 9);
    }
    assert.equal(acc.isComplete, false, 'the foreign stop was skipped');
    assert.equal(acc.snapshot().descriptors.length, 1);
  });

  test('RUN_DUPLICATE_UID for a repeated descriptor, resource and datum_id', () => {
    const { b, acc, res } = setup();
    const [, descriptor, resource] = b.documents();
    const d = pushOne(acc, descriptor, 11);
    assert.equal(d.code, 'RUN_DUPLICATE_UID');
    assert.equal(d.location.pointer, '/uid');
    assert.deepEqual(d.location.document, { name: 'descriptor', uid: 'desc-1' });
    assert.equal(pushOne(acc, resource).code, 'RUN_DUPLICATE_UID');
    const datum = { datum_id: 'res-1/0', resource: res.uid, datum_kwargs: { point_number: 0 } };
    assert.deepEqual(acc.push({ name: 'datum', doc: datum }), []);
    const dup = pushOne(acc, { name: 'datum', doc: datum });
    assert.equal(dup.code, 'RUN_DUPLICATE_UID');
    assert.deepEqual(dup.location.document, { name: 'datum', uid: 'res-1/0' });
    const page = pushOne(acc, {
      name: 'datum_page',
      doc: { datum_id: ['res-1/1', 'res-1/0'], resource: res.uid, datum_kwargs: { point_number: [1, 0] } },
    });
    assert.equal(page.code, 'RUN_DUPLICATE_UID');
    assert.equal(page.location.pointer, '/datum_id/1');
    assert.equal(acc.snapshot().descriptors.length, 1);
    assert.equal(acc.snapshot().datums?.size, 1);
  });

  test('RUN_AFTER_STOP for anything after the stop, a second stop included', () => {
    const { b, d, acc } = setup();
    const stop = b.stop();
    assert.deepEqual(acc.push({ name: 'stop', doc: stop }, at(20)), []);
    assert.equal(acc.isComplete, true);
    const late = pushOne(acc, { name: 'event', doc: d.event({ x: 9 }) }, 21);
    assert.equal(late.code, 'RUN_AFTER_STOP');
    assert.deepEqual(late.location.document?.name, 'event');
    assert.equal(late.location.line, 21);
    assert.equal(pushOne(acc, { name: 'stop', doc: { ...stop, uid: 'stop-2' } }).code, 'RUN_AFTER_STOP');
    assert.equal(acc.snapshot().streams.get('primary')!.length, 1);
    assert.equal(acc.snapshot().stop, stop);
  });

  test('RUN_UNKNOWN_RESOURCE for a datum, a datum_page and a stream_datum', () => {
    const { acc } = setup();
    const datum = pushOne(acc, { name: 'datum', doc: { datum_id: 'zz/0', resource: 'zz', datum_kwargs: {} } }, 30);
    assert.equal(datum.code, 'RUN_UNKNOWN_RESOURCE');
    assert.equal(datum.location.pointer, '/resource');
    assert.deepEqual(datum.location.document, { name: 'datum', uid: 'zz/0' });
    const page = pushOne(acc, { name: 'datum_page', doc: { datum_id: ['zz/1'], resource: 'zz', datum_kwargs: {} } });
    assert.equal(page.code, 'RUN_UNKNOWN_RESOURCE');
    const sd = pushOne(acc, {
      name: 'stream_datum',
      doc: {
        uid: 'sd-x',
        stream_resource: 'zz',
        descriptor: 'desc-1',
        indices: { start: 0, stop: 1 },
        seq_nums: { start: 1, stop: 2 },
      },
    });
    assert.equal(sd.code, 'RUN_UNKNOWN_RESOURCE');
    assert.equal(sd.location.pointer, '/stream_resource');
    assert.equal(acc.snapshot().datums?.size, 0);
    assert.equal(acc.snapshot().streamDatums.length, 0);
  });

  test('RUN_UNKNOWN_DESCRIPTOR for a stream_datum of a known stream_resource', () => {
    const { acc, sr } = setup();
    const sd = pushOne(acc, {
      name: 'stream_datum',
      doc: {
        uid: 'sd-y',
        stream_resource: sr.uid,
        descriptor: 'nope',
        indices: { start: 0, stop: 1 },
        seq_nums: { start: 1, stop: 2 },
      },
    });
    assert.equal(sd.code, 'RUN_UNKNOWN_DESCRIPTOR');
    assert.equal(sd.location.pointer, '/descriptor');
  });

  test('RUN_EVENT_SHAPE for an event_page whose arrays differ in length', () => {
    const { d, acc } = setup();
    const page = {
      uid: ['a', 'b'],
      descriptor: d.uid,
      seq_num: [2, 3],
      time: [1, 2],
      data: { x: [1] },
      timestamps: { x: [1, 2] },
    };
    const p = pushOne(acc, { name: 'event_page', doc: page });
    assert.equal(p.code, 'RUN_EVENT_SHAPE');
    assert.equal(p.location.pointer, '/data/x');
    assert.equal(acc.snapshot().streams.get('primary')!.length, 1, 'nothing of the page was appended');
    assert.equal(acc.snapshot().streams.get('primary')!.fields.get('x')!.values.length, 1);
  });
});
