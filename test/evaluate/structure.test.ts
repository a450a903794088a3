import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normaliseDType, dtypeFromDataKey, type ExternalResolver } from '../../src/evaluate/index.js';
import type { ExternalRef } from '../../src/run/models.js';
import { composeRun } from '../../src/run/testing.js';
import { attr, data, evaluate, field, find, group, link, noErrors, only, scanRun } from './fixtures.js';

describe('start document projections', () => {
  test('merged over the template: replace, create (with NXcollection), attribute; foreign names ignored; a bad one is a warning, its node left out', () => {
    const b = composeRun({
      uid: 'bbbbbbbb-0000-4000-8000-000000000001',
      temperature: 300,
      projections: [
        {
          name: 'nexus',
          version: '1',
          configuration: {},
          projection: {
            '/entry/sample/temperature': { type: 'linked', location: 'start', field: 'temperature' },
            '/entry/extra/note': { type: 'static', value: 'hello' },
            '/entry/@note': { type: 'static', value: 'attr' },
            '/entry/bad': { type: 'linked', location: 'event' },
            '/entry/no_stream': { type: 'linked', location: 'event', stream: 'dark', field: 'det' },
          },
        },
        {
          name: 'databroker',
          version: '1',
          configuration: {},
          projection: { '/entry/other': { type: 'static', value: 1 } },
        },
      ],
    });
    b.stop();
    const plan = evaluate(
      { 'entry:NXentry': { 'sample:NXsample': { temperature: { value: 1, '@units': 'K' } } } },
      b.run(),
    );
    assert.deepEqual(data(plan, '/entry/sample/temperature'), [300]);
    assert.deepEqual(attr(field(plan, '/entry/sample/temperature'), 'units'), ['K']);
    assert.equal(group(plan, '/entry/extra').nxClass, 'NXcollection');
    assert.deepEqual(data(plan, '/entry/extra/note'), ['hello']);
    assert.deepEqual(attr(group(plan, '/entry'), 'note'), ['attr']);
    assert.equal(find(plan, '/entry/other'), undefined);
    // Issue 11: a start document's projection never fails the run (it is the run's, not the template's).
    noErrors(plan);
    const bad = only(plan, 'EVAL_PROJECTION', 'warning');
    assert.equal(bad.location.pointer, '/projections/0/projection/~1entry~1bad');
    assert.equal(bad.location.document?.name, 'start');
    assert.match(bad.message, /: \/entry\/bad left out$/);
    const missing = only(plan, 'EVAL_STREAM_MISSING', 'warning');
    assert.equal(missing.location.pointer, '/projections/0/projection/~1entry~1no_stream');
    assert.match(missing.message, /optional: left out/);
    assert.equal(find(plan, '/entry/no_stream'), undefined);
  });
});

describe('repeats', () => {
  test('over streams, fields and keys, with bindings in names, projections and text', () => {
    const plan = evaluate({
      'entry:NXentry': {
        '{{stream}}:NXcollection': {
          $repeat: { over: 'streams' },
          n_events: '{{streams.[stream].length}} in {{stream}}',
          '{{field}}': {
            $repeat: { over: 'fields', stream: '{{stream}}' },
            type: 'linked',
            location: 'event',
            stream: '{{stream}}',
            field: '{{field}}',
            '@source': '{{data_key.source}}',
          },
        },
        'meta:NXcollection': {
          '{{key}}': {
            $repeat: { over: 'keys', path: '$.start.sample' },
            type: 'linked',
            location: 'start',
            field: '$.sample.{{key}}',
          },
        },
      },
    });
    noErrors(plan);
    assert.deepEqual(
      group(plan, '/entry').children.map((c) => c.path),
      ['/entry/primary', '/entry/baseline', '/entry/meta', '/entry/nxlayout_provenance'],
    );
    assert.deepEqual(
      group(plan, '/entry/primary').children.map((c) => c.path.split('/').pop()),
      ['n_events', 'I0', 'm1', 'spectrum', 'label', 'flag'],
    );
    assert.deepEqual(field(plan, '/entry/baseline/ring_current').value, {
      kind: 'column',
      stream: 'baseline',
      field: 'ring_current',
      part: 'values',
    });
    assert.deepEqual(attr(field(plan, '/entry/primary/I0'), 'source'), ['SIM:I0']);
    assert.deepEqual(data(plan, '/entry/meta/name'), ['silica']);
    assert.deepEqual(data(plan, '/entry/meta/temperature'), [295.5]);
  });

  test('rendered names are HDF5-safe; an empty name is EVAL_NAME', () => {
    const plan = evaluate({ 'entry:NXentry': { 'a_{{start.user_dir}}': 1, '{{start.nothing}}': 2 } });
    assert.deepEqual(data(plan, '/entry/a_A002_silica run'), [1]);
    assert.equal(only(plan, 'EVAL_NAME').location.pointer, '/tree/entry:NXentry/{{start.nothing}}');
  });
});

describe('external data', () => {
  const ref = (
    path: string,
    dataset: string | undefined,
    indices: { start: number; stop: number }[],
    hdf5 = true,
    spec = 'AD_HDF5',
  ): ExternalRef => ({
    kind: 'resource',
    stream: 'primary',
    field: 'image',
    spec,
    path,
    uri: `file://${path}`,
    hdf5,
    indices,
    resourceUid: 'r',
    parameters: {},
    ...(dataset === undefined ? {} : { dataset }),
  });
  const run = () => {
    const b = composeRun({ uid: 'cccccccc-0000-4000-8000-000000000001' });
    const d = b.descriptor('primary', { image: { dtype: 'array', shape: [2, 2], external: 'FILESTORE:' } });
    d.event({ image: 'datum-1' });
    b.stop();
    return b.run();
  };
  const tree = { 'entry:NXentry': { image: { type: 'linked', location: 'event', stream: 'primary', field: 'image' } } };

  test('one HDF5 file: an external link, never copied', () => {
    const resolver: ExternalResolver = () => [ref('/data/img_001.h5', '/entry/data/data', [{ start: 0, stop: 5 }])];
    const plan = evaluate(tree, run(), { resolveExternal: resolver });
    noErrors(plan);
    const l = link(plan, '/entry/image');
    assert.deepEqual([l.linkType, l.file, l.target], ['external', '/data/img_001.h5', '/entry/data/data']);
  });

  test('several HDF5 files: a group of external links with their index ranges', () => {
    const resolver: ExternalResolver = () => [
      ref('/data/a.h5', '/entry/data/data', [{ start: 0, stop: 3 }]),
      ref('/data/b.h5', '/entry/data/data', [
        { start: 0, stop: 2 },
        { start: 4, stop: 6 },
      ]),
    ];
    const plan = evaluate(tree, run(), { resolveExternal: resolver });
    noErrors(plan);
    const g = group(plan, '/entry/image');
    assert.equal(g.nxClass, 'NXcollection');
    assert.deepEqual(
      g.children.map((c) => [c.path, c.kind === 'link' ? [c.linkType, c.file, c.target] : null]),
      [
        ['/entry/image/data_000001', ['external', '/data/a.h5', '/entry/data/data']],
        ['/entry/image/data_000002', ['external', '/data/b.h5', '/entry/data/data']],
      ],
    );
    assert.deepEqual(attr(g, 'external_indices'), ['0:3', '0:2,4:6']);
  });

  test('non-HDF5 (NPY_SEQ): a string field of the files (one per frame, as resolved) with @external_spec', () => {
    const resolver: ExternalResolver = () => [
      ref('/d/f0.npy', undefined, [], false, 'NPY_SEQ'),
      ref('/d/f1.npy', undefined, [], false, 'NPY_SEQ'),
    ];
    const plan = evaluate(tree, run(), { resolveExternal: resolver });
    noErrors(plan);
    const f = field(plan, '/entry/image');
    assert.deepEqual([f.dtype, f.shape, data(plan, '/entry/image')], ['string', [2], ['/d/f0.npy', '/d/f1.npy']]);
    assert.deepEqual(attr(f, 'external_spec'), ['NPY_SEQ']);
  });

  test('resolved through run/ by default: a stream_resource into one HDF5 file', () => {
    const b = composeRun({ uid: 'dddddddd-0000-4000-8000-000000000001' });
    const d = b.descriptor('primary', { det: { dtype: 'array', shape: [4], external: 'STREAM:' } });
    const sr = b.streamResource('det', 'file://localhost/data/det.h5', 'application/x-hdf5', { dataset: '/det/data' });
    sr.streamDatum(d, 0, 3);
    b.stop();
    const plan = evaluate(
      { 'entry:NXentry': { det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' } } },
      b.run(),
    );
    noErrors(plan);
    const l = link(plan, '/entry/det');
    assert.deepEqual([l.linkType, l.target], ['external', '/det/data']);
    assert.match(l.file ?? '', /det\.h5$/);
  });

  test('an external field without a resource is EVAL_EXTERNAL', () => {
    const plan = evaluate(tree, run(), { resolveExternal: () => [] });
    assert.equal(only(plan, 'EVAL_EXTERNAL').location.nexusPath, '/entry/image');
  });
});

describe('conventions and provenance', () => {
  test('@default chain, NXdata axes indices, root attributes from run times', () => {
    const plan = evaluate({
      'entry:NXentry': {
        'data:NXdata': {
          '@signal': 'I0',
          '@axes': ['m1'],
          I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0' },
          m1: { link: '/entry/m1_value' },
        },
        m1_value: { type: 'linked', location: 'event', stream: 'primary', field: 'm1' },
        'bad:NXdata': { '@signal': 'nope', x: 1 },
      },
    });
    noErrors(plan);
    assert.deepEqual(attr(plan.root, 'default'), ['entry']);
    assert.deepEqual(attr(group(plan, '/entry'), 'default'), ['data']);
    assert.deepEqual(attr(group(plan, '/entry/data'), 'm1_indices'), [0]);
    assert.deepEqual(attr(plan.root, 'creator'), ['nxlayout']);
    assert.deepEqual(attr(plan.root, 'creator_version'), ['9.9.9']);
    assert.deepEqual(attr(plan.root, 'file_name'), ['out/aaaaaaaa.nxs']);
    assert.deepEqual(attr(plan.root, 'file_time'), ['2023-11-14T22:15:00.500000Z']); // the stop time
    assert.equal(only(plan, 'EVAL_CONVENTION', 'warning').location.nexusPath, '/entry/bad');
    assert.equal(plan.file, 'out/aaaaaaaa.nxs');
  });

  test('template values win over conventions', () => {
    const plot = { '@signal': 'y', y: [1, 2] };
    const plan = evaluate({
      '@default': 'entry',
      'entry:NXentry': {
        '@default': 'other',
        'other:NXdata': plot,
        'data:NXdata': plot,
        I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', '@units': 'cts' },
      },
    });
    assert.deepEqual(attr(group(plan, '/entry'), 'default'), ['other']);
    assert.deepEqual(attr(field(plan, '/entry/I0'), 'units'), ['cts']);
  });

  test('provenance group in the first NXentry', () => {
    const run = scanRun();
    const plan = evaluate({ 'entry:NXentry': {} }, run);
    const g = group(plan, '/entry/nxlayout_provenance');
    assert.equal(g.nxClass, 'NXcollection');
    const v = (n: string) => data(plan, `/entry/nxlayout_provenance/${n}`)[0];
    assert.equal(v('run_uid'), run.uid);
    assert.equal(v('template_name'), 'test');
    assert.equal(v('template_version'), '1.0.0');
    assert.match(String(v('template_sha256')), /^[0-9a-f]{64}$/);
    assert.equal(v('template_file'), 'test.json');
    assert.equal(v('nxlayout_version'), '9.9.9');
    assert.deepEqual(JSON.parse(String(v('start_document'))), JSON.parse(JSON.stringify(run.start)));
    assert.equal(JSON.parse(String(v('stop_document'))).exit_status, 'success');
  });

  test('provenance at the root when there is no NXentry', () => {
    const plan = evaluate({ x: 1 });
    assert.equal(group(plan, '/nxlayout_provenance').nxClass, 'NXcollection');
  });
});

describe('dtypes and determinism', () => {
  test('numpy names and data keys map to DType', () => {
    const table: [string, string | undefined][] = [
      ['<f8', 'float64'],
      ['>f4', 'float32'],
      ['float64', 'float64'],
      ['<i8', 'int64'],
      ['<i4', 'int32'],
      ['int16', 'int16'],
      ['|i1', 'int8'],
      ['<u8', 'uint64'],
      ['<u4', 'uint32'],
      ['<u2', 'uint16'],
      ['|u1', 'uint8'],
      ['|b1', 'bool'],
      ['bool', 'bool'],
      ['<U10', 'string'],
      ['|S8', 'string'],
      ['O', 'string'],
      ['str', 'string'],
      ['complex', undefined],
    ];
    for (const [name, want] of table) assert.equal(normaliseDType(name), want, name);
    const dk = (dtype: 'number' | 'integer' | 'boolean' | 'string' | 'array', extra = {}) => ({
      dtype,
      shape: [],
      source: 's',
      ...extra,
    });
    assert.equal(dtypeFromDataKey(dk('number')), 'float64');
    assert.equal(dtypeFromDataKey(dk('integer')), 'int64');
    assert.equal(dtypeFromDataKey(dk('boolean')), 'bool');
    assert.equal(dtypeFromDataKey(dk('string')), 'string');
    assert.equal(dtypeFromDataKey(dk('array')), 'float64');
    assert.equal(dtypeFromDataKey(dk('array'), [[1, 2]]), 'int64');
    assert.equal(dtypeFromDataKey(dk('array'), [1.5, 2]), 'float64');
    assert.equal(dtypeFromDataKey(dk('number', { dtype_numpy: '<i4' })), 'int32');
    assert.equal(dtypeFromDataKey(dk('boolean', { dtype_numpy: '|b1' })), 'bool');
  });

  test('evaluating twice gives deep-equal plans', () => {
    const tree = {
      'entry:NXentry': {
        t: { type: 'calculated', calculation: { callable: 'iso8601', args: ['$.start.time'] } },
        'data:NXdata': { I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0' } },
        '{{stream}}': { $repeat: { over: 'streams' }, value: '{{stream}}' },
      },
    };
    const run = scanRun();
    assert.deepEqual(evaluate(tree, run), evaluate(tree, run));
  });
});
