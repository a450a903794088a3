import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DocumentSource, NamedDocument } from '../../src/documents/models.js';
import type { Run } from '../../src/run/models.js';
// The Node shell's validators and ajv (what the package's entries install): this file imports core modules directly.
import '../../src/documents/precompiled-node.js';
import { RunRouter } from '../../src/run/router.js';
import { composeRun } from '../../src/run/testing.js';

const at = (item: number, log = 'mixed.jsonl'): DocumentSource => ({ log, item, line: item, offset: item * 10 });

/** Two runs whose documents alternate, as when two RunEngines log to one file. */
function twoRuns() {
  const a = composeRun({ uid: 'aaaaaaaa-run', scan_id: 1 });
  const da = a.descriptor('primary', { x: {} });
  const ra = a.resource('AD_HDF5', '/a', 'a.h5');
  const b = composeRun({ uid: 'bbbbbbbb-run', scan_id: 2 });
  const db = b.descriptor('primary', { y: {} });
  const sr = b.streamResource('img', 'file:///b/b.h5', 'application/x-hdf5', { dataset: '/img' });
  for (let i = 0; i < 3; i++) {
    da.event({ x: i });
    db.event({ y: 10 * i });
  }
  ra.datum({ point_number: 0 });
  sr.streamDatum(db, 0, 3);
  a.stop();
  b.stop();
  const docsA = a.documents();
  const docsB = b.documents();
  const mixed: NamedDocument[] = [];
  for (let i = 0; i < Math.max(docsA.length, docsB.length); i++) {
    if (i < docsA.length) mixed.push(docsA[i]);
    if (i < docsB.length) mixed.push(docsB[i]);
  }
  return { mixed, a, b, da, db };
}

describe('RunRouter', () => {
  test('interleaved runs are separated by run uid, in start order', () => {
    const { mixed } = twoRuns();
    const completed: string[] = [];
    const router = new RunRouter({ onRunComplete: (run) => completed.push(run.uid) });
    mixed.forEach((named, i) => {
      assert.deepEqual(router.push(named, at(i + 1)), []);
    });
    const runs = router.runs();
    assert.deepEqual(
      runs.map((r) => r.uid),
      ['aaaaaaaa-run', 'bbbbbbbb-run'],
    );
    assert.deepEqual(runs[0].streams.get('primary')!.fields.get('x')!.values.rows, [0, 1, 2]);
    assert.deepEqual(runs[1].streams.get('primary')!.fields.get('y')!.values.rows, [0, 10, 20]);
    assert.equal(runs[0].datums?.size, 1);
    assert.equal(runs[1].streamDatums.length, 1);
    assert.equal(runs[1].streamResources.size, 1);
    assert.deepEqual(completed, ['aaaaaaaa-run', 'bbbbbbbb-run']);
    assert.ok(runs.every((r) => r.stop !== undefined && !r.flagged));
    assert.deepEqual(router.diagnostics, []);
    assert.deepEqual(runs[0].source, at(1));
    assert.deepEqual(runs[1].logs, ['mixed.jsonl']);
  });

  test('a run continued in a second log lists both logs', () => {
    const { a } = twoRuns();
    const docs = a.documents();
    const router = new RunRouter();
    docs.forEach((named, i) => {
      router.push(named, at(i + 1, i < 3 ? 'one.jsonl' : 'two.jsonl'));
    });
    assert.deepEqual(router.runs()[0].logs, ['one.jsonl', 'two.jsonl']);
  });

  test('default: a schema-invalid document is reported, skipped, and flags its run only', () => {
    const { mixed, da } = twoRuns();
    const router = new RunRouter();
    const bad = {
      name: 'event',
      doc: { uid: 'bad-event', descriptor: da.uid, seq_num: 9, time: 1, data: { x: 1 } },
    } as unknown as NamedDocument;
    const stopAt = mixed.findIndex((n) => n.name === 'stop');
    const docs = [...mixed.slice(0, stopAt), bad, ...mixed.slice(stopAt)];
    const found = docs.flatMap((named, i) => router.push(named, at(i + 1)));
    assert.equal(found.length, 1);
    assert.equal(found[0].code, 'DOC_SCHEMA');
    assert.equal(found[0].location.item, stopAt + 1);
    const [ra, rb] = router.runs();
    assert.equal(ra.flagged, true);
    assert.equal(ra.failed, false);
    assert.deepEqual(
      ra.diagnostics.map((d) => d.code),
      ['DOC_SCHEMA'],
    );
    assert.equal(ra.streams.get('primary')!.length, 3, 'the bad event was skipped');
    assert.ok(ra.stop, 'later documents of the run were kept');
    assert.equal(rb.flagged, false);
    assert.deepEqual(router.diagnostics, []);
  });

  test('strict: a bad document fails its run, drops the rest of it; other runs unaffected', () => {
    const { mixed, da } = twoRuns();
    const failed: string[] = [];
    const completed: string[] = [];
    const router = new RunRouter({
      strict: true,
      onRunFailed: (run, reason) => failed.push(`${run.uid}:${reason.code}`),
      onRunComplete: (r) => completed.push(r.uid),
    });
    const orphan = {
      name: 'event',
      doc: { uid: 'e-x', descriptor: da.uid, seq_num: 4, time: 5, data: { x: 1 }, timestamps: { x: 5 } },
    } as NamedDocument;
    const firstEvent = mixed.findIndex((n) => n.name === 'event');
    const badPage = {
      name: 'event_page',
      doc: {
        uid: ['p'],
        descriptor: da.uid,
        seq_num: [4, 5],
        time: [1],
        data: { x: [1, 2] },
        timestamps: { x: [1, 2] },
      },
    } as NamedDocument;
    const docs = [...mixed.slice(0, firstEvent), badPage, ...mixed.slice(firstEvent), orphan];
    docs.forEach((named, i) => {
      router.push(named, at(i + 1));
    });
    const [ra, rb] = router.runs();
    assert.equal(ra.failed, true);
    assert.equal(ra.flagged, true);
    assert.deepEqual(
      ra.diagnostics.map((d) => d.code),
      ['RUN_EVENT_SHAPE'],
    );
    assert.equal(ra.streams.get('primary')!.length, 0, 'dropped after the failure');
    assert.equal(ra.stop, undefined);
    assert.deepEqual(failed, ['aaaaaaaa-run:RUN_EVENT_SHAPE']);
    assert.equal(rb.failed, false);
    assert.equal(rb.streams.get('primary')!.length, 3);
    assert.deepEqual(completed, ['bbbbbbbb-run']);
  });

  test('documents of no known run: reported once per missing reference, in router.diagnostics', () => {
    const router = new RunRouter();
    const ev = (uid: string): NamedDocument => ({
      name: 'event',
      doc: { uid, descriptor: 'ghost', seq_num: 1, time: 1, data: {}, timestamps: {} },
    });
    const first = router.push(ev('e1'), at(1));
    assert.deepEqual(router.push(ev('e2'), at(2)), []);
    assert.equal(first.length, 1);
    router.push(
      { name: 'descriptor', doc: { uid: 'd', run_start: 'nowhere', time: 1, data_keys: {}, name: 'primary' } },
      at(3),
    );
    router.push({ name: 'datum', doc: { datum_id: 'r/0', resource: 'r', datum_kwargs: {} } }, at(4));
    assert.deepEqual(
      router.diagnostics.map((d) => [d.code, d.location.item, d.location.pointer, d.location.document]),
      [
        ['RUN_UNKNOWN_DESCRIPTOR', 1, '/descriptor', { name: 'event', uid: 'e1' }],
        ['RUN_UNKNOWN_START', 3, '/run_start', { name: 'descriptor', uid: 'd' }],
        ['RUN_UNKNOWN_RESOURCE', 4, '/resource', { name: 'datum', uid: 'r/0' }],
      ],
    );
    assert.equal(router.diagnostics[0].location.file, 'mixed.jsonl');
    assert.deepEqual(router.runs(), []);
  });

  test('a repeated start flags the run; a resource without run_start joins the open run', () => {
    const a = composeRun({ uid: 'legacy-run' });
    const d = a.descriptor('primary', { img: { dtype: 'array', shape: [2], external: 'FILESTORE:' } });
    const res = a.resource('AD_HDF5', '/x', 'y.h5', {}, { run_start: undefined });
    d.event({ img: res.datum({ point_number: 0 }) });
    a.stop();
    const docs = a.documents();
    const router = new RunRouter();
    const withRepeat = [...docs.slice(0, 2), docs[0], ...docs.slice(2)];
    withRepeat.forEach((named, i) => {
      router.push(named, at(i + 1));
    });
    router.push(docs[0], at(99));
    const run: Run | undefined = router.run('legacy-run');
    assert.ok(run);
    assert.equal(run.resources.size, 1);
    assert.equal(run.datums?.size, 1);
    assert.equal(run.streams.get('primary')!.length, 1);
    assert.deepEqual(
      run.diagnostics.map((x) => [x.code, x.location.item, x.location.pointer]),
      [
        ['RUN_DUPLICATE_UID', 3, '/uid'],
        ['RUN_REPLAYED', 99, '/uid'],
      ],
    );
    assert.equal(run.flagged, true);
    assert.equal(router.runs().length, 1);
  });
});

describe('RunRouter.forget (a daemon releasing finished runs)', () => {
  function documentsOf(uid: string): NamedDocument[] {
    const b = composeRun({ uid, scan_id: 7 });
    const d = b.descriptor('primary', { I0: { dtype: 'number', shape: [], source: 'SIM:I0' } });
    d.event({ I0: 1 });
    const r = b.resource('AD_HDF5', '/data', 'det.h5');
    r.datum({ point_number: 0 });
    d.event({ I0: 2 });
    b.stop();
    return b.documents();
  }

  test('a forgotten run is dropped, and a late copy of its documents is ignored without diagnostics', () => {
    const router = new RunRouter();
    const docs = documentsOf('forget-me-run');
    for (const named of docs) router.push(named);
    assert.equal(router.runs().length, 1);
    router.forget('forget-me-run');
    assert.equal(router.runs().length, 0);
    assert.equal(router.run('forget-me-run'), undefined);
    for (const named of docs) assert.deepEqual(router.push(named), []);
    assert.equal(router.runs().length, 0);
    assert.deepEqual(router.diagnostics, []);
  });

  test('forgotten at its start: every later document of the run, events included, is dropped quietly', () => {
    const router = new RunRouter();
    const docs = documentsOf('skipped-run');
    router.push(docs[0]);
    router.forget('skipped-run');
    for (const named of docs.slice(1)) assert.deepEqual(router.push(named), []);
    assert.deepEqual(router.diagnostics, []);
    assert.equal(router.runs().length, 0);
  });

  test('reportLate (a run whose file was written): a replay and documents after the stop reported once per run and kind', () => {
    const router = new RunRouter();
    const docs = documentsOf('written-run');
    for (const named of docs) router.push(named);
    router.forget('written-run', { reportLate: true });
    const events = docs.filter((d) => d.name === 'event');
    // A stray event after the stop, twice: one RUN_AFTER_STOP.
    assert.deepEqual(
      router.push(events[0], { log: 'a.jsonl', item: 9, offset: 0 }).map((d) => d.code),
      ['RUN_AFTER_STOP'],
    );
    assert.deepEqual(router.push(events[1]), []);
    // The whole run again: one RUN_REPLAYED, its documents not reported one by one.
    const found = docs.flatMap((named) => router.push(named));
    assert.deepEqual(
      found.map((d) => [d.code, d.location.run, d.location.pointer]),
      [['RUN_REPLAYED', 'written-run', '/uid']],
    );
    assert.deepEqual(
      router.diagnostics.map((d) => d.code),
      ['RUN_AFTER_STOP', 'RUN_REPLAYED'],
    );
    assert.equal(router.diagnostics[0].location.file, 'a.jsonl');
    assert.equal(router.runs().length, 0);
  });

  test('other runs are unaffected', () => {
    const router = new RunRouter();
    const gone = documentsOf('gone-run');
    const kept = documentsOf('kept-run');
    router.push(gone[0]);
    router.forget('gone-run');
    for (let i = 0; i < kept.length; i++) {
      router.push(kept[i]);
      if (i + 1 < gone.length) router.push(gone[i + 1]);
    }
    const runs = router.runs();
    assert.deepEqual(
      runs.map((r) => r.uid),
      ['kept-run'],
    );
    assert.equal(runs[0].streams.get('primary')?.length, 2);
    assert.equal(runs[0].stop?.exit_status, 'success');
  });
});
