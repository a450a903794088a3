/**
 * The run that fixtures/every-construct.json is written for, built with
 * composeRun: a baseline and a primary stream (two descriptors: the
 * configuration changed), an AD_HDF5 resource/datum field and a
 * stream_resource/stream_datum field whose detector files are written here,
 * and a start document with its own projections.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Configuration, Event, NamedDocument } from '../../src/documents/models.js';
import { composeRun } from '../../src/run/testing.js';
import { writeDetectorFile } from './h5.js';

export const RUN_UID = 'abcdef12-0000-4000-8000-000000000042';
export const START_TIME = 1_700_000_000;
/** What the template's `file` renders to for this run. */
export const RELATIVE_FILE = '_data_2024-1/silicon_ref_1/00042_ABCDEF12_2023-11-14T22:13:20Z.hdf';

export const I0 = [10, 20, 30, 40, 55];
export const SAMPLE_X = [1.25, 1.75];
export const TEMP = [290.5, 291];
export const frame = (i: number): number[][] =>
  Array.from({ length: 4 }, (_, r) => Array.from({ length: 4 }, (_, c) => i * 16 + r * 4 + c));

export const START_PROJECTIONS = [
  {
    name: 'nexus',
    version: '1.0',
    configuration: {},
    projection: {
      '/entry/sample/temperature': { type: 'linked', location: 'event', stream: 'baseline', field: 'temp' },
      '/entry/@note': { type: 'static', value: 'calibration run' },
      '/entry/title': { type: 'static', value: 'title from the start document' },
      '/entry/extra/made_here': { type: 'static', value: 7 },
    },
  },
  {
    name: 'other-consumer',
    version: '2',
    configuration: {},
    projection: { '/entry/ignored': { type: 'static', value: 1 } },
  },
];

export interface EveryConstructRun {
  documents: NamedDocument[];
  primaryEvents: Event[];
  baselineEvents: Event[];
  stopTime: number;
  eigerFile: string;
  pilatusFile: string;
  pilatus: Float64Array;
  eiger: Uint16Array;
}

const configuration = (acquireTime: number): Record<string, Configuration> => ({
  eiger: {
    data: { eiger_cam_acquire_time: acquireTime },
    timestamps: { eiger_cam_acquire_time: START_TIME - 10 },
    data_keys: { eiger_cam_acquire_time: { dtype: 'number', shape: [], source: 'PV:eiger:AcquireTime' } },
  },
});

/** Builds the run's documents and writes its two detector files under `detectorDir`. */
export function buildEveryConstructRun(detectorDir: string, start: Record<string, unknown> = {}): EveryConstructRun {
  fs.mkdirSync(detectorDir, { recursive: true });
  const eigerFile = path.join(detectorDir, 'eiger_000.h5');
  const pilatusFile = path.join(detectorDir, 'pilatus.h5');
  const eiger = Uint16Array.from({ length: 5 * 16 }, (_, i) => 1000 + i);
  const pilatus = Float64Array.from({ length: 5 * 15 }, (_, i) => i / 4);
  writeDetectorFile(eigerFile, [{ path: '/entry/data/data', data: eiger, shape: [5, 4, 4], dtype: '<H' }]);
  writeDetectorFile(pilatusFile, [{ path: '/entry/pilatus', data: pilatus, shape: [5, 3, 5], dtype: '<d' }]);

  const b = composeRun({
    uid: RUN_UID,
    time: START_TIME,
    scan_id: 42,
    beamline_id: '8-ID-I',
    plan_name: 'count',
    sample_name: 'Silicon/Ref 1',
    user_dir: '/data/2024-1',
    title: 'every construct',
    sample: { name: 'nested-name', thickness: 0.5 },
    I0_offset: 1.5,
    image_file: 'raw_0042',
    detectors: ['eiger', 'I0'],
    projections: START_PROJECTIONS,
    ...start,
  } as never);
  const keys = {
    I0: { units: 'counts' },
    eiger_image: { dtype: 'array' as const, shape: [4, 4], dtype_numpy: '<u2' },
    eiger_file: { dtype: 'array' as const, shape: [4, 4], dtype_numpy: '<u2', external: 'FILESTORE:' },
    pilatus: { dtype: 'array' as const, shape: [1, 3, 5], dtype_numpy: '<f8', external: 'STREAM:' },
  };
  const baseline = b.descriptor('baseline', { sample_x: { units: 'mm', precision: 3 }, temp: { units: 'K' } });
  const baselineEvents = [baseline.event({ sample_x: SAMPLE_X[0], temp: TEMP[0] })];
  const resource = b.resource('AD_HDF5', detectorDir, 'eiger_000.h5', { frame_per_point: 1 });
  const streamResource = b.streamResource('pilatus', `file://localhost${pilatusFile}`, 'application/x-hdf5', {
    dataset: '/entry/pilatus',
    chunk_shape: [1, 3, 5],
  });
  const primaryEvents: Event[] = [];
  const first = b.descriptor('primary', keys, configuration(0.1));
  for (let i = 0; i < 3; i++) {
    const datum = resource.datum({ point_number: i });
    primaryEvents.push(first.event({ I0: I0[i], eiger_image: frame(i), eiger_file: datum }));
  }
  streamResource.streamDatum(first, 0, 3);
  const second = b.descriptor('primary', keys, configuration(0.2));
  for (let i = 3; i < 5; i++) {
    const datum = resource.datum({ point_number: i });
    primaryEvents.push(second.event({ I0: I0[i], eiger_image: frame(i), eiger_file: datum }));
  }
  streamResource.streamDatum(second, 3, 5);
  baselineEvents.push(baseline.event({ sample_x: SAMPLE_X[1], temp: TEMP[1] }));
  const stop = b.stop();
  return {
    documents: b.documents(),
    primaryEvents,
    baselineEvents,
    stopTime: stop.time,
    eigerFile,
    pilatusFile,
    pilatus,
    eiger,
  };
}

/** A suitcase-jsonl log of the documents. */
export function writeJsonl(file: string, documents: readonly NamedDocument[]): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, documents.map((d) => JSON.stringify([d.name, d.doc])).join('\n') + '\n');
  return file;
}
