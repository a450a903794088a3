import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RunOf } from '../../src/bus/run-of.js';
import { composeRun } from '../../src/run/testing.js';

test('RunOf: a legacy resource (no run_start) and its datums belong to the run started last and not stopped', () => {
  const first = composeRun();
  first.stop();
  const r = composeRun();
  const d = r.descriptor('primary', { x: {} });
  d.event({ x: 1 });
  const legacy = r.resource('AD_HDF5', '/r', 'f.h5', {}, { run_start: undefined });
  legacy.datum({ point_number: 0 });
  r.stop();
  const runOf = new RunOf();
  const owners = [...first.documents(), ...r.documents()].map((named) => runOf.of(named));
  const uid = r.start.uid;
  assert.deepEqual(owners, [first.start.uid, first.start.uid, uid, uid, uid, uid, uid, uid]);
  // After the stop, a legacy resource has no current run to belong to.
  assert.equal(runOf.of({ name: 'resource', doc: { ...legacy.doc, uid: 'other' } }), undefined);
});
