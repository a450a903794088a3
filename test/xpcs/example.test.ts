/** The APS 8-ID XPCS example end to end: generated run → NXxpcs metadata file in the user directory, validated, read back. */
import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import h5wasm from 'h5wasm/node';
import type { RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { buildReport } from '../../src/report/index.js';
import { readRuns } from '../../src/run/index.js';
import { readDefinitionsDir, validateTemplate } from '../../src/validate/index.js';
import { REPO, tempDir, writeRuns } from '../report/helpers.js';

const TEMPLATE = path.join(REPO, 'templates', 'aps-8id-xpcs.json');
const DEFINITIONS = path.join(REPO, '..', 'shared', 'nexus-definitions');

/** [path, value, units]: every value of the example run (scan 42) where the file must hold it. */
const EXPECTED: [string, unknown, string | undefined][] = [
  ['/entry/definition', 'NXxpcs', undefined],
  ['/entry/entry_identifier', '42', undefined],
  ['/entry/entry_identifier_uuid', '6f1c2a9e-8d4b-4c1e-9a37-5b2d0e4f8a42', undefined],
  ['/entry/scan_number', 42n, undefined],
  ['/entry/beamline', 'APS-8-ID-I', undefined],
  ['/entry/title', 'A002_silica_att06_25C_00042', undefined],
  ['/entry/start_time', '2025-02-10T22:00:00.051404Z', undefined],
  ['/entry/instrument/detector_1/count_time', 0.00998, 's'],
  ['/entry/instrument/detector_1/frame_time', 0.01, 's'],
  ['/entry/instrument/detector_1/beam_center_x', 1064.5, 'pixel'],
  ['/entry/instrument/detector_1/beam_center_y', 1130.25, 'pixel'],
  ['/entry/instrument/detector_1/beam_center_position_x', 0.0802, 'm'],
  ['/entry/instrument/detector_1/position_x', 0.0025, 'm'],
  ['/entry/instrument/detector_1/position_y', -0.0015, 'm'],
  ['/entry/instrument/detector_1/distance', 12.48, 'm'],
  ['/entry/instrument/detector_1/x_pixel_size', 7.5e-5, 'm'],
  ['/entry/instrument/detector_1/rotation_z', 0, 'degree'],
  ['/entry/instrument/detector_1/flightpath_swing_vertical', 0.15, 'degree'],
  ['/entry/instrument/detector_1/detector_name', 'eiger4M', undefined],
  ['/entry/instrument/detector_1/qmap_file', 'eiger4M_qmap_0210_silica.hdf', undefined],
  ['/entry/instrument/detector_1/compression', 'bslz4', undefined],
  ['/entry/instrument/incident_beam/incident_energy', 10, 'keV'],
  ['/entry/instrument/incident_beam/ring_current', 129.87, 'mA'],
  ['/entry/instrument/incident_beam/incident_beam_intensity', 1.82e-9, 'A'],
  ['/entry/instrument/undulator_1/gap', 11.2, 'mm'],
  ['/entry/instrument/undulator_2/energy', 10.04, 'keV'],
  ['/entry/instrument/monochromator/wavelength', 1.23984, 'angstrom'],
  ['/entry/instrument/attenuator_1/attenuator_transmission', 0.1, undefined],
  ['/entry/instrument/attenuator_1/attenuator_index', 6n, undefined],
  ['/entry/instrument/beam_stop/x_position', 3.21, 'mm'],
  ['/entry/instrument/datamanagement/workflow_name', 'xpcs8-02-gladier-boost', undefined],
  ['/entry/instrument/bluesky/bluesky_version', '1.13.1', undefined],
  ['/entry/instrument/bluesky/bluesky_plan', 'ad_acq', undefined],
  ['/entry/instrument/sl4/horizontal_gap', 0.1, 'mm'],
  ['/entry/instrument/sl7/vertical_center', -0.0004, 'mm'],
  ['/entry/instrument/wb_slit/vertical_gap', 0.6, 'mm'],
  ['/entry/instrument/mono_slit/vertical_center', 0.005, 'mm'],
  ['/entry/sample/name', 'silica_nanoparticles_100nm', undefined],
  ['/entry/sample/short_description', 'silica spheres (100 nm) in glycerol', undefined],
  ['/entry/sample/huber_chi', 90, 'degree'],
  ['/entry/sample/huber_y', -0.25, 'mm'],
  ['/entry/sample/qnw1_temperature_set', 25, 'degC'],
  ['/entry/sample/temperature', 25.02, 'degC'],
  ['/entry/sample/lakeshore1', 298.15, 'K'],
  ['/entry/sample/position_x/value', 12.345, 'mm'],
  ['/entry/sample/keithley_chA_SrcLevelV', 1.5, 'V'],
  ['/entry/sample/keysight_freq', 1000, 'Hz'],
  ['/entry/user/name', 'Jane Doe', undefined],
  ['/entry/user/email', 'jdoe@example.edu', undefined],
  ['/entry/user/institution', 'Example University', undefined],
  ['/entry/user/cycle', '2025-1', undefined],
  ['/entry/user/proposal_id', '1012345', undefined],
  ['/entry/process/program', 'nxlayout', undefined],
];

describe('APS 8-ID XPCS example', () => {
  const tmp = tempDir('nxl-xpcs-');
  // the generator writes the detector files into DIR/output, the data root the metadata files go to as well
  const root = path.join(tmp.dir, 'output');
  let logs: string[];
  let layout: Layout;
  let results: RunResult[];

  before(async () => {
    const script = (await import(pathToFileURL(path.join(REPO, 'scripts', 'make-xpcs-example.mjs')).href)) as {
      makeXpcsExample(dir: string): Promise<string[]>;
    };
    logs = await script.makeXpcsExample(tmp.dir);
    const loaded = await loadLayout(TEMPLATE);
    assert.deepEqual(loaded.diagnostics, []);
    layout = loaded.layout!;
    assert.equal(existsSync(path.join(root, 'A002_silica', 'A002_silica_00042_metadata.hdf')), false);
    results = await writeRuns(logs, root, layout);
  });
  after(tmp.remove);

  test('each run gets its metadata file in its user directory, beside the detector files', () => {
    assert.deepEqual(
      results.map((r) => [r.status, path.relative(root, r.file ?? '')]),
      [
        ['written', 'A002_silica/A002_silica_00042_metadata.hdf'],
        ['written', 'A002_silica/A002_silica_00043_metadata.hdf'],
      ],
    );
    assert.deepEqual(
      results.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error')),
      [],
    );
  });

  test('the template validates against NXxpcs, alone and against the example runs, with no error', async () => {
    const digest = await readDefinitionsDir(DEFINITIONS);
    const { runs } = await readRuns(logs);
    assert.equal(runs.length, 2);
    const options = { registry: createDefaultRegistry(), digest, definitions: ['NXxpcs'] };
    const text = readFileSync(TEMPLATE, 'utf8');
    const alone = validateTemplate(text, TEMPLATE, options);
    assert.deepEqual(
      alone.filter((f) => f.severity === 'error'),
      [],
    );
    const against = validateTemplate(text, TEMPLATE, { ...options, runs });
    assert.deepEqual(
      against.filter((f) => f.severity === 'error'),
      [],
    );
    assert.ok(
      against.some(
        (f) => f.code === 'LAYOUT_FILE_PATH' && f.message.includes('A002_silica/A002_silica_00042_metadata.hdf'),
      ),
    );
  });

  test('the file holds every value of the run at its path, with its units', async () => {
    await h5wasm.ready;
    const f = new h5wasm.File(results[0].file!, 'r');
    try {
      for (const [p, value, units] of EXPECTED) {
        const ds = f.get(p);
        assert.ok(ds instanceof h5wasm.Dataset, `${p} is a dataset`);
        const v = ds.value;
        if (typeof value === 'number')
          assert.ok(Math.abs(Number(v) - value) < 1e-9 * Math.max(1, Math.abs(value)), `${p}: ${String(v)} ≠ ${value}`);
        else assert.equal(v, value, p);
        assert.equal(ds.attrs.units?.value, units, `${p} units`);
      }
      const root = f.get('/') as InstanceType<typeof h5wasm.Group>;
      assert.equal(root.attrs.default?.value, 'entry');
      assert.equal(
        (f.get('/entry/instrument/detector_1') as InstanceType<typeof h5wasm.Group>).attrs.NX_class?.value,
        'NXdetector',
      );
      assert.equal(
        (f.get('/entry/sample/position_x') as InstanceType<typeof h5wasm.Group>).attrs.NX_class?.value,
        'NXpositioner',
      );
      assert.equal(f.get('/entry/sample/position_rheo_x'), null, 'optional values the run lacks are left out');
      assert.equal(f.get('/entry/instrument/incident_beam/extent'), null);
      const frameSum = f.get('/entry/data/frame_sum') as InstanceType<typeof h5wasm.Dataset>;
      assert.deepEqual(frameSum.shape, [10]);
    } finally {
      f.close();
    }
  });

  test('the image data is an external link, relative, that h5dump follows to the frames', {
    skip: spawnSync('h5dump', ['--version']).status !== 0 && 'h5dump not installed',
  }, () => {
    const file = results[0].file!;
    const ls = spawnSync('h5ls', [`${file}/entry/instrument/detector_1/data`], { encoding: 'utf8' });
    assert.match(ls.stdout, /External Link \{A002_silica_00042\.h5\/\/entry\/data\/data\}/);
    const dump = spawnSync('h5dump', ['-d', '/entry/data/data', '-s', '9,0,0', '-c', '1,1,4', file], {
      encoding: 'utf8',
      cwd: tmp.dir,
    });
    assert.equal(dump.status, 0, dump.stderr);
    assert.match(dump.stdout, /DATASPACE\s+SIMPLE \{ \( 10, 16, 16 \)/);
    assert.match(dump.stdout, /H5T_STD_U16LE/);
    assert.match(dump.stdout, /\(9,0,0\): \d+, \d+, \d+, \d+/);
  });

  test('the report lists the runs of the user directory, not the detector files', async () => {
    const report = await buildReport(path.join(root, 'A002_silica'));
    assert.deepEqual(
      report.rows.map((r) => [r.scanId, r.status, r.file, r.template]),
      [
        [42, 'success', 'A002_silica_00042_metadata.hdf', 'aps-8id-xpcs@1.0.0'],
        [43, 'abort', 'A002_silica_00043_metadata.hdf', 'aps-8id-xpcs@1.0.0'],
      ],
    );
    assert.deepEqual(report.skipped, ['A002_silica_00042.h5', 'A002_silica_00043.h5']);
  });
});
