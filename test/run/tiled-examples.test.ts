import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveExternal } from '../../src/run/external.js';
import type { Run } from '../../src/run/models.js';
import { readRuns } from '../../src/run/read-runs.js';

const EXAMPLES = fileURLToPath(new URL('../../../../shared/realdata/bluesky-tiled-plugins/', import.meta.url));
const UUID = 'c0ffee00-1234-4abc-8def';

let dir = '';
let root = '';

/** The examples carry `{{ uuid }}` / `{{ root_path }}` placeholders that their own suite fills in before use. */
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'nxl-run-tiled-'));
  root = path.join(dir, 'root');
  for (const name of await readdir(EXAMPLES)) {
    if (!name.endsWith('.json')) continue;
    const text = await readFile(path.join(EXAMPLES, name), 'utf8');
    await writeFile(path.join(dir, name), text.replaceAll('{{ uuid }}', UUID).replaceAll('{{ root_path }}', root));
  }
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readOne(name: string): Promise<Run> {
  const { runs, diagnostics } = await readRuns([path.join(dir, name)]);
  assert.deepEqual(diagnostics, []);
  assert.equal(runs.length, 1);
  assert.deepEqual(runs[0].diagnostics, []);
  return runs[0];
}

const refView = (run: Run, stream: string, field: string) =>
  resolveExternal(run, stream, field).map((r) => ({
    kind: r.kind,
    path: r.path,
    dataset: r.dataset,
    hdf5: r.hdf5,
    indices: r.indices,
    resourceUid: r.resourceUid,
  }));

describe('real data: bluesky-tiled-plugins examples', () => {
  test('external_assets: stream_resource/stream_datum into HDF5 and a TIFF sequence', async () => {
    const run = await readOne('external_assets.json');
    assert.equal(run.uid, `${UUID}-9724b2201fe7`);
    assert.deepEqual(
      [...run.streams].map(([n, s]) => [n, s.length]),
      [
        ['primary', 3],
        ['secondary', 0],
      ],
    );
    assert.equal(run.streamDatums.length, 9);
    const h5 = path.join(root, 'dataset.h5');
    assert.deepEqual(refView(run, 'primary', 'det-key1'), [
      {
        kind: 'stream_resource',
        path: h5,
        dataset: '/entry/data/data_1',
        hdf5: true,
        indices: [{ start: 0, stop: 3 }],
        resourceUid: 'det-key1-uid',
      },
    ]);
    assert.deepEqual(refView(run, 'primary', 'det-key2'), [
      {
        kind: 'stream_resource',
        path: h5,
        dataset: '/entry/data/data_2',
        hdf5: true,
        indices: [{ start: 0, stop: 3 }],
        resourceUid: 'det-key2-uid',
      },
    ]);
    // issue 11: a multipart stream_resource names one file per frame, from its template (img_{:05d}.tif)
    assert.deepEqual(
      refView(run, 'secondary', 'det-key3'),
      [0, 1, 2].map((i) => ({
        kind: 'stream_resource',
        path: path.join(root, 'tiff_files', `img_0000${i}.tif`),
        dataset: undefined,
        hdf5: false,
        indices: [{ start: 0, stop: 1 }],
        resourceUid: 'det-key3-uid',
      })),
    );
    assert.deepEqual(refView(run, 'primary', 'det-key3'), []);
    const ref = resolveExternal(run, 'secondary', 'det-key3')[0];
    assert.equal(ref.spec, 'multipart/related;type=image/tiff');
    assert.equal(ref.parameters.template, 'img_{:05d}.tif');
  });

  test('external_assets_single_key: one key, three stream_datums merged', async () => {
    const run = await readOne('external_assets_single_key.json');
    assert.deepEqual(refView(run, 'primary', 'det-key2'), [
      {
        kind: 'stream_resource',
        path: path.join(root, 'dataset.h5'),
        dataset: '/entry/data/data_2',
        hdf5: true,
        indices: [{ start: 0, stop: 3 }],
        resourceUid: 'det-key2-uid',
      },
    ]);
  });

  test('external_assets_legacy: resource/datum with frame and dataset in datum_kwargs', async () => {
    const run = await readOne('external_assets_legacy.json');
    assert.equal(run.streams.get('primary')!.length, 3);
    assert.equal(run.datums?.size, 3);
    assert.deepEqual(refView(run, 'primary', 'det-key2'), [
      {
        kind: 'resource',
        path: path.join(root, 'dataset.h5'),
        dataset: '/entry/data/data_2',
        hdf5: true,
        indices: [{ start: 0, stop: 3 }],
        resourceUid: 'det-key2-uid',
      },
    ]);
    assert.equal(resolveExternal(run, 'primary', 'det-key2')[0].spec, 'AD_HDF5_SWMR_STREAM');
  });

  test('internal_events: two descriptors in primary, ragged and empty arrays, a field named time', async () => {
    const run = await readOne('internal_events.json');
    const primary = run.streams.get('primary')!;
    assert.equal(primary.descriptors.length, 2);
    assert.equal(primary.length, 3);
    assert.deepEqual(primary.fields.get('ragged')!.values.rows, [
      [0, 1, 2, 3],
      [10, 11],
      [20, 21, 22, 23],
    ]);
    assert.deepEqual(primary.fields.get('empty')!.values.rows, [[], [], []]);
    assert.deepEqual(primary.fields.get('time')!.values.rows, [1745338531.00165, 1745338531.00165, 1745338533.00165]);
    assert.deepEqual(primary.time.rows, [1745338531.215753, 1745338531.218661, 1745338533.2213702]);
    assert.deepEqual(
      primary.descriptors.map((d) => d.configuration?.det.data?.det_Imax),
      [1, 2],
    );
    assert.deepEqual(refView(run, 'primary', 'det'), []);
  });
});
