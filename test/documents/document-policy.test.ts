/**
 * The validation policy: a document outside the exact event-model schema is
 * kept with DOC_SCHEMA warnings when it is usable (unknown keys, non-essential
 * keys missing), dropped with an error when it is not (an essential field
 * missing or of the wrong shape); --strict (the router) makes the warnings errors.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { validateDocument, type NamedDocument } from '../../src/documents/index.js';
import { RunRouter } from '../../src/run/index.js';

const START = { uid: 'run-1', time: 1 };
const DESCRIPTOR = {
  uid: 'desc-1',
  run_start: 'run-1',
  time: 1,
  name: 'primary',
  data_keys: { x: { dtype: 'number', shape: [], source: 'PV:x' } },
};
const named = (name: string, doc: Record<string, unknown>) => ({ name, doc }) as unknown as NamedDocument;
const at = (item: number) => ({ log: 'old.jsonl', item, line: item, offset: 0 });

describe('validateDocument: usable documents of other event-model versions', () => {
  test('a resource with a legacy `id`, an extra key and no `root` (a newer key): one warning each, pointed', () => {
    const found = validateDocument(
      named('resource', {
        uid: 'r1',
        id: 'legacy',
        ts: 5,
        spec: 'AD_HDF5',
        resource_path: 'a.h5',
        resource_kwargs: {},
      }),
      at(3),
    );
    assert.deepEqual(found.map((d) => [d.severity, d.code, d.location.pointer]).sort(), [
      ['warning', 'DOC_SCHEMA', ''],
      ['warning', 'DOC_SCHEMA', '/id'],
      ['warning', 'DOC_SCHEMA', '/ts'],
    ]);
    assert.ok(found.some((d) => /"root"/.test(d.message)));
    assert.ok(
      found.every(
        (d) => d.location.file === 'old.jsonl' && d.location.line === 3 && /--strict drops it/.test(d.hint ?? ''),
      ),
    );
  });

  test('extra keys in a datum and in an event; a stream_resource without data_key: warnings', () => {
    assert.deepEqual(
      validateDocument(named('datum', { datum_id: 'r1/0', resource: 'r1', datum_kwargs: {}, note: 1 })).map((d) => [
        d.severity,
        d.location.pointer,
      ]),
      [['warning', '/note']],
    );
    assert.deepEqual(
      validateDocument(
        named('event', { uid: 'e', descriptor: 'd', seq_num: 1, time: 1, data: {}, timestamps: {}, extra: true }),
      ).map((d) => d.severity),
      ['warning'],
    );
    assert.deepEqual(
      validateDocument(
        named('stream_resource', {
          uid: 's',
          mimetype: 'application/x-hdf5',
          uri: 'file://localhost/a.h5',
          parameters: {},
        }),
      ).map((d) => d.severity),
      ['warning'],
    );
  });

  test('unusable: no uid, no run_start, essentials of the wrong shape: one error, however many keys are extra', () => {
    const cases = [
      named('event', { descriptor: 'd', seq_num: 1, time: 1, data: {}, timestamps: {}, extra: 1 }),
      named('descriptor', { uid: 'd', time: 1, data_keys: {} }),
      named('event', { uid: 'e', descriptor: 'd', seq_num: 'one', time: 1, data: {}, timestamps: {} }),
      named('stop', { uid: 's', run_start: 7, time: 1, exit_status: 'success' }),
    ];
    for (const doc of cases) {
      const found = validateDocument(doc);
      assert.equal(found.length, 1, JSON.stringify(doc));
      assert.equal(found[0].severity, 'error');
      assert.equal(found[0].code, 'DOC_SCHEMA');
    }
  });

  test('a valid document: nothing', () => {
    assert.deepEqual(validateDocument(named('start', START)), []);
    assert.deepEqual(validateDocument(named('descriptor', DESCRIPTOR)), []);
  });
});

describe('the router: kept by default, dropped under --strict', () => {
  const event = {
    uid: 'e1',
    descriptor: 'desc-1',
    seq_num: 1,
    time: 2,
    data: { x: 1 },
    timestamps: { x: 2 },
    legacy: 'key',
  };
  const docs = [
    named('start', START),
    named('descriptor', DESCRIPTOR),
    named('event', event),
    named('stop', { uid: 'z', run_start: 'run-1', time: 3, exit_status: 'success' }),
  ];

  test('default: the event is kept, its run not flagged, the warning on the run', () => {
    const router = new RunRouter();
    docs.forEach((d, i) => {
      router.push(d, at(i + 1));
    });
    const run = router.run('run-1')!;
    assert.equal(run.streams.get('primary')!.length, 1);
    assert.equal(run.flagged, false);
    assert.deepEqual(
      run.diagnostics.map((d) => [d.severity, d.code, d.location.pointer]),
      [['warning', 'DOC_SCHEMA', '/legacy']],
    );
  });

  test('--strict: the same warning is an error, the run fails', () => {
    const router = new RunRouter({ strict: true });
    docs.forEach((d, i) => {
      router.push(d, at(i + 1));
    });
    const run = router.run('run-1')!;
    assert.equal(run.failed, true);
    assert.equal(run.streams.get('primary')!.length, 0);
    assert.deepEqual(
      run.diagnostics.map((d) => [d.severity, d.code]),
      [['error', 'DOC_SCHEMA']],
    );
    assert.match(run.diagnostics[0].hint ?? '', /^--strict/);
  });

  test("a start document's own warnings land on its run", () => {
    const router = new RunRouter();
    router.push(named('start', { ...START, 'dotted.key': 1 }), at(1));
    assert.deepEqual(
      router.run('run-1')!.diagnostics.map((d) => [d.severity, d.location.pointer]),
      [['warning', '/dotted.key']],
    );
  });
});
