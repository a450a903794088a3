/**
 * Start documents carrying projections as event-model's and databroker's
 * projectors (and suitcase-nxsas) write them (issue 11, "Projections that
 * runs carry"): linked start/event/configuration, static, calculated with a
 * registry callable and with a Python path; named nexus, nxlayout, nxsas,
 * another name, and unnamed. Written with the default template and read back
 * with h5dump/h5wasm; the per-run report and the warnings by code and message.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import type { Diagnostic } from '../../src/errors.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import type { Layout } from '../../src/layout/models.js';
import { composeRun } from '../../src/run/testing.js';
import { nxlayoutIn } from '../cli/helpers.js';
import { writeJsonl } from './every-construct-run.js';
import { attribute, dumpNumbers, rows, tool, withFile } from './h5.js';
import { DEFAULT_TEMPLATE } from './paths.js';
import { layoutFrom, listFiles } from './support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-start-projections-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const UID = 'beef0000-0000-4000-8000-000000000011';
const PROJECTIONS = [
  {
    name: 'nexus',
    version: '1',
    configuration: {},
    projection: {
      '/entry/sample/temperature': { type: 'linked', location: 'start', field: 'temperature' },
      '/entry/instrument/detector/exposure_time': {
        type: 'linked',
        location: 'configuration',
        stream: 'primary',
        config_device: 'det',
        config_index: 0,
        field: 'det_exposure',
      },
    },
  },
  {
    name: 'nxsas',
    version: '1',
    configuration: {},
    projection: {
      '/entry/instrument/source/name': { type: 'static', value: 'APS' },
      '/entry/instrument/monochromator/wavelength': {
        type: 'calculated',
        location: 'event',
        stream: 'primary',
        field: 'x',
        calculation: { callable: 'scale', args: [0.5], kwargs: { offset: 1 } },
      },
    },
  },
  {
    name: 'nxlayout',
    version: '1',
    configuration: {},
    projection: {
      '/entry/instrument/detector/data': { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
      '/entry/derived/energy': {
        type: 'calculated',
        location: 'event',
        stream: 'primary',
        field: 'x',
        calculation: { callable: 'mypkg.calc:energy', args: [10] },
      },
    },
  },
  {
    name: 'databroker',
    version: '1',
    configuration: {},
    projection: { '/entry/other/thing': { type: 'static', value: 42 } },
  },
  { version: '1', configuration: {}, projection: { '/entry/detector_2/gain': { type: 'static', value: 3 } } },
];

function documents(): NamedDocument[] {
  const b = composeRun({
    uid: UID,
    time: 1_700_000_000,
    scan_id: 11,
    plan_name: 'scan',
    temperature: 295.5,
    projections: PROJECTIONS,
  } as never);
  const p = b.descriptor('primary', { x: { units: 'mm' }, det: {} }, {
    det: {
      data: { det_exposure: 0.25 },
      timestamps: { det_exposure: 1_700_000_000 },
      data_keys: { det_exposure: { dtype: 'number', shape: [], source: 'SIM:det:exposure' } },
    },
  } as never);
  for (let i = 0; i < 4; i++) p.event({ x: i, det: 100 + i });
  b.stop();
  return b.documents();
}

const log = writeJsonl(path.join(dir, 'run.jsonl'), documents());
let n = 0;

async function write(
  layout: Layout | undefined,
  projectionNames?: string[],
): Promise<{ result: RunResult; file: string }> {
  const out = path.join(dir, `out-${n++}`);
  fs.mkdirSync(out);
  const { results } = await convertLogs([log], {
    outRoot: out,
    layouts: layout === undefined ? [] : [layout],
    fallback: defaultLayout(),
    registry: createDefaultRegistry(),
    decodeThreads: 0,
    ...(projectionNames === undefined ? {} : { projectionNames }),
  });
  assert.equal(results.length, 1);
  const files = listFiles(out);
  assert.equal(files.length, 1, `exactly one file: ${files.join(', ')}`);
  return { result: results[0]!, file: path.join(out, files[0]!) };
}

function defaultLayout(text = fs.readFileSync(DEFAULT_TEMPLATE, 'utf8')): Layout {
  return layoutFrom(text, DEFAULT_TEMPLATE);
}

const of = (r: RunResult, code: string): Diagnostic[] => r.diagnostics.filter((d) => d.code === code);
const exists = (file: string, p: string): boolean => withFile(file, (f) => f.get(p) !== null);
const nxClass = (file: string, p: string): unknown => withFile(file, (f) => attribute(f, p, 'NX_class'));

describe('start-document projections of every kind and name, with the default template', () => {
  test('nexus, nxlayout, nxsas and unnamed are applied; databroker is not; every kind reads back', async () => {
    const { result, file } = await write(undefined);
    assert.equal(result.status, 'written');
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    // linked start, linked configuration, linked event, static, calculated (registry, event form)
    assert.deepEqual(dumpNumbers(file, '/entry/sample/temperature'), [295.5]);
    assert.deepEqual(dumpNumbers(file, '/entry/instrument/detector/exposure_time'), [0.25]);
    assert.deepEqual(dumpNumbers(file, '/entry/instrument/detector/data'), [100, 101, 102, 103]);
    assert.match(tool('h5dump', ['-d', '/entry/instrument/source/name', file]), /"APS"/);
    assert.deepEqual(dumpNumbers(file, '/entry/instrument/monochromator/wavelength'), [1, 1.5, 2, 2.5]);
    assert.deepEqual(dumpNumbers(file, '/entry/detector_2/gain'), [3]);
    assert.equal(exists(file, '/entry/other'), false);
    // Python callable: that node left out, the rest written
    assert.equal(exists(file, '/entry/derived'), false);
    const [py, ...morePy] = of(result, 'EVAL_PYTHON_CALLABLE');
    assert.equal(morePy.length, 0);
    assert.equal(py!.severity, 'warning');
    assert.equal(
      py!.message,
      'start document projection /entry/derived/energy calls the Python function mypkg.calc:energy, which nxlayout cannot run: /entry/derived/energy left out',
    );
    assert.equal(py!.location.pointer, '/projections/2/projection/~1entry~1derived~1energy');
    assert.match(py!.hint ?? '', /"start_projections": \{"callables": \{"mypkg.calc:energy": "NAME"\}\}/);
    // one report per run: which were applied, which not, and why
    const [report, ...moreReports] = of(result, 'EVAL_START_PROJECTIONS');
    assert.equal(moreReports.length, 0);
    assert.equal(report!.severity, 'warning');
    assert.equal(
      report!.message,
      'start document projections: applied #0 "nexus" (2 nodes), #1 "nxsas" (2 nodes), ' +
        '#2 "nxlayout" (1 node, 1 left out: see the warnings and errors naming them), #4 (unnamed) (1 node); not applied #3 "databroker" (name not accepted)',
    );
    assert.match(report!.hint ?? '', /^accepted projection names: nexus, nxlayout, nxsas \(add one with --projections/);
  });

  test('groups the projections create take the NeXus base class their name matches, else NXcollection', async () => {
    const { file } = await write(undefined);
    assert.equal(nxClass(file, '/entry/instrument/detector'), 'NXdetector');
    assert.equal(nxClass(file, '/entry/instrument/source'), 'NXsource');
    assert.equal(nxClass(file, '/entry/instrument/monochromator'), 'NXmonochromator');
    assert.equal(nxClass(file, '/entry/detector_2'), 'NXdetector');
    assert.equal(nxClass(file, '/entry/sample'), 'NXsample'); // the template's own group keeps its class
    const h5 = tool('h5dump', ['-A', '-g', '/entry/instrument/monochromator', file]);
    assert.match(h5, /ATTRIBUTE "NX_class"[\s\S]*"NXmonochromator"/);
  });

  test('--projections (projectionNames) replaces the accepted names: databroker and nexus only', async () => {
    const { result, file } = await write(undefined, ['databroker', 'nexus']);
    assert.deepEqual(dumpNumbers(file, '/entry/other/thing'), [42]);
    assert.equal(nxClass(file, '/entry/other'), 'NXcollection');
    assert.equal(exists(file, '/entry/instrument/source'), false);
    assert.equal(exists(file, '/entry/instrument/detector/data'), false);
    assert.match(
      of(result, 'EVAL_START_PROJECTIONS')[0]!.message,
      /not applied #1 "nxsas" \(name not accepted\), #2 "nxlayout" \(name not accepted\)$/,
    );
    assert.deepEqual(of(result, 'EVAL_PYTHON_CALLABLE'), []);
  });

  test('a template maps the Python callable to a registry calculation, and names the projections it takes', async () => {
    const text = JSON.parse(fs.readFileSync(DEFAULT_TEMPLATE, 'utf8')) as Record<string, unknown>;
    text.name = 'default-mapped';
    text.start_projections = { names: ['nxlayout'], callables: { 'mypkg.calc:energy': 'scale' } };
    const { result, file } = await write(defaultLayout(JSON.stringify(text)));
    assert.equal(result.layout, 'default-mapped@1.0.0');
    assert.deepEqual(dumpNumbers(file, '/entry/derived/energy'), [0, 10, 20, 30]);
    assert.equal(nxClass(file, '/entry/derived'), 'NXcollection');
    assert.deepEqual(of(result, 'EVAL_PYTHON_CALLABLE'), []);
    const report = of(result, 'EVAL_START_PROJECTIONS')[0]!;
    assert.match(
      report.message,
      /^start document projections: applied #2 "nxlayout" \(2 nodes\), #4 \(unnamed\) \(1 node\); not applied #0 "nexus" \(name not accepted\)/,
    );
    assert.equal(exists(file, '/entry/sample/temperature'), false);
  });

  test('every projection applied whole: the report is info', async () => {
    const { result } = await write(undefined, ['nexus', 'nxsas', 'databroker', 'nxlayout']);
    // nxlayout still has the Python callable left out: a warning
    assert.equal(of(result, 'EVAL_START_PROJECTIONS')[0]!.severity, 'warning');
    const text = JSON.parse(fs.readFileSync(DEFAULT_TEMPLATE, 'utf8')) as Record<string, unknown>;
    text.start_projections = { callables: { 'mypkg.calc:energy': 'scale' } };
    const mapped = await write(defaultLayout(JSON.stringify(text)), ['nexus', 'nxsas', 'databroker', 'nxlayout']);
    const report = of(mapped.result, 'EVAL_START_PROJECTIONS')[0]!;
    assert.equal(report.severity, 'info');
    assert.doesNotMatch(report.message, /not applied|left out/);
  });
});

describe('the command line', () => {
  test('write --projections nexus,nxlayout: only those, and the report and the Python callable on stderr without --verbose', async () => {
    const out = path.join(dir, 'out-cli');
    const r = await nxlayoutIn(['write', log, '--out', out, '--projections', 'nexus,nxlayout']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /warning EVAL_START_PROJECTIONS: start document projections: applied #0 "nexus" \(2 nodes\), #2 "nxlayout" \(1 node, 1 left out: see the warnings and errors naming them\), #4 \(unnamed\) \(1 node\); not applied #1 "nxsas" \(name not accepted\), #3 "databroker" \(name not accepted\)/,
    );
    // the Python callable left out is listed too, without --verbose
    assert.match(
      r.stderr,
      /warning EVAL_PYTHON_CALLABLE: start document projection \/entry\/derived\/energy calls the Python function mypkg\.calc:energy/,
    );
    const [file] = listFiles(out);
    assert.deepEqual(dumpNumbers(path.join(out, file!), '/entry/instrument/detector/exposure_time'), [0.25]);
    withFile(path.join(out, file!), (f) => assert.equal(f.get('/entry/instrument/source'), null));
    assert.equal(
      withFile(path.join(out, file!), (f) => rows(f, '/entry/sample/temperature')),
      295.5,
    );
  });

  test('watch --once --projections databroker: the daemon applies the same names', async () => {
    const spool = path.join(dir, 'spool');
    const out = path.join(dir, 'out-watch');
    fs.mkdirSync(spool, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    fs.copyFileSync(log, path.join(spool, 'run.jsonl'));
    const r = await nxlayoutIn(['watch', spool, '--out', out, '--once', '--projections', 'databroker']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /EVAL_START_PROJECTIONS.*applied #3 "databroker" \(1 node\)/);
    const files = listFiles(out).filter((f) => !f.startsWith('.nxlayout-state'));
    assert.equal(files.length, 1);
    assert.deepEqual(dumpNumbers(path.join(out, files[0]!), '/entry/other/thing'), [42]);
    withFile(path.join(out, files[0]!), (f) => assert.equal(f.get('/entry/instrument/detector'), null));
  });

  test('--projections with an empty name is bad usage (exit 2)', async () => {
    const r = await nxlayoutIn(['write', log, '--out', path.join(dir, 'out-bad'), '--projections', 'nexus,,nxsas']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /expected projection names separated by commas/);
  });
});
