/**
 * A hand-written template using every construct (fixtures/every-construct.json),
 * written to disk through convertLogs for a run built with composeRun, and
 * every value checked by path. The output root's guarantees are in output-root.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry, iso8601 } from '../../src/evaluate/index.js';
import {
  buildEveryConstructRun,
  frame,
  I0,
  RELATIVE_FILE,
  RUN_UID,
  SAMPLE_X,
  START_PROJECTIONS,
  START_TIME,
  TEMP,
  writeJsonl,
  type EveryConstructRun,
} from './every-construct-run.js';
import {
  assertColumn,
  attribute,
  dumpNumbers,
  linkInfo,
  resolveToDataset,
  rows,
  sameReading,
  tool,
  withFile,
  writeDetectorFile,
  type H5File,
} from './h5.js';
import { everyConstructLayout, temps } from './support.js';

const registry = createDefaultRegistry();
const everyConstruct = everyConstructLayout();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-every-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('every construct, written to disk and read back by path', () => {
  const outRoot = path.join(dir, 'out');
  let run: EveryConstructRun;
  let result: RunResult;
  let file = '';
  let rawData: Float64Array;

  before(async () => {
    run = buildEveryConstructRun(path.join(dir, 'detectors'));
    // The targets of the template's own external links, next to the output file.
    const outDir = path.dirname(path.join(outRoot, RELATIVE_FILE));
    fs.mkdirSync(outDir, { recursive: true });
    rawData = Float64Array.from([7, 8, 9]);
    for (const name of ['raw.h5', 'raw_0042.h5'])
      writeDetectorFile(path.join(outDir, name), [
        { path: '/entry/data/data', data: rawData, shape: [3], dtype: '<d' },
      ]);
    const log = writeJsonl(path.join(dir, 'logs', 'every.jsonl'), run.documents);
    const converted = await convertLogs([log], { outRoot, layouts: [everyConstruct], registry });
    assert.deepEqual(converted.diagnostics, []);
    assert.equal(converted.results.length, 1);
    result = converted.results[0];
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(result.status, 'written');
    file = result.file!;
  });

  const read = <T>(body: (f: H5File) => T): T => withFile(file, body);
  const value = (p: string): unknown => read((f) => rows(f, p));
  const attr = (p: string, name: string): unknown => read((f) => attribute(f, p, name));
  const same = (p: string, expected: unknown): void =>
    assert.ok(sameReading(value(p), expected), `${p}: ${JSON.stringify(value(p))} ≠ ${JSON.stringify(expected)}`);

  test('the template matched the run; the file is where `file` renders it, with its helpers', () => {
    assert.equal(result.layout, 'every-construct-integration@1.0.0');
    assert.equal(file, path.join(outRoot, RELATIVE_FILE));
    assert.equal(result.uid, RUN_UID);
    assert.deepEqual(temps(outRoot), []);
  });

  test('root and entry: @default chain, attributes, literal and text fields', () => {
    assert.equal(attr('/', 'NX_class'), 'NXroot');
    assert.equal(attr('/', 'default'), 'entry');
    assert.equal(attr('/', 'file_name'), '00042.hdf');
    assert.equal(attr('/entry', 'NX_class'), 'NXentry');
    assert.equal(attr('/entry', 'default'), 'data');
    same('/entry/definition', 'NXxpcs');
    same('/entry/run_number', 42);
    same('/entry/is_test', false);
    same('/entry/roi', [1, 2, 3, 4]);
    same('/entry/names', ['a', 'b']);
  });

  test('static values: dtype, attributes, 2-d', () => {
    same('/entry/energy', Math.fround(12.4));
    assert.equal(
      read((f) => (f.get('/entry/energy') as { metadata: { size: number } }).metadata.size),
      4,
      'energy is float32',
    );
    assert.equal(attr('/entry/energy', 'units'), 'keV');
    same('/entry/static_projection', [
      [1, 2],
      [3, 4],
    ]);
    const m = read(
      (f) => (f.get('/entry/static_projection') as { metadata: { size: number; signed: boolean } }).metadata,
    );
    assert.deepEqual([m.size, m.signed], [4, true], 'static_projection is <i4');
  });

  test('linked start and stop projections (plain key, dotted key, JSONPath), calculated iso8601', () => {
    same('/entry/start_time', iso8601(START_TIME));
    same('/entry/end_time', iso8601(run.stopTime));
    same('/entry/scan_number', 42);
    same('/entry/sample_dotted', 'nested-name');
    same('/entry/sample_path', 'nested-name');
    assert.equal(
      read((f) => linkInfo(f, '/entry/not_in_run')).kind,
      'missing',
      'an optional projection of a missing key is left out',
    );
    same('/entry/exit_status', 'success');
    same('/entry/num_primary', 5);
  });

  test('event projections: one reading by index (0, -1, first, last, 2), with a descriptor attribute', () => {
    same('/entry/sample/position_x', SAMPLE_X[0]);
    assert.equal(attr('/entry/sample/position_x', 'units'), 'mm');
    assert.equal(attr('/entry/sample/position_x', 'precision'), 3);
    same('/entry/sample/position_x_end', SAMPLE_X[1]);
    same('/entry/sample/temperature_first', TEMP[0]);
    same('/entry/sample/temperature_last', TEMP[1]);
    same('/entry/instrument/detector_1/I0_third', I0[2]);
    assert.deepEqual(
      read((f) => linkInfo(f, '/entry/sample/x_alias')),
      { kind: 'soft', target: '/entry/sample/position_x' },
    );
  });

  test('configuration projections by config_index; descriptor projections', () => {
    const d = '/entry/instrument/detector_1';
    same(`${d}/count_time`, 0.1);
    assert.equal(attr(`${d}/count_time`, 'units'), 's');
    same(`${d}/count_time_1`, 0.2);
    same(`${d}/descriptor_config`, 'primary');
    same(`${d}/frame_shape`, [4, 4]);
  });

  test('whole event columns: values (gzip 6, chunks), timestamps (gzip true), time, seq_num, part values', () => {
    const d = '/entry/instrument/detector_1';
    assertColumn(
      value(`${d}/data`),
      I0.map((_, i) => frame(i)),
      `${d}/data`,
    );
    const meta = read((f) => {
      const ds = f.get(`${d}/data`) as {
        metadata: { chunks: number[] | null; size: number; signed: boolean };
        filters: { id: number; cd_values: number[] }[];
      };
      return {
        chunks: ds.metadata.chunks,
        size: ds.metadata.size,
        signed: ds.metadata.signed,
        filters: ds.filters.map((x) => [x.id, x.cd_values[0]]),
      };
    });
    assert.deepEqual(meta.chunks, [1, 4, 4]);
    assert.deepEqual([meta.size, meta.signed], [2, false], 'eiger_image is <u2 as its dtype_numpy says');
    assert.deepEqual(
      meta.filters.find(([id]) => id === 1),
      [1, 6],
      'gzip level 6',
    );
    const tsFilters = read((f) =>
      (f.get(`${d}/data_timestamps`) as { filters: { id: number; cd_values: number[] }[] }).filters.map((x) => [
        x.id,
        x.cd_values[0],
      ]),
    );
    assert.deepEqual(
      tsFilters.find(([id]) => id === 1),
      [1, 4],
      'compression: true is gzip 4',
    );
    assertColumn(
      value(`${d}/data_timestamps`),
      run.primaryEvents.map((e) => e.timestamps.eiger_image),
      `${d}/data_timestamps`,
    );
    assertColumn(
      value(`${d}/event_time`),
      run.primaryEvents.map((e) => e.time),
      `${d}/event_time`,
    );
    assertColumn(value(`${d}/event_seq`), [1, 2, 3, 4, 5], `${d}/event_seq`);
    assertColumn(value(`${d}/values_part`), I0, `${d}/values_part`);
  });

  test('calculated: seeds/002 event form (mean, max), args with a nested projection and kwargs, format, join', () => {
    const d = '/entry/instrument/detector_1';
    same(`${d}/mean_I0`, I0.reduce((a, b) => a + b) / I0.length);
    same(`${d}/max_I0`, 55);
    same(`${d}/scaled`, 55 * 2.5 + 1.5);
    assert.equal(attr(`${d}/scaled`, 'units'), 'counts');
    same(`${d}/label`, 'scan 0042 of Silicon/Ref 1');
    same(`${d}/detectors`, 'eiger+I0');
  });

  test('links: soft, hard, external (template file names) — h5dump follows each', () => {
    const d = '/entry/instrument/detector_1';
    read((f) => {
      assert.deepEqual(linkInfo(f, `${d}/soft`), { kind: 'soft', target: `${d}/data` });
      assert.deepEqual(linkInfo(f, `${d}/raw`), { kind: 'external', file: 'raw_0042.h5', target: '/entry/data/data' });
      assert.deepEqual(linkInfo(f, `${d}/raw_explicit`), {
        kind: 'external',
        file: 'raw.h5',
        target: '/entry/data/data',
      });
      assert.equal(linkInfo(f, `${d}/hard`).kind, 'dataset');
      assertColumn(
        rows(f, `${d}/hard`),
        I0.map((_, i) => frame(i)),
        `${d}/hard`,
      );
    });
    const header = tool('h5dump', ['-H', file]);
    assert.match(
      header,
      new RegExp(`DATASET "hard" \\{\\s*HARDLINK "${d}/data"|DATASET "data" \\{\\s*HARDLINK "${d}/hard"`),
    );
    assert.deepEqual(dumpNumbers(file, `${d}/raw`), [...rawData]);
    assert.deepEqual(dumpNumbers(file, `${d}/raw_explicit`), [...rawData]);
  });

  test('external data: resource/datum (AD_HDF5) and stream_resource/stream_datum become external links, relative to the output file', () => {
    const d = '/entry/instrument/detector_1';
    const eiger = read((f) => linkInfo(f, `${d}/eiger_frames`));
    const pilatus = read((f) => linkInfo(f, `${d}/pilatus_frames`));
    assert.deepEqual(eiger, {
      kind: 'external',
      file: path.relative(path.dirname(file), run.eigerFile),
      target: '/entry/data/data',
    });
    assert.deepEqual(pilatus, {
      kind: 'external',
      file: path.relative(path.dirname(file), run.pilatusFile),
      target: '/entry/pilatus',
    });
    assert.deepEqual(resolveToDataset(file, `${d}/eiger_frames`), { file: run.eigerFile, path: '/entry/data/data' });
    assert.deepEqual(dumpNumbers(file, `${d}/eiger_frames`), [...run.eiger]);
    assert.deepEqual(dumpNumbers(file, `${d}/pilatus_frames`), [...run.pilatus]);
    // Through the stream repeat too, and h5ls sees both links.
    assert.equal(read((f) => linkInfo(f, '/entry/instrument/streams/primary/pilatus')).kind, 'external');
    assert.match(tool('h5ls', ['-r', file]), /eiger_frames +External Link \{[^}]*eiger_000\.h5\/\/entry\/data\/data\}/);
  });

  test('repeats: over streams, over fields (with data_key), over start keys', () => {
    const s = '/entry/instrument/streams';
    assert.equal(attr(`${s}/primary`, 'stream'), 'primary');
    assert.equal(attr(`${s}/baseline`, 'NX_class'), 'NXcollection');
    assertColumn(value(`${s}/baseline/sample_x`), SAMPLE_X, 'baseline/sample_x');
    assert.equal(attr(`${s}/baseline/sample_x`, 'units'), 'mm');
    assertColumn(value(`${s}/primary/I0`), I0, 'primary/I0');
    assert.equal(attr(`${s}/primary/I0`, 'units'), 'counts');
    const m = '/entry/instrument/metadata';
    same(`${m}/scan_id`, 42);
    same(`${m}/beamline_id`, '8-ID-I');
    same(`${m}/detectors`, ['eiger', 'I0']);
    assert.deepEqual(JSON.parse(value(`${m}/sample`) as string), { name: 'nested-name', thickness: 0.5 });
    assert.deepEqual(
      read((f) => linkInfo(f, '/entry/data/I0')),
      { kind: 'soft', target: `${s}/primary/I0` },
    );
  });

  test('NXdata: @signal, @axes, @x_indices, its links resolve', () => {
    assert.equal(attr('/entry/data', 'NX_class'), 'NXdata');
    assert.equal(attr('/entry/data', 'signal'), 'data');
    // one @axes entry per dimension of the image stack (issue 11): "." where no axis applies
    assert.deepEqual(attr('/entry/data', 'axes'), ['x', '.', '.']);
    assert.equal(attr('/entry/data', 'x_indices'), 0);
    assert.equal(resolveToDataset(file, '/entry/data/data').path, '/entry/instrument/detector_1/data');
    assert.equal(resolveToDataset(file, '/entry/data/x').path, '/entry/sample/position_x');
  });

  test("the start document's own projections are merged over the template (only those named nexus)", () => {
    assertColumn(value('/entry/sample/temperature'), TEMP, '/entry/sample/temperature');
    assert.equal(attr('/entry', 'note'), 'calibration run');
    same('/entry/title', 'title from the start document');
    same('/entry/extra/made_here', 7);
    assert.equal(attr('/entry/extra', 'NX_class'), 'NXcollection');
    assert.equal(read((f) => linkInfo(f, '/entry/ignored')).kind, 'missing');
    assert.deepEqual(
      JSON.parse(value('/entry/nxlayout_provenance/start_document') as string).projections,
      START_PROJECTIONS,
    );
  });

  test('provenance, and h5dump -H / h5ls -r read the whole file', () => {
    const p = '/entry/nxlayout_provenance';
    same(`${p}/run_uid`, RUN_UID);
    same(`${p}/template_name`, 'every-construct-integration');
    same(`${p}/template_version`, '1.0.0');
    same(`${p}/template_sha256`, everyConstruct.sha256);
    assert.match(tool('h5dump', ['-H', file]), /^HDF5 "/);
    assert.match(tool('h5ls', ['-r', file]), /^\/entry\/instrument\/detector_1\/data +Dataset \{5, 4, 4\}$/m);
  });
});
