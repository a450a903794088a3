import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { validateDocument } from '../../src/documents/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { composeRun } from '../../src/run/testing.js';

function descriptorTime(named: NamedDocument): number | undefined {
  return named.name === 'descriptor' ? named.doc.time : undefined;
}

describe('composeRun (test builder)', () => {
  test('documents in order, schema-valid, with deterministic times and seq_nums', () => {
    const b = composeRun({ scan_id: 7, plan_name: 'count', time: 1000 });
    const p = b.descriptor(
      'primary',
      { I0: { dtype: 'integer', units: 'counts' } },
      { det: { data: { gain: 3 }, timestamps: { gain: 1000 }, data_keys: {} } },
    );
    const base = b.descriptor('baseline', { T: {} });
    base.event({ T: 300 });
    p.event({ I0: 5 }, { timestamps: { I0: 999 } });
    p.eventPage({ I0: [6, 7] });
    const res = b.resource('AD_HDF5', '/r', 'f.h5');
    res.datum({ point_number: 0 });
    const stop = b.stop();
    const docs = b.documents();
    assert.deepEqual(
      docs.map((n) => n.name),
      ['start', 'descriptor', 'descriptor', 'event', 'event', 'event_page', 'resource', 'datum', 'stop'],
    );
    for (const named of docs) assert.deepEqual(validateDocument(named), [], named.name);
    assert.deepEqual(stop.num_events, { baseline: 1, primary: 3 });
    assert.equal(b.start.time, 1000);
    assert.equal(descriptorTime(docs[1]), 1001);
    const run = b.run();
    const primary = run.streams.get('primary')!;
    assert.deepEqual(primary.seqNum.rows, [1, 2, 3]);
    assert.deepEqual(primary.fields.get('I0')!.timestamps.rows, [999, 1005, 1006]);
    assert.equal(primary.dataKeys.I0.units, 'counts');
    assert.equal(primary.dataKeys.I0.source, 'SIM:I0');
    assert.equal(run.stop, stop);
  });
});
