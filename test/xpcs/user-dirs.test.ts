/** User directories (seeds/000): made under the root, never outside it, named by the run or a commissioning default. */
import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { RunStart } from '../../src/documents/models.js';
import { loadLayout, parseLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { composeRun } from '../../src/run/testing.js';
import { REPO, tempDir, writeLog, writeRuns } from '../report/helpers.js';

/** A small 8-ID-I run: the required values of the template, and the metadata given. */
function xpcsRun(metadata: Partial<RunStart>) {
  const b = composeRun({ beamline_id: '8-ID-I', plan_name: 'ad_acq', ...metadata });
  b.descriptor('baseline', { pv_registers_db_x: {}, pv_registers_db_y: {}, mono_energy: { units: 'keV' } }).event({
    pv_registers_db_x: 10,
    pv_registers_db_y: 20,
    mono_energy: 8,
  });
  const d = b.descriptor(
    'primary',
    { eiger4M_image: { dtype: 'array', shape: [2, 2], external: 'STREAM:' } },
    {
      eiger4M: {
        data: { eiger4M_cam_acquire_time: 0.1, eiger4M_cam_acquire_period: 0.2 },
        timestamps: {},
        data_keys: {},
      },
    },
  );
  const sr = b.streamResource('eiger4M_image', 'file://localhost/gdata/det.h5', 'application/x-hdf5', {
    dataset: '/entry/data/data',
  });
  d.event({});
  sr.streamDatum(d, 0, 1);
  b.stop();
  return b;
}

describe('user directories', () => {
  const tmp = tempDir('nxl-userdir-');
  const root = path.join(tmp.dir, 'root');
  let layout: Layout;
  before(async () => {
    layout = (await loadLayout(path.join(REPO, 'templates', 'aps-8id-xpcs.json'))).layout!;
  });
  after(tmp.remove);

  async function write(name: string, metadata: Partial<RunStart>, with_ = layout) {
    const [result] = await writeRuns([writeLog(xpcsRun(metadata), path.join(tmp.dir, `${name}.jsonl`))], root, with_);
    return result;
  }

  test('the run names its user directory, created under the root when missing', async () => {
    assert.equal(existsSync(path.join(root, 'B117_gels')), false);
    const r = await write('named', { scan_id: 7, user_dir: 'B117_gels', proposal_id: '1099' });
    assert.equal(r.status, 'written');
    assert.equal(r.file, path.join(root, 'B117_gels', 'B117_gels_00007_metadata.hdf'));
    assert.ok(existsSync(r.file!));
  });

  test("a commissioning run with no user directory goes to the template's default", async () => {
    const r = await write('commissioning', { scan_id: 8, proposal_id: 'commissioning 2025-1' });
    assert.equal(r.status, 'written');
    assert.equal(r.file, path.join(root, 'commissioning', 'commissioning_00008_metadata.hdf'));
  });

  test('a run without the metadata the path needs is refused, naming the key', async () => {
    const r = await write('noscan', { user_dir: 'B117_gels' });
    assert.equal(r.status, 'failed');
    const d = r.diagnostics.find((x) => x.severity === 'error');
    assert.ok(d !== undefined);
    assert.equal(d.code, 'EVAL_START_MISSING');
    assert.match(d.message, /uses start\.scan_id, which the run does not have/);
    assert.equal(d.location.pointer, '/file');
    assert.equal(existsSync(path.join(root, 'B117_gels', 'B117_gels_undefined_metadata.hdf')), false);
  });

  test('nothing lands outside the root: a user_dir with ".." stays inside or is refused; a path that leaves the root is refused', async () => {
    const dots = await write('dots', { scan_id: 9, user_dir: '../../etc' });
    // `safe` turns "../../etc" into ".._.._etc"; whether that name is written or refused, it is never outside the root
    if (dots.status === 'written') assert.ok(dots.file!.startsWith(root + path.sep), dots.file);
    else assert.ok(dots.diagnostics.some((d) => d.code === 'NEXUS_PATH_ESCAPE'));
    assert.equal(existsSync(path.join(tmp.dir, '..', 'etc', '.._.._etc_00009_metadata.hdf')), false);
    const unsafe = parseLayout(
      JSON.stringify({
        name: 'unsafe',
        version: '1.0.0',
        file: '{{start.user_dir}}/{{start.scan_id}}.hdf',
        tree: { 'entry:NXentry': { definition: 'NXxpcs' } },
      }),
      'unsafe.json',
    ).layout!;
    const escaped = await write('escape', { scan_id: 10, user_dir: '../outside' }, unsafe);
    assert.equal(escaped.status, 'failed');
    assert.ok(
      escaped.diagnostics.some((d) => d.code === 'NEXUS_PATH_ESCAPE' && /leaves the output root/.test(d.message)),
    );
    assert.equal(existsSync(path.join(tmp.dir, 'outside')), false);
  });

  test('a missing required value is reported with its path, and nothing is written', async () => {
    const b = composeRun({ beamline_id: '8-ID-I', scan_id: 11, user_dir: 'C1' });
    b.descriptor('baseline', { mono_energy: {} }).event({ mono_energy: 8 });
    b.stop();
    const [r] = await writeRuns([writeLog(b, path.join(tmp.dir, 'bare.jsonl'))], root, layout);
    assert.equal(r.status, 'failed');
    const errors = r.diagnostics
      .filter((d) => d.severity === 'error' && d.location.nexusPath !== undefined)
      .map((d) => d.location.nexusPath);
    for (const p of [
      '/entry/instrument/detector_1/count_time',
      '/entry/instrument/detector_1/frame_time',
      '/entry/instrument/detector_1/beam_center_x',
      '/entry/instrument/detector_1/data',
    ]) {
      assert.ok(errors.includes(p), `${p} in ${errors.join(', ')}`);
    }
    assert.equal(existsSync(path.join(root, 'C1', 'C1_00011_metadata.hdf')), false);
  });
});
