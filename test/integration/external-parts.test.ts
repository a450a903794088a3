/**
 * Issue 11, external data: a multipart stream_resource (one HDF5 file per
 * frame, named by its template) links every part; a file-per-frame spec
 * (AD_TIFF, NPY_SEQ) names each frame's file; a detector file missing at write
 * time is a warning (the file may arrive later) and the run is still written.
 * Read back with h5dump / h5ls.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { composeRun } from '../../src/run/testing.js';
import { writeJsonl } from './every-construct-run.js';
import { dumpNumbers, tool, writeDetectorFile } from './h5.js';
import { h5dumpAttr } from './h5dump.js';
import { DEFAULT_TEMPLATE } from './paths.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-external-parts-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const { layout } = await loadLayout(DEFAULT_TEMPLATE);
assert.ok(layout);

const VALUE = '/entry/instrument/bluesky/streams/primary/det/value';
const part = (i: number): Float64Array => Float64Array.from({ length: 4 * 5 }, (_, k) => i * 100 + k);

/** 3 frames, one HDF5 file each (part_000.h5…), the last one missing when `missingLast`. */
function multipartRun(uid: string, parts: string, missingLast: boolean): string {
  fs.mkdirSync(parts, { recursive: true });
  for (let i = 0; i < 3; i++) {
    if (!(missingLast && i === 2))
      writeDetectorFile(path.join(parts, `part_${String(i).padStart(3, '0')}.h5`), [
        { path: '/entry/data/data', data: part(i), shape: [1, 4, 5], dtype: '<d' },
      ]);
  }
  const b = composeRun({ uid, plan_name: 'count', detectors: ['det'] });
  const d = b.descriptor('primary', {
    det: { object_name: 'det', dtype: 'array', shape: [1, 4, 5], external: 'STREAM:' },
  });
  const sr = b.streamResource('det', `file://localhost${parts}/`, 'multipart/related;type=application/x-hdf5', {
    template: 'part_{:03d}.h5',
    dataset: '/entry/data/data',
  });
  for (let i = 0; i < 3; i++) {
    sr.streamDatum(d, i, i + 1);
    d.event({});
  }
  b.stop();
  return writeJsonl(path.join(dir, `${uid.slice(0, 8)}.jsonl`), b.documents());
}

function filePerFrameRun(uid: string): string {
  const b = composeRun({ uid, plan_name: 'count', detectors: ['cam', 'npy'] });
  const d = b.descriptor('primary', {
    cam: { object_name: 'cam', dtype: 'array', shape: [4, 5], external: 'FILESTORE:' },
    npy: { object_name: 'npy', dtype: 'array', shape: [2], external: 'FILESTORE:' },
  });
  const tif = b.resource('AD_TIFF', path.join(dir, 'tiff'), 'run7', {
    template: '%s%s_%6.6d.tiff',
    filename: 'img',
    frame_per_point: 2,
  });
  const npy = b.resource('NPY_SEQ', path.join(dir, 'npy'), 'seq');
  for (let i = 0; i < 2; i++) d.event({ cam: tif.datum({ point_number: i }), npy: npy.datum({ index: i }) });
  b.stop();
  return writeJsonl(path.join(dir, `${uid.slice(0, 8)}.jsonl`), b.documents());
}

const logs = [
  multipartRun('aa000001-0000-4000-8000-000000000000', path.join(dir, 'parts-a'), false),
  multipartRun('aa000002-0000-4000-8000-000000000000', path.join(dir, 'parts-b'), true),
  filePerFrameRun('aa000003-0000-4000-8000-000000000000'),
];
const out = path.join(dir, 'out');
fs.mkdirSync(out);
const { results } = await convertLogs(logs, {
  outRoot: out,
  layouts: [],
  fallback: layout,
  registry: createDefaultRegistry(),
});
const byUid = new Map<string, RunResult>(results.map((r) => [r.uid.slice(0, 8), r]));
const fileOf = (short: string): string => {
  const r = byUid.get(short);
  assert.ok(r?.status === 'written' && r.file !== undefined, `${short} written`);
  return r.file;
};

describe('external data in parts and file-per-frame', () => {
  test('multipart HDF5 stream_resource: one external link per part, relative, read by h5dump through each', () => {
    const file = fileOf('aa000001');
    const listing = tool('h5ls', [`${file}${VALUE}`]);
    for (let i = 1; i <= 3; i++)
      assert.match(
        listing,
        new RegExp(`^data_00000${i} +External Link \\{\\.\\./parts-a/part_00${i - 1}\\.h5//entry/data/data\\}`, 'm'),
      );
    for (let i = 0; i < 3; i++)
      assert.deepEqual(dumpNumbers(file, `${VALUE}/data_00000${i + 1}`, path.dirname(file)), [...part(i)]);
    assert.deepEqual(h5dumpAttr(file, VALUE, 'external_indices'), ['0:1', '0:1', '0:1'], 'each part holds one frame');
    assert.deepEqual(
      byUid.get('aa000001')!.diagnostics.filter((d) => d.code === 'EVAL_EXTERNAL'),
      [],
    );
  });

  test('a part missing at write time: a warning that says the file may arrive later; the run is written with its link', () => {
    const r = byUid.get('aa000002')!;
    const file = fileOf('aa000002');
    const warnings = r.diagnostics.filter((d) => d.code === 'EVAL_EXTERNAL');
    assert.equal(warnings.length, 1, JSON.stringify(r.diagnostics));
    assert.equal(warnings[0].severity, 'warning');
    assert.match(warnings[0].message, /part_002\.h5 does not exist|1 of its 3 files do not exist/);
    assert.match(warnings[0].hint ?? '', /once the file arrives/);
    assert.deepEqual([warnings[0].location.stream, warnings[0].location.field], ['primary', 'det']);
    assert.match(
      tool('h5ls', [`${file}${VALUE}`]),
      /^data_000003 +External Link \{\.\.\/parts-b\/part_002\.h5\/\/entry\/data\/data\}/m,
    );
  });

  test("AD_TIFF and NPY_SEQ: each frame's file named as their readers name it (template % (path/, filename, n); NAME_INDEX.npy)", () => {
    const file = fileOf('aa000003');
    const names = (field: string): string[] => {
      const dump = tool('h5dump', ['-w', '0', '-d', `/entry/instrument/bluesky/streams/primary/${field}/value`, file]);
      const data = dump.slice(dump.indexOf('DATA {'));
      return [...data.slice(0, data.indexOf('}')).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    };
    assert.deepEqual(
      names('cam'),
      [0, 1, 2, 3].map((n) => path.join(dir, 'tiff', 'run7', `img_00000${n}.tiff`)),
    );
    assert.deepEqual(
      names('npy'),
      [0, 1].map((n) => path.join(dir, 'npy', `seq_${n}.npy`)),
    );
    const missing = byUid.get('aa000003')!.diagnostics.filter((d) => d.code === 'EVAL_EXTERNAL');
    assert.deepEqual(
      missing.map((d) => [d.severity, d.location.field]),
      [
        ['warning', 'cam'],
        ['warning', 'npy'],
      ],
    );
  });
});
