/**
 * One synthetic run per shape a beamline produces, each with the default plot
 * issue 11 expects of it: the signal, its rank, @axes and the `_indices` of
 * every axis and coordinate (null signal: the file must have no default plot).
 */
import * as path from 'node:path';
import type { NamedDocument } from '../../src/documents/models.js';
import { composeRun } from '../../src/run/testing.js';
import { writeDetectorFile } from './h5.js';

export interface PlotFixture {
  name: string;
  documents: NamedDocument[];
  signal: string | null;
  dims?: number[];
  axes?: string[];
  indices?: Record<string, number>;
}

const uid = (i: number): string => `b07700${String(i).padStart(2, '0')}-0000-4000-8000-000000000000`;

function stepScan(): PlotFixture {
  const b = composeRun({
    uid: uid(1),
    plan_name: 'scan',
    detectors: ['det'],
    motors: ['m1'],
    hints: { dimensions: [[['m1'], 'primary']] },
  });
  const d = b.descriptor(
    'primary',
    {
      m1: { object_name: 'm1', units: 'mm' },
      m1_user_setpoint: { object_name: 'm1' },
      det: { object_name: 'det', units: '' },
    },
    undefined,
    { hints: { m1: { fields: ['m1'] }, det: { fields: ['det'] } } },
  );
  for (let i = 0; i < 5; i++) d.event({ m1: i * 0.1, m1_user_setpoint: i * 0.1, det: 100 + i });
  b.stop();
  return {
    name: '1-D step scan',
    documents: b.documents(),
    signal: 'det',
    dims: [5],
    axes: ['m1'],
    indices: { m1: 0 },
  };
}

function flattenedGrid(): PlotFixture {
  const b = composeRun({
    uid: uid(2),
    plan_name: 'grid_scan',
    detectors: ['det'],
    motors: ['m1', 'm2'],
    shape: [2, 3],
    hints: {
      dimensions: [
        [['m1'], 'primary'],
        [['m2'], 'primary'],
      ],
    },
  } as never);
  const d = b.descriptor(
    'primary',
    { m1: { object_name: 'm1' }, m2: { object_name: 'm2' }, det: { object_name: 'det' } },
    undefined,
    { hints: { m1: { fields: ['m1'] }, m2: { fields: ['m2'] }, det: { fields: ['det'] } } },
  );
  for (let i = 0; i < 6; i++) d.event({ m1: Math.floor(i / 3), m2: i % 3, det: i * i });
  b.stop();
  return {
    name: 'flattened grid (two motors, one stream)',
    documents: b.documents(),
    signal: 'det',
    dims: [6],
    axes: ['m1'],
    indices: { m1: 0, m2: 0 },
  };
}

function spectrumPerPoint(): PlotFixture {
  const b = composeRun({
    uid: uid(3),
    plan_name: 'scan',
    detectors: ['mca'],
    motors: ['energy'],
    hints: { dimensions: [[['energy'], 'primary']] },
  });
  const d = b.descriptor(
    'primary',
    {
      energy: { object_name: 'energy', units: 'keV' },
      mca_spectrum: { object_name: 'mca', dtype: 'array', shape: [16] },
      mca_label: { object_name: 'mca', dtype: 'string' },
    },
    undefined,
    { hints: { mca: { fields: ['mca_label', 'mca_spectrum'] } } },
  );
  for (let i = 0; i < 4; i++)
    d.event({ energy: 8 + i, mca_spectrum: Array.from({ length: 16 }, (_, k) => k * i), mca_label: `p${i}` });
  b.stop();
  return {
    name: 'a spectrum per point',
    documents: b.documents(),
    signal: 'mca_spectrum',
    dims: [4, 16],
    axes: ['energy', '.'],
    indices: { energy: 0 },
  };
}

function imagesPerEvent(dir: string): PlotFixture {
  const file = path.join(dir, 'cam_000.h5');
  writeDetectorFile(file, [
    {
      path: '/entry/data/data',
      data: Uint16Array.from({ length: 3 * 4 * 5 }, (_, i) => i),
      shape: [3, 4, 5],
      dtype: '<H',
    },
  ]);
  const b = composeRun({
    uid: uid(4),
    plan_name: 'count',
    detectors: ['cam'],
    hints: { dimensions: [[['time'], 'primary']] },
  });
  const d = b.descriptor(
    'primary',
    {
      cam_image: { object_name: 'cam', dtype: 'array', shape: [4, 5], external: 'FILESTORE:' },
      cam_stats_total: { object_name: 'cam' },
    },
    undefined,
    { hints: { cam: { fields: ['cam_image'] } } },
  );
  const r = b.resource('AD_HDF5', dir, 'cam_000.h5', { frame_per_point: 1 });
  for (let i = 0; i < 3; i++) d.event({ cam_image: r.datum({ point_number: i }), cam_stats_total: 10 * i });
  b.stop();
  return {
    name: 'images per event (AD_HDF5)',
    documents: b.documents(),
    signal: 'cam_image',
    dims: [3, 4, 5],
    axes: ['.', '.', '.'],
    indices: {},
  };
}

function externalOnly(dir: string): PlotFixture {
  const file = path.join(dir, 'det_stream.h5');
  writeDetectorFile(file, [
    {
      path: '/entry/data/frames',
      data: Float64Array.from({ length: 2 * 6 * 7 }, (_, i) => i / 2),
      shape: [2, 6, 7],
      dtype: '<d',
    },
  ]);
  const b = composeRun({ uid: uid(5), plan_name: 'count', detectors: ['det'] });
  const d = b.descriptor('primary', {
    det_frames: { object_name: 'det', dtype: 'array', shape: [1, 6, 7], external: 'STREAM:' },
  });
  const sr = b.streamResource('det_frames', `file://localhost${file}`, 'application/x-hdf5', {
    dataset: '/entry/data/frames',
  });
  for (let i = 0; i < 2; i++) {
    sr.streamDatum(d, i, i + 1);
    d.event({});
  }
  b.stop();
  return {
    name: 'an external-data-only detector (stream_resource)',
    documents: b.documents(),
    signal: 'det_frames',
    dims: [2, 6, 7],
    axes: ['.', '.', '.'],
    indices: {},
  };
}

function tune(): PlotFixture {
  // No detectors in the start document (as TuneAxis.tune writes it): the hinted fields that are not axes.
  const b = composeRun({ uid: uid(6), plan_name: 'TuneAxis.tune', hints: { dimensions: [[['m_r'], 'primary']] } });
  const d = b.descriptor(
    'primary',
    {
      m_r: { object_name: 'm_r' },
      m_r_user_setpoint: { object_name: 'm_r' },
      I0: { object_name: 'scaler' },
      PD: { object_name: 'scaler' },
    },
    undefined,
    { hints: { m_r: { fields: ['m_r'] }, scaler: { fields: ['PD', 'I0'] } } },
  );
  for (let i = 0; i < 7; i++)
    d.event({ m_r: i - 3, m_r_user_setpoint: i - 3, I0: 1000, PD: Math.exp(-((i - 3) ** 2)) });
  b.stop();
  return {
    name: 'tune (no detectors declared)',
    documents: b.documents(),
    signal: 'PD',
    dims: [7],
    axes: ['m_r'],
    indices: { m_r: 0 },
  };
}

function noDetectors(): PlotFixture {
  // Neither detectors nor hints: any numeric field that is not an axis, never the motor, never text.
  const b = composeRun({ uid: uid(7), plan_name: 'list_scan', motors: ['m1'] });
  const d = b.descriptor('primary', {
    m1: { object_name: 'm1' },
    note: { dtype: 'string' },
    diode: { object_name: 'diode' },
  });
  for (let i = 0; i < 3; i++) d.event({ m1: i, note: `n${i}`, diode: i + 0.5 });
  b.stop();
  return {
    name: 'a run with no detectors declared',
    documents: b.documents(),
    signal: 'diode',
    dims: [3],
    axes: ['m1'],
    indices: { m1: 0 },
  };
}

function noEvents(): PlotFixture {
  const b = composeRun({
    uid: uid(8),
    plan_name: 'scan',
    detectors: ['det'],
    motors: ['m1'],
    hints: { dimensions: [[['m1'], 'primary']] },
  });
  b.descriptor('primary', { m1: { object_name: 'm1' }, det: { object_name: 'det' } }, undefined, {
    hints: { det: { fields: ['det'] } },
  });
  b.stop({ exit_status: 'abort' });
  return { name: 'a scan aborted before its first point (0 rows)', documents: b.documents(), signal: null };
}

function filePerFrame(dir: string): PlotFixture {
  const b = composeRun({ uid: uid(9), plan_name: 'count', detectors: ['img'] });
  const d = b.descriptor('primary', {
    img: { object_name: 'img', dtype: 'array', shape: [10, 10], external: 'FILESTORE:' },
  });
  const r = b.resource('NPY_SEQ', dir, 'img_seq', {});
  for (let i = 0; i < 2; i++) d.event({ img: r.datum({ index: i }) });
  b.stop();
  return { name: 'file-per-frame detector (NPY_SEQ: only file paths)', documents: b.documents(), signal: null };
}

export function plotFixtures(dir: string): PlotFixture[] {
  return [
    stepScan(),
    flattenedGrid(),
    spectrumPerPoint(),
    imagesPerEvent(dir),
    externalOnly(dir),
    tune(),
    noDetectors(),
    noEvents(),
    filePerFrame(dir),
  ];
}
