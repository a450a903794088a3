/**
 * Issue 11: the default plot and the NeXus conventions, on a synthetic run of
 * every shape (plot-fixtures.ts) and on every run of ../shared/realdata, all
 * written with the default template through convertLogs and read back with
 * Debian's h5dump / h5ls (not h5wasm): the @default chain ends on a numeric,
 * non-empty signal whose @axes has one entry per dimension, with the right
 * `_indices`; or, when the run has nothing to plot, there is no @default to an
 * NXdata at all. Every file: no empty `units`, the NXroot attributes, the
 * data keys' metadata as attributes, NXlog times relative to @start.
 * `npm test` runs every synthetic shape and a sample of realdata (the runs named below, one log of
 * each kind: default-plot.test.ts); the slow suite every realdata run (default-plot.slow.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry, iso8601 } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { writeJsonl } from './every-construct-run.js';
import {
  checkDefaultPlot,
  h5dumpAllAttributesMany,
  h5dumpText,
  h5lsRecursiveMany,
  namesInListing,
  type DumpedAttribute,
} from './h5dump.js';
import { DEFAULT_TEMPLATE, REALDATA } from './paths.js';
import { plotFixtures } from './plot-fixtures.js';
import { expectRuns, readRawLog, type ExpectedRun } from './raw-documents.js';
import { renderTiledExamples } from './tiled-examples.js';

export function defaultPlotSuite(which: 'all' | 'sample'): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-default-plot-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const registry = createDefaultRegistry();

  async function write(logs: string[], out: string): Promise<Map<string, RunResult>> {
    const { layout } = await loadLayout(DEFAULT_TEMPLATE);
    assert.ok(layout, 'the default template loads');
    fs.mkdirSync(out, { recursive: true });
    const { results } = await convertLogs(logs, { outRoot: out, layouts: [], fallback: layout, registry });
    return new Map(results.map((r) => [r.uid, r]));
  }

  const dumps = new Map<string, DumpedAttribute[]>();
  /**
   * Every attribute of a file, by h5dump -A (kept: several tests read it). The first file asked of a
   * folder is dumped with every written file of that folder not dumped yet, by ONE h5dump run.
   */
  function attributesOf(file: string): DumpedAttribute[] {
    let all = dumps.get(file);
    if (all === undefined) {
      const sameFolder = [...fixtureResults.values(), ...realResults.values()]
        .map((r) => (r.status === 'written' ? r.file : undefined))
        .filter((f): f is string => f !== undefined && path.dirname(f) === path.dirname(file) && !dumps.has(f));
      if (!sameFolder.includes(file)) sameFolder.push(file);
      for (const [f, attributes] of h5dumpAllAttributesMany(sameFolder)) dumps.set(f, attributes);
      all = dumps.get(file)!;
    }
    return all;
  }

  const listings = new Map<string, string[]>();
  /** A file's h5ls -r lines: the first file asked of a folder is listed with every written file of that folder not listed yet, by ONE h5ls run. */
  function listingOf(file: string): string[] {
    let lines = listings.get(file);
    if (lines === undefined) {
      const sameFolder = [...fixtureResults.values(), ...realResults.values()]
        .map((r) => (r.status === 'written' ? r.file : undefined))
        .filter((f): f is string => f !== undefined && path.dirname(f) === path.dirname(file) && !listings.has(f));
      if (!sameFolder.includes(file)) sameFolder.push(file);
      for (const [f, l] of h5lsRecursiveMany(sameFolder)) listings.set(f, l);
      lines = listings.get(file)!;
    }
    return lines;
  }
  /** checkDefaultPlot with the attributes and the group listings of the batched h5dump -A and h5ls -r. */
  const checkPlot = (file: string) =>
    checkDefaultPlot(file, attributesOf(file), (group) => namesInListing(listingOf(file), group));

  function written(results: Map<string, RunResult>, uid: string): string {
    const r = results.get(uid);
    assert.ok(
      r?.status === 'written' && r.file !== undefined,
      `run ${uid.slice(0, 8)} was written: ${JSON.stringify(r?.diagnostics.filter((d) => d.severity === 'error'))}`,
    );
    return r.file;
  }

  const fixtureDir = path.join(dir, 'fixtures');
  fs.mkdirSync(fixtureDir);
  const fixtures = plotFixtures(fixtureDir);
  const fixtureLogs = fixtures.map((f, i) => writeJsonl(path.join(fixtureDir, `run-${i}.jsonl`), f.documents));
  let fixtureResults = new Map<string, RunResult>();

  const tiled = renderTiledExamples(path.join(dir, 'tiled'));
  const inDir = (sub: string, ext: string): string[] =>
    fs
      .readdirSync(path.join(REALDATA, sub))
      .filter((n) => n.endsWith(ext))
      .sort()
      .map((n) => path.join(REALDATA, sub, n));
  const REAL_LOGS =
    which === 'all'
      ? [
          ...inDir('apstools', '.json'),
          path.join(REALDATA, 'apstools/usaxs.json.gz'),
          ...tiled.logs,
          ...inDir('databroker-pack/simple_catalog/documents', '.msgpack'),
          ...inDir('databroker-pack/simple_catalog_jsonl_history', '.jsonl'),
        ]
      : [
          path.join(REALDATA, 'apstools/uid-b31e8698.json'),
          path.join(REALDATA, 'apstools/uid-3ab777ae.json'),
          ...tiled.logs,
          path.join(REALDATA, 'databroker-pack/simple_catalog/documents/4e22852d-33b1-49d2-bf73-2b1478a8f0b4.msgpack'),
          path.join(
            REALDATA,
            'databroker-pack/simple_catalog_jsonl_history/1069c439-44ec-4978-b04c-f80319882d51.jsonl',
          ),
        ];
  const expected = new Map<string, ExpectedRun>();
  for (const log of REAL_LOGS) for (const run of expectRuns(readRawLog(log)).values()) expected.set(run.uid, run);
  let realResults = new Map<string, RunResult>();
  before(async () => {
    fixtureResults = await write(fixtureLogs, path.join(dir, 'out-fixtures'));
    realResults = await write(REAL_LOGS, path.join(dir, 'out-real'));
  });

  describe('the default plot of each run shape (synthetic runs, read by h5dump/h5ls)', () => {
    for (const fx of fixtures) {
      const uid = (fx.documents[0].doc as { uid: string }).uid;
      test(`${fx.name}: ${fx.signal === null ? 'no default plot' : `${fx.signal} [${fx.dims?.join(', ')}], @axes ${JSON.stringify(fx.axes)}`}`, () => {
        const file = written(fixtureResults, uid);
        const plot = checkPlot(file);
        if (fx.signal === null) {
          assert.equal(plot, undefined, 'no @default to an NXdata');
          assert.equal(
            attributesOf(file).find((a) => a.object === '/entry/data' && a.name === 'signal'),
            undefined,
            'no @signal naming what cannot be plotted',
          );
          return;
        }
        assert.ok(plot !== undefined, 'the file has a default plot');
        assert.equal(plot.signal, fx.signal);
        assert.deepEqual(plot.dims, fx.dims);
        assert.deepEqual(plot.axes, fx.axes);
        assert.deepEqual(plot.indices, fx.indices);
      });
    }
  });

  /** Runs of realdata with nothing a reader can plot, and why (read from their documents). */
  const NO_PLOT: Record<string, string> = {
    b31e8698: 'tune_ar whose primary stream has no events',
    c0ffee02: 'external_assets_single_key: no events',
    '4e22852d': 'its only detector field is NPY_SEQ file paths',
    '1069c439': 'its only detector field is NPY_SEQ file paths',
  };
  /** Signals the rules give (detector hints first, never a motor), and each run's coordinates. */
  const SIGNALS: Record<string, { signal: string; axes: string[]; indices: Record<string, number> }> = {
    '99fe9e07': { signal: 'seconds', axes: ['m_stage_r'], indices: { m_stage_r: 0 } }, // TuneAxis.tune: no detectors declared, the hinted scaler fields
    '34c84a1b': {
      signal: 'sscan_positioners_p1_readback_value',
      axes: ['bundle_m1'],
      indices: { bundle_m1: 0, bundle_m2: 0 },
    }, // two motors, one dimension
    f05b6684: { signal: 'D01CV', axes: ['R1CV'], indices: { R1CV: 0, P1DV: 0 } },
    c0ffee01: { signal: 'det-key2', axes: ['.', '.', '.'], indices: {} }, // images through stream_resource
    '3ab777ae': { signal: 'I0', axes: ['m1'], indices: { m1: 0 } },
  };

  describe('the default plot of every realdata run (read by h5dump/h5ls)', () => {
    test('every run was written', () => {
      assert.ok(expected.size >= (which === 'all' ? 24 : 8), `runs: ${expected.size}`);
      assert.deepEqual([...realResults.keys()].sort(), [...expected.keys()].sort());
    });
    for (const run of expected.values()) {
      const short = run.uid.slice(0, 8);
      test(`run ${short} (${String(run.start.plan_name ?? '-')})`, () => {
        const file = written(realResults, run.uid);
        const plot = checkPlot(file);
        if (NO_PLOT[short] !== undefined) {
          assert.equal(plot, undefined, `no default plot: ${NO_PLOT[short]}`);
          return;
        }
        assert.ok(plot !== undefined, 'the file has a default plot');
        const motors = (Array.isArray(run.start.motors) ? run.start.motors : []) as string[];
        assert.ok(!motors.includes(plot.signal), `the signal ${plot.signal} is not a motor`);
        const want = SIGNALS[short];
        if (want !== undefined) assert.deepEqual({ signal: plot.signal, axes: plot.axes, indices: plot.indices }, want);
      });
    }
  });

  function attrsOf(all: DumpedAttribute[], object: string): Map<string, (string | number)[]> {
    return new Map(all.filter((a) => a.object === object).map((a) => [a.name, a.values]));
  }

  describe('NeXus conventions in every file written (h5dump -A)', () => {
    const files = (): string[] =>
      [...[...fixtureResults.values()], ...[...realResults.values()]]
        .map((r) => r.file!)
        .filter((f) => f !== undefined);

    test('no empty units attribute anywhere; the NXroot attributes; NXlog time relative to @start', () => {
      let units = 0;
      let times = 0;
      for (const file of files()) {
        const all = attributesOf(file);
        for (const a of all.filter((x) => x.name === 'units')) {
          units++;
          assert.ok(
            a.values.length > 0 && a.values.every((v) => String(v).trim() !== ''),
            `${path.basename(file)} ${a.object}@units is not empty: ${JSON.stringify(a.values)}`,
          );
        }
        const root = attrsOf(all, '/');
        for (const name of ['file_name', 'file_time', 'HDF5_Version', 'creator', 'NeXus_version']) {
          assert.ok(
            (root.get(name) ?? []).length === 1 && String(root.get(name)?.[0]) !== '',
            `${path.basename(file)}: NXroot @${name}`,
          );
        }
        assert.match(String(root.get('HDF5_Version')?.[0]), /^\d+\.\d+\.\d+/);
        assert.equal(root.get('NeXus_version')?.[0], 'v2026.01');
        assert.equal(path.basename(String(root.get('file_name')?.[0])), path.basename(file));
        const logs = new Set(all.filter((a) => a.name === 'NX_class' && a.values[0] === 'NXlog').map((a) => a.object));
        for (const log of logs) {
          const time = attrsOf(all, `${log}/time`);
          if (time.size === 0) continue;
          times++;
          assert.match(
            String(time.get('start')?.[0]),
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
            `${log}/time@start`,
          );
          assert.deepEqual(time.get('units'), ['s']);
        }
      }
      const least = which === 'all' ? 1000 : 40;
      assert.ok(units > least && times > least, `units checked: ${units}, NXlog times: ${times}`);
    });

    test('each event field keeps its data key: source, precision, dtype, shape, units (realdata)', () => {
      let checked = 0;
      for (const run of expected.values()) {
        const file = written(realResults, run.uid);
        const all = attributesOf(file);
        for (const stream of run.streams.values()) {
          for (const [field, dk] of Object.entries(stream.dataKeys)) {
            if (dk.external !== undefined) continue;
            const attrs = attrsOf(
              all,
              `/entry/instrument/bluesky/streams/${stream.name}/${field.replace(/\//g, '_').trim()}/value`,
            );
            if (attrs.size === 0) continue; // stored as a soft link target elsewhere
            assert.deepEqual(attrs.get('source'), [dk.source], `${field}@source`);
            assert.deepEqual(attrs.get('dtype'), [dk.dtype], `${field}@dtype`);
            if (typeof dk.precision === 'number')
              assert.deepEqual(attrs.get('precision'), [dk.precision], `${field}@precision`);
            const shape = (dk.shape as number[]).filter((d) => Number.isInteger(d));
            assert.deepEqual(attrs.get('shape'), shape.length > 0 ? shape : undefined, `${field}@shape`);
            if (typeof dk.units === 'string' && dk.units.trim() !== '')
              assert.deepEqual(attrs.get('units'), [dk.units]);
            else assert.equal(attrs.get('units'), undefined, `${field}: no units in the data key, none in the file`);
            if (typeof dk.lower_ctrl_limit === 'number')
              assert.deepEqual(attrs.get('lower_ctrl_limit'), [dk.lower_ctrl_limit]);
            checked++;
          }
        }
      }
      assert.ok(checked > (which === 'all' ? 2000 : 20), `fields checked: ${checked}`);
    });

    test('NXlog @start is the run start; times are the timestamps less it', () => {
      const run = [...expected.values()].find((r) => r.uid.startsWith('3ab777ae'))!;
      const file = written(realResults, run.uid);
      assert.equal(
        h5dumpText(file, '/entry/instrument/bluesky/streams/primary/I0/time', 'start'),
        iso8601(run.start.time as number),
      );
    });
  });
}
