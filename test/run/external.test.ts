import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resolveExternal } from '../../src/run/external.js';
import { resourceFilePath, uriToPath } from '../../src/run/external-spec.js';
import { composeRun } from '../../src/run/testing.js';

const IMG = { img: { dtype: 'array' as const, shape: [2, 3], external: 'FILESTORE:' } };

describe('resolveExternal: resource/datum', () => {
  test('AD_HDF5 with point_number × frame_per_point: one ref, contiguous rows merged', () => {
    const b = composeRun();
    const d = b.descriptor('primary', { ...IMG, x: {} });
    const res = b.resource('AD_HDF5', '/data/root', 'sub/scan_1.h5', { frame_per_point: 2 });
    for (let i = 0; i < 3; i++) d.event({ img: res.datum({ point_number: i }), x: i });
    b.stop();
    const refs = resolveExternal(b.run(), 'primary', 'img');
    assert.deepEqual(refs, [
      {
        kind: 'resource',
        stream: 'primary',
        field: 'img',
        spec: 'AD_HDF5',
        path: '/data/root/sub/scan_1.h5',
        uri: '/data/root/sub/scan_1.h5',
        dataset: '/entry/data/data',
        hdf5: true,
        indices: [{ start: 0, stop: 6 }],
        resourceUid: res.uid,
        parameters: { frame_per_point: 2 },
        exists: false, // issue 11: whether the file is there yet (a warning at write time when not)
      },
    ]);
    assert.deepEqual(resolveExternal(b.run(), 'primary', 'x'), []);
    assert.deepEqual(resolveExternal(b.run(), 'nope', 'img'), []);
  });

  test('datum_page gives the same refs as single datums; the dataset comes from resource_kwargs', () => {
    const single = composeRun();
    const ds = single.descriptor('primary', IMG);
    const rs = single.resource('AD_HDF5_SWMR', '/r', 'f.h5', { dataset: '/entry/instrument/det/data' }, { uid: 'res' });
    for (let i = 0; i < 4; i++) ds.event({ img: rs.datum({ point_number: i }) });
    const paged = composeRun();
    const dp = paged.descriptor('primary', IMG);
    const rp = paged.resource('AD_HDF5_SWMR', '/r', 'f.h5', { dataset: '/entry/instrument/det/data' }, { uid: 'res' });
    const ids = rp.datumPage({ point_number: [0, 1, 2, 3] });
    dp.eventPage({ img: ids });
    const a = resolveExternal(single.run(), 'primary', 'img');
    const b = resolveExternal(paged.run(), 'primary', 'img');
    assert.deepEqual(b, a);
    assert.equal(a.length, 1);
    assert.equal(a[0].dataset, '/entry/instrument/det/data');
    assert.deepEqual(a[0].indices, [{ start: 0, stop: 4 }]);
  });

  test('frame kwargs, gaps kept apart, datum_kwargs.dataset, two resources → two refs', () => {
    const b = composeRun();
    const d = b.descriptor('primary', IMG);
    const r1 = b.resource('AD_HDF5_SWMR_STREAM', '', 'rel/a.h5');
    const r2 = b.resource('AD_HDF5', '/abs', 'b.h5');
    d.event({ img: r1.datum({ frame: 0, dataset: '/d1' }) });
    d.event({ img: r1.datum({ frame: 1, dataset: '/d1' }) });
    d.event({ img: r1.datum({ frame: 5, dataset: '/d1' }) });
    d.event({ img: r2.datum({ point_number: 0 }) });
    const refs = resolveExternal(b.run(), 'primary', 'img');
    assert.deepEqual(
      refs.map((r) => [r.path, r.dataset, r.indices]),
      [
        [
          'rel/a.h5',
          '/d1',
          [
            { start: 0, stop: 2 },
            { start: 5, stop: 6 },
          ],
        ],
        ['/abs/b.h5', '/entry/data/data', [{ start: 0, stop: 1 }]],
      ],
    );
  });

  test('NPY_SEQ and AD_TIFF are not HDF5; one file per index (NPY_SEQ) or per frame (AD_TIFF template % (path, filename, n))', () => {
    const b = composeRun();
    const d = b.descriptor('primary', { ...IMG, tif: { dtype: 'array', shape: [4], external: 'FILESTORE:' } });
    const npy = b.resource('NPY_SEQ', '/r', 'abc');
    const tif = b.resource('AD_TIFF', '/t', 'dir/', { template: '%s%s_%6.6d.tiff', filename: 'x', frame_per_point: 1 });
    const ids = npy.datumPage({ index: [0, 1] });
    d.event({ img: ids[0], tif: tif.datum({ point_number: 0 }) });
    d.event({ img: ids[1], tif: tif.datum({ point_number: 1 }) });
    const run = b.run();
    const refs = resolveExternal(run, 'primary', 'img');
    assert.deepEqual(
      refs.map((r) => [r.path, r.hdf5, r.dataset, r.indices, r.uri]),
      [
        ['/r/abc_0.npy', false, undefined, [{ start: 0, stop: 1 }], '/r/abc'],
        ['/r/abc_1.npy', false, undefined, [{ start: 0, stop: 1 }], '/r/abc'],
      ],
    );
    const tifs = resolveExternal(run, 'primary', 'tif');
    // issue 11: each frame's own file, as databroker's AreaDetectorTiffHandler names it
    assert.deepEqual(
      tifs.map((r) => [r.path, r.hdf5, r.indices]),
      [
        ['/t/dir/x_000000.tiff', false, [{ start: 0, stop: 1 }]],
        ['/t/dir/x_000001.tiff', false, [{ start: 0, stop: 1 }]],
      ],
    );
  });

  test('external refs survive a drained column', () => {
    const b = composeRun();
    const d = b.descriptor('primary', IMG);
    const res = b.resource('AD_HDF5', '/r', 'f.h5');
    d.event({ img: res.datum({ point_number: 0 }) });
    const run = b.run();
    const col = run.streams.get('primary')!.fields.get('img')!.values;
    run.rowRelease!.retain({ retained: new Set(), streamed: new Set(), streams: new Set(['primary']) });
    run.rowRelease!.written(new Map());
    assert.deepEqual(col.rows, []);
    assert.deepEqual(resolveExternal(run, 'primary', 'img')[0].indices, [{ start: 0, stop: 1 }]);
  });
});

describe('resolveExternal: stream_resource/stream_datum', () => {
  test('ranges per stream_resource, merged when contiguous, only for the descriptors of the stream', () => {
    const b = composeRun();
    const d = b.descriptor('primary', { img: { dtype: 'array', shape: [1, 5, 5], external: 'STREAM:' } });
    const other = b.descriptor('other', { img: { dtype: 'array', shape: [1, 5, 5], external: 'STREAM:' } });
    const sr = b.streamResource('img', 'file://localhost/data/run%201/img.h5', 'application/x-hdf5', {
      dataset: '/entry/data/img',
    });
    sr.streamDatum(d, 0, 2);
    sr.streamDatum(d, 2, 3);
    sr.streamDatum(other, 10, 11);
    sr.streamDatum(d, 4, 5);
    const refs = resolveExternal(b.run(), 'primary', 'img');
    assert.deepEqual(refs, [
      {
        kind: 'stream_resource',
        stream: 'primary',
        field: 'img',
        spec: 'application/x-hdf5',
        path: '/data/run 1/img.h5',
        uri: 'file://localhost/data/run%201/img.h5',
        dataset: '/entry/data/img',
        hdf5: true,
        indices: [
          { start: 0, stop: 3 },
          { start: 4, stop: 5 },
        ],
        resourceUid: sr.uid,
        parameters: { dataset: '/entry/data/img' },
        exists: false,
      },
    ]);
    assert.deepEqual(resolveExternal(b.run(), 'other', 'img')[0].indices, [{ start: 10, stop: 11 }]);
  });

  test('uri and path helpers', () => {
    assert.equal(uriToPath('file://localhost/a/b.h5'), '/a/b.h5');
    assert.equal(uriToPath('file:///a/b.h5'), '/a/b.h5');
    assert.equal(uriToPath('file://localhost//tmp/x/b.h5'), '/tmp/x/b.h5');
    assert.equal(uriToPath('/plain/path.h5'), '/plain/path.h5');
    const base = { uid: 'r', spec: 'X', resource_kwargs: {} };
    assert.equal(resourceFilePath({ ...base, root: '', resource_path: 'rel/f.h5' }), 'rel/f.h5');
    assert.equal(resourceFilePath({ ...base, root: '/root', resource_path: '/f.h5' }), '/root/f.h5');
    assert.equal(
      resourceFilePath({ ...base, root: 'C:\\data', resource_path: 'f.h5', path_semantics: 'windows' }),
      'C:\\data\\f.h5',
    );
  });
});
