import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { NamedDocument } from '../../src/documents/models.js';
import { RunOwners } from '../../src/documents/run-owners.js';
import { composeRun } from '../../src/run/testing.js';

/** Two runs whose documents interleave: every kind that refers to a run, a descriptor or a resource. */
function twoRuns(): { a: string; b: string; docs: NamedDocument[]; late: { a: NamedDocument; b: NamedDocument } } {
  const ra = composeRun({ scan_id: 1 });
  const rb = composeRun({ scan_id: 2 });
  const da = ra.descriptor('primary', { x: {} });
  const db = rb.descriptor('primary', { x: {} });
  da.event({ x: 1 });
  db.eventPage({ x: [1, 2] });
  const resA = ra.resource('AD_HDF5', '/r', 'a.h5');
  resA.datum({ point_number: 0 });
  const resB = rb.resource('AD_HDF5', '/r', 'b.h5');
  resB.datumPage({ point_number: [0, 1] });
  const srA = ra.streamResource('img', 'file:///a.h5', 'application/x-hdf5');
  srA.streamDatum(da, 0, 1);
  ra.stop();
  const late = {
    a: { name: 'event', doc: da.event({ x: 9 }) },
    b: { name: 'event', doc: db.event({ x: 9 }) },
  } as const;
  const [as, bs] = [ra.documents().slice(0, -1), rb.documents()];
  const docs: NamedDocument[] = [];
  for (let i = 0; i < Math.max(as.length, bs.length); i++) docs.push(...[as[i], bs[i]].filter((d) => d !== undefined));
  return { a: ra.start.uid, b: rb.start.uid, docs, late };
}

describe('RunOwners: which run a document belongs to', () => {
  test('each document of two interleaved runs maps to its own run once its descriptor or resource is owned', () => {
    const { a, b, docs } = twoRuns();
    const owners = new RunOwners();
    const seen = docs.map((named) => {
      const uid = owners.runOf(named);
      if (uid !== undefined) owners.own(named, uid);
      return `${named.name}:${uid === a ? 'A' : uid === b ? 'B' : String(uid)}`;
    });
    assert.equal(seen.filter((s) => s.endsWith(':A')).length, 8);
    assert.equal(seen.filter((s) => s.endsWith(':B')).length, 6);
    assert.ok(!seen.some((s) => s.endsWith(':undefined')), seen.join(' '));
    assert.deepEqual(seen.filter((s) => /^(event|event_page|datum|datum_page|stream_datum):/.test(s)).sort(), [
      'datum:A',
      'datum_page:B',
      'event:A',
      'event:B',
      'event_page:B',
      'stream_datum:A',
    ]);
  });

  test('a descriptor or resource nobody owned maps its documents to no run', () => {
    const { docs } = twoRuns();
    const owners = new RunOwners();
    for (const named of docs) {
      const uid = owners.runOf(named);
      if (
        named.name === 'start' ||
        named.name === 'descriptor' ||
        named.name.endsWith('resource') ||
        named.name === 'stop'
      )
        assert.equal(typeof uid, 'string', named.name);
      else assert.equal(uid, undefined, named.name);
    }
  });

  test('a legacy resource without run_start maps to no run (the caller supplies its current run)', () => {
    const r = composeRun();
    const res = r.resource('AD_HDF5', '/r', 'f.h5', {}, { run_start: undefined });
    const owners = new RunOwners();
    assert.equal(owners.runOf({ name: 'resource', doc: res.doc }), undefined);
    owners.own({ name: 'resource', doc: res.doc }, r.start.uid);
    assert.equal(
      owners.runOf({ name: 'datum', doc: { datum_id: 'x', resource: res.uid, datum_kwargs: {} } }),
      r.start.uid,
    );
  });

  test('forget drops one run’s descriptors and resources and keeps the other run’s', () => {
    const { a, b, docs, late } = twoRuns();
    const owners = new RunOwners();
    for (const named of docs) {
      const uid = owners.runOf(named);
      if (uid !== undefined) owners.own(named, uid);
    }
    assert.equal(owners.runOf(late.a), a);
    owners.forget(a);
    assert.equal(owners.runOf(late.a), undefined);
    assert.equal(owners.runOf(late.b), b);
  });
});
