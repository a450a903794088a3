#!/usr/bin/env node
// Writes the APS 8-ID XPCS example (docs/xpcs.md): two runs of one user
// directory as Bluesky document logs, and the HDF5 file the area detector
// wrote for each (10 frames of 16×16 uint16 at /entry/data/data), referenced
// through stream_resource/stream_datum. Everything is deterministic (fixed
// uids, times and pixel values). The stream_resource `uri` is relative to the
// log (`file:output/A002_silica/…h5`), which nxlayout resolves against the
// log's directory, so the example works from any checkout:
//
//   node scripts/make-xpcs-example.mjs [DIR]        (default: examples/xpcs)
//   npx nxlayout write DIR/*.jsonl --out DIR/output (the metadata files)
//
// DIR/output plays the beamline's data root: the detector files are written
// into the run's user directory there, where the metadata file goes too.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm/node';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const FRAMES = 10;
const SIZE = 16;

/** The start of a run at 8-ID-I: the RunEngine metadata an 8-ID session sets. */
function startDocument(scan) {
  return {
    uid: scan.uid,
    time: scan.time,
    scan_id: scan.scanId,
    plan_name: 'ad_acq',
    plan_type: 'generator',
    plan_args: {
      detectors: ["EigerDetector(prefix='8idEiger4m:', name='eiger4M')"],
      num_images: FRAMES,
      acquire_time: 0.00998,
      acquire_period: 0.01,
    },
    title: `${scan.userDir}_${scan.sampleTag}_${String(scan.scanId).padStart(5, '0')}`,
    beamline_id: '8-ID-I',
    instrument_name: '8-ID',
    facility: 'APS',
    proposal_id: '1012345',
    esaf_id: '281234',
    cycle: '2025-1',
    user: 'Jane Doe',
    user_email: 'jdoe@example.edu',
    user_institution: 'Example University',
    user_dir: scan.userDir,
    sample_name: scan.sampleName,
    sample_short_description: scan.short,
    sample_full_description: scan.full,
    detectors: ['eiger4M'],
    motors: [],
    hints: { dimensions: [[['time'], 'primary']] },
    data_management: { workflow: 'xpcs8-02-gladier-boost', workflow_version: '2.1.0' },
    workflow_name: 'xpcs8-02-gladier-boost',
    workflow_version: '2.1.0',
    workflow_kwargs: { analysis_type: 'Multitau', smooth: 'sqmap', gpu_id: -1 },
    qmap_file: 'eiger4M_qmap_0210_silica.hdf',
    spec_file: `/home/8-id-i/2025-1/${scan.userDir}/${scan.userDir}.dat`,
    parent_folder: `/gdata/dm/8IDI/2025-1/${scan.userDir}`,
    versions: { bluesky: '1.13.1', ophyd: '1.9.0', apstools: '1.7.2', epics: '3.5.7' },
  };
}

/** Baseline devices, as ophyd names their readings: [field, value, units, source PV]. */
function baselineReadings(scan) {
  const t = scan.temperature;
  return [
    ['sl4_h_size', 0.1, 'mm', '8idiSoft:SL4:h:size'],
    ['sl4_h_center', 0.002, 'mm', '8idiSoft:SL4:h:center'],
    ['sl4_v_size', 0.05, 'mm', '8idiSoft:SL4:v:size'],
    ['sl4_v_center', -0.001, 'mm', '8idiSoft:SL4:v:center'],
    ['sl7_h_size', 0.02, 'mm', '8idiSoft:SL7:h:size'],
    ['sl7_h_center', 0.0005, 'mm', '8idiSoft:SL7:h:center'],
    ['sl7_v_size', 0.02, 'mm', '8idiSoft:SL7:v:size'],
    ['sl7_v_center', -0.0004, 'mm', '8idiSoft:SL7:v:center'],
    ['wb_slit_hgap', 1.2, 'mm', '8ideSoft:WBS:hgap'],
    ['wb_slit_hcen', 0.01, 'mm', '8ideSoft:WBS:hcen'],
    ['wb_slit_vgap', 0.6, 'mm', '8ideSoft:WBS:vgap'],
    ['wb_slit_vcen', -0.02, 'mm', '8ideSoft:WBS:vcen'],
    ['mono_slit_hgap', 0.3, 'mm', '8ideSoft:MS:hgap'],
    ['mono_slit_hcen', 0.0, 'mm', '8ideSoft:MS:hcen'],
    ['mono_slit_vgap', 0.2, 'mm', '8ideSoft:MS:vgap'],
    ['mono_slit_vcen', 0.005, 'mm', '8ideSoft:MS:vcen'],
    ['mono_energy', 10.0, 'keV', '8idaSoft:MONO:energy.RBV'],
    ['mono_wavelength', 1.23984, 'angstrom', '8idaSoft:MONO:lambda.RBV'],
    ['aps_current', 129.87, 'mA', 'S-DCCT:CurrentM'],
    ['undulator_us_gap', 11.2, 'mm', 'S08ID:USID:GapM'],
    ['undulator_us_energy', 10.06, 'keV', 'S08ID:USID:EnergyM'],
    ['undulator_us_taper', 0.002, 'mm', 'S08ID:USID:TaperGapM'],
    ['undulator_ds_gap', 11.25, 'mm', 'S08ID:DSID:GapM'],
    ['undulator_ds_energy', 10.04, 'keV', 'S08ID:DSID:EnergyM'],
    ['undulator_ds_taper', 0.001, 'mm', 'S08ID:DSID:TaperGapM'],
    ['filter_8ide_transmission', 0.1, '', '8ideSoft:FILTERS:transmission_RBV'],
    ['filter_8ide_index', 6, '', '8ideSoft:FILTERS:index_RBV'],
    ['filter_8idi_transmission', 1.0, '', '8idiSoft:FILTERS:transmission_RBV'],
    ['filter_8idi_index', 0, '', '8idiSoft:FILTERS:index_RBV'],
    ['beam_stop_x', 3.21, 'mm', '8idi:m41.RBV'],
    ['beam_stop_y', -1.05, 'mm', '8idi:m42.RBV'],
    ['incident_beam_intensity', 1.82e-9, 'A', '8idiTetra:Current1:MeanValue_RBV'],
    ['transmitted_beam_intensity', 4.4e-11, 'A', '8idiTetra:Current2:MeanValue_RBV'],
    ['detector_x', 2.5, 'mm', '8idi:m90.RBV'],
    ['detector_y', -1.5, 'mm', '8idi:m91.RBV'],
    ['sample_detector_distance', 12480.0, 'mm', '8idi:Reg:sample_detector_distance'],
    ['flightpath_swing_h', 0.0, 'degree', '8idi:m93.RBV'],
    ['flightpath_swing_v', 0.15, 'degree', '8idi:m94.RBV'],
    ['pv_registers_det_name', 'eiger4M', null, '8idi:Reg:det_name'],
    ['pv_registers_qmap_file', 'eiger4M_qmap_0210_silica.hdf', null, '8idi:Reg:qmap_file'],
    ['pv_registers_db_x', 1064.5, 'pixel', '8idi:Reg:db_x'],
    ['pv_registers_db_y', 1130.25, 'pixel', '8idi:Reg:db_y'],
    ['pv_registers_beam_center_position_x', 80.2, 'mm', '8idi:Reg:bc_pos_x'],
    ['pv_registers_beam_center_position_y', 84.9, 'mm', '8idi:Reg:bc_pos_y'],
    ['pv_registers_det_pixel_size', 7.5e-5, 'm', '8idi:Reg:det_pixel_size'],
    ['huber_x', 0.5, 'mm', '8idi:m1.RBV'],
    ['huber_y', -0.25, 'mm', '8idi:m2.RBV'],
    ['huber_z', 1.75, 'mm', '8idi:m3.RBV'],
    ['huber_nu', 0.0, 'degree', '8idi:m4.RBV'],
    ['huber_delta', 0.0, 'degree', '8idi:m5.RBV'],
    ['huber_mu', 0.1, 'degree', '8idi:m6.RBV'],
    ['huber_eta', 0.0, 'degree', '8idi:m7.RBV'],
    ['huber_chi', 90.0, 'degree', '8idi:m8.RBV'],
    ['huber_phi', 0.0, 'degree', '8idi:m9.RBV'],
    ['qnw_lakeshore', t + 0.03, 'degC', '8idi:LS336:TC1:IN1'],
    ['qnw_env1_readback', t + 0.02, 'degC', '8idi:QNWenv_1:SH_RBV'],
    ['qnw_env1_setpoint', t, 'degC', '8idi:QNWenv_1:TARG'],
    ['qnw_env2_readback', 25.01, 'degC', '8idi:QNWenv_2:SH_RBV'],
    ['qnw_env2_setpoint', 25.0, 'degC', '8idi:QNWenv_2:TARG'],
    ['qnw_env3_readback', 25.0, 'degC', '8idi:QNWenv_3:SH_RBV'],
    ['qnw_env3_setpoint', 25.0, 'degC', '8idi:QNWenv_3:TARG'],
    ['lakeshore1_readback_ch1', 298.15 + t - 25, 'K', '8idi:LS336:TC2:IN1'],
    ['sample_x', 12.345, 'mm', '8idi:m11.RBV'],
    ['sample_y', -3.21, 'mm', '8idi:m12.RBV'],
    ['sample_z', 0.75, 'mm', '8idi:m13.RBV'],
    ['keithley_chA_SrcLevelV', 1.5, 'V', '8idiKeithley:A:SrcLevelV'],
    ['keithley_chA_SrcLevelI', 1e-6, 'A', '8idiKeithley:A:SrcLevelI'],
    ['keithley_chB_SrcLevelV', 0.0, 'V', '8idiKeithley:B:SrcLevelV'],
    ['keithley_chB_SrcLevelI', 0.0, 'A', '8idiKeithley:B:SrcLevelI'],
    ['keithley_chA_MeasRangeV', 20.0, 'V', '8idiKeithley:A:MeasRangeV'],
    ['keithley_chA_MeasRangeI', 1e-3, 'A', '8idiKeithley:A:MeasRangeI'],
    ['keithley_chB_MeasRangeV', 20.0, 'V', '8idiKeithley:B:MeasRangeV'],
    ['keithley_chB_MeasRangeI', 1e-3, 'A', '8idiKeithley:B:MeasRangeI'],
    ['bk_pid_VAL', t, 'degC', '8idiBK:PID:VAL'],
    ['bk_pid_RDBK', t + 0.01, 'degC', '8idiBK:PID:RDBK'],
    ['keysight_func', 0, '', '8idiKS:FUNC'],
    ['keysight_freq', 1000.0, 'Hz', '8idiKS:FREQ'],
    ['keysight_amp', 0.5, 'V', '8idiKS:AMP'],
    ['keysight_phase', 0.0, 'degree', '8idiKS:PHASE'],
    ['keysight_pulse_width', 1e-4, 's', '8idiKS:PULSE_WIDTH'],
    ['keysight_trigg_source', 1, '', '8idiKS:TRIG_SOURCE'],
    ['keysight_trigg_edge', 0, '', '8idiKS:TRIG_EDGE'],
    ['keysight_burst_count', 1, '', '8idiKS:BURST_COUNT'],
    ['keysight_burst_mode', 0, '', '8idiKS:BURST_MODE'],
    ['keysight_burst_state', 0, '', '8idiKS:BURST_STATE'],
    ['keysight_output', 1, '', '8idiKS:OUTPUT'],
  ];
}

/** Readings that are counts or enumerations, not measurements. */
const INTEGER_FIELDS = /_(index|func|source|edge|count|mode|state|output)$/;

function dataKey([field, value, units, source]) {
  const key =
    typeof value === 'string'
      ? { dtype: 'string', dtype_numpy: '<U64', shape: [], source: `PV:${source}` }
      : INTEGER_FIELDS.test(field)
        ? { dtype: 'integer', dtype_numpy: '<i8', shape: [], source: `PV:${source}` }
        : { dtype: 'number', dtype_numpy: '<f8', shape: [], source: `PV:${source}`, precision: 4 };
  if (units) key.units = units;
  key.object_name = field.split('_')[0];
  return key;
}

/** A deterministic speckle-like frame stack (a linear congruential generator, no Math.random). */
function frames(seed, count) {
  const data = new Uint16Array(count * SIZE * SIZE);
  let x = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const r = Math.hypot((i % SIZE) - 7.5, (Math.floor(i / SIZE) % SIZE) - 7.5);
    data[i] = Math.round(400 / (1 + r) + (x >>> 24) / 8);
  }
  return data;
}

function writeDetectorFile(file, data, count) {
  mkdirSync(dirname(file), { recursive: true });
  rmSync(file, { force: true });
  const f = new h5wasm.File(file, 'w');
  try {
    f.create_group('entry');
    f.get('entry').create_attribute('NX_class', 'NXentry');
    f.create_group('entry/data');
    f.get('entry/data').create_attribute('NX_class', 'NXdata');
    f.get('entry/data').create_dataset({ name: 'data', data, shape: [count, SIZE, SIZE], dtype: '<H' });
  } finally {
    f.close();
  }
}

function runDocuments(scan, dataRoot, logPath) {
  const start = startDocument(scan);
  const docs = [['start', start]];
  let clock = scan.time;
  const tick = (dt = 0.05) => Math.round((clock += dt) * 1e6) / 1e6;
  const readings = baselineReadings(scan);
  const baseline = {
    uid: `${scan.uid.slice(0, 24)}b0000000baseline`.slice(0, 36),
    run_start: start.uid,
    time: tick(),
    name: 'baseline',
    data_keys: Object.fromEntries(readings.map((r) => [r[0], dataKey(r)])),
    configuration: {},
    hints: {},
    object_keys: {},
  };
  for (const r of readings) (baseline.object_keys[baseline.data_keys[r[0]].object_name] ??= []).push(r[0]);
  docs.push(['descriptor', baseline]);
  const baselineEvent = (seq) => {
    const time = tick(0.2);
    docs.push([
      'event',
      {
        uid: `${scan.uid.slice(0, 24)}e${String(seq).padStart(11, '0')}`,
        descriptor: baseline.uid,
        seq_num: seq,
        time,
        data: Object.fromEntries(
          readings.map((r) => [
            r[0],
            seq === 1 || typeof r[1] !== 'number' || Number.isInteger(r[1])
              ? r[1]
              : Math.round(r[1] * 1.0001 * 1e6) / 1e6,
          ]),
        ),
        timestamps: Object.fromEntries(readings.map((r) => [r[0], time])),
        filled: {},
      },
    ]);
  };
  baselineEvent(1);

  const count = scan.frames;
  const primary = {
    uid: `${scan.uid.slice(0, 24)}d00000primary`.slice(0, 36),
    run_start: start.uid,
    time: tick(),
    name: 'primary',
    data_keys: {
      eiger4M_image: {
        source: 'PV:8idEiger4m:HDF1:FullFileName_RBV',
        dtype: 'array',
        dtype_numpy: '<u2',
        shape: [SIZE, SIZE],
        dims: ['dim_y', 'dim_x'],
        external: 'STREAM:',
        object_name: 'eiger4M',
      },
      eiger4M_stats1_total: {
        source: 'PV:8idEiger4m:Stats1:Total_RBV',
        dtype: 'number',
        dtype_numpy: '<f8',
        shape: [],
        units: 'counts',
        precision: 0,
        object_name: 'eiger4M',
      },
    },
    configuration: {
      eiger4M: {
        data: {
          eiger4M_cam_acquire_time: 0.00998,
          eiger4M_cam_acquire_period: 0.01,
          eiger4M_cam_num_images: count,
          eiger4M_cam_manufacturer: 'Dectris',
          eiger4M_cam_model: 'EIGER2 X 4M',
          eiger4M_cam_compression_algo: 'bslz4',
        },
        timestamps: {
          eiger4M_cam_acquire_time: scan.time,
          eiger4M_cam_acquire_period: scan.time,
          eiger4M_cam_num_images: scan.time,
          eiger4M_cam_manufacturer: scan.time,
          eiger4M_cam_model: scan.time,
          eiger4M_cam_compression_algo: scan.time,
        },
        data_keys: {
          eiger4M_cam_acquire_time: {
            source: 'PV:8idEiger4m:cam1:AcquireTime_RBV',
            dtype: 'number',
            shape: [],
            units: 's',
          },
          eiger4M_cam_acquire_period: {
            source: 'PV:8idEiger4m:cam1:AcquirePeriod_RBV',
            dtype: 'number',
            shape: [],
            units: 's',
          },
          eiger4M_cam_num_images: { source: 'PV:8idEiger4m:cam1:NumImages_RBV', dtype: 'integer', shape: [] },
          eiger4M_cam_manufacturer: { source: 'PV:8idEiger4m:cam1:Manufacturer_RBV', dtype: 'string', shape: [] },
          eiger4M_cam_model: { source: 'PV:8idEiger4m:cam1:Model_RBV', dtype: 'string', shape: [] },
          eiger4M_cam_compression_algo: {
            source: 'PV:8idEiger4m:cam1:CompressionAlgo_RBV',
            dtype: 'string',
            shape: [],
          },
        },
      },
    },
    hints: { eiger4M: { fields: ['eiger4M_stats1_total'] } },
    object_keys: { eiger4M: ['eiger4M_image', 'eiger4M_stats1_total'] },
  };
  docs.push(['descriptor', primary]);
  const stack = frames(scan.scanId, count);
  const name = `${scan.userDir}_${String(scan.scanId).padStart(5, '0')}.h5`;
  const detectorFile = resolve(dataRoot, scan.userDir, name);
  writeDetectorFile(detectorFile, stack, count);
  const resourceUid = `${scan.uid.slice(0, 24)}r0000000eiger`.slice(0, 36);
  docs.push([
    'stream_resource',
    {
      uid: resourceUid,
      run_start: start.uid,
      data_key: 'eiger4M_image',
      mimetype: 'application/x-hdf5',
      // Relative to the log (nxlayout anchors relative external paths at the log's directory), so the
      // example works from any checkout; a detector at a beamline writes an absolute file://localhost/… uri.
      uri: `file:${relative(dirname(logPath), detectorFile).split(sep).join('/')}`,
      parameters: { dataset: '/entry/data/data', chunk_shape: [1, SIZE, SIZE] },
    },
  ]);
  for (let i = 0; i < count; i++) {
    const total = stack.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE).reduce((a, b) => a + b, 0);
    docs.push([
      'event',
      {
        uid: `${scan.uid.slice(0, 24)}p${String(i + 1).padStart(11, '0')}`,
        descriptor: primary.uid,
        seq_num: i + 1,
        time: tick(0.01),
        data: { eiger4M_stats1_total: total },
        timestamps: { eiger4M_stats1_total: clock },
        filled: {},
      },
    ]);
  }
  docs.push([
    'stream_datum',
    {
      uid: `${resourceUid}/0`,
      stream_resource: resourceUid,
      descriptor: primary.uid,
      indices: { start: 0, stop: count },
      seq_nums: { start: 1, stop: count + 1 },
    },
  ]);
  baselineEvent(2);
  docs.push([
    'stop',
    {
      uid: `${scan.uid.slice(0, 24)}s0000000000stop`.slice(0, 36),
      run_start: start.uid,
      time: tick(0.5),
      exit_status: scan.exitStatus,
      reason: scan.reason,
      num_events: { baseline: 2, primary: count },
    },
  ]);
  return docs;
}

export const SCANS = [
  {
    uid: '6f1c2a9e-8d4b-4c1e-9a37-5b2d0e4f8a42',
    time: 1739224800.051404,
    scanId: 42,
    userDir: 'A002_silica',
    sampleTag: 'att06_25C',
    sampleName: 'silica_nanoparticles_100nm',
    short: 'silica spheres (100 nm) in glycerol',
    full: '100 nm silica nanospheres, 5 vol% in 70:30 glycerol:water, 1.5 mm quartz capillary',
    temperature: 25.0,
    frames: FRAMES,
    exitStatus: 'success',
    reason: '',
  },
  {
    uid: '9b3e7d10-2c5f-4a8b-b6e1-0d4f2a7c9e43',
    time: 1739225100.5,
    scanId: 43,
    userDir: 'A002_silica',
    sampleTag: 'att06_40C',
    sampleName: 'silica_nanoparticles_100nm',
    short: 'silica spheres (100 nm) in glycerol',
    full: '100 nm silica nanospheres, 5 vol% in 70:30 glycerol:water, 1.5 mm quartz capillary',
    temperature: 40.0,
    frames: 6,
    exitStatus: 'abort',
    reason: 'stopped by user after 6 frames',
  },
];

/** Writes the logs into `dir` and the detector files under `dir/output`; returns the log paths. */
export async function makeXpcsExample(dir = join(repo, 'examples', 'xpcs')) {
  await h5wasm.ready;
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const logs = [];
  for (const scan of SCANS) {
    const log = join(out, `${scan.userDir}-${String(scan.scanId).padStart(5, '0')}.jsonl`);
    const lines = runDocuments(scan, join(out, 'output'), log).map((pair) => JSON.stringify(pair));
    writeFileSync(log, lines.join('\n') + '\n');
    logs.push(log);
  }
  return logs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const log of await makeXpcsExample(process.argv[2])) process.stdout.write(`wrote ${log}\n`);
}
