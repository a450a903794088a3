/**
 * Streams declared (or read) after the writer's first flush: a baseline whose
 * descriptor comes after the primary stream's first 512 rows were written, a
 * baseline before and after the primary stream (bluesky's usual pattern), a
 * late stream a calculation and index reads use, and `index` reads of a
 * stream whose rows were already written out. Each run must be written, with
 * every value right (read back with h5dump, a second HDF5 implementation).
 * npm test runs late-streams.test.ts, the slow suite late-streams.slow.test.ts (see lateStreamsSuite).
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout, parseLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { composeRun, type RunBuilder } from '../../src/run/testing.js';
import { dataset, dumpNumbers, dumpNumbersMany, withFile } from './h5.js';
import { writeJsonl } from './every-construct-run.js';
import { DEFAULT_TEMPLATE } from './paths.js';
import { counting } from './counting-registry.js';

/**
 * `fast` (npm test, late-streams.test.ts): every test, but of the late streams of a few events and of
 * N events (× alone / with a fallback) only two of the four pairs; `slow` (late-streams.slow.test.ts):
 * the other two pairs.
 */
export function lateStreamsSuite(which: 'fast' | 'slow'): void {
  const fastSuite = which === 'fast';

  /** More than one flush (the session flushes every 512 rows). */
  const N = 600;
  const STREAMS = '/entry/instrument/bluesky/streams';
  const det = (i: number): number => 100 + i * 0.25;
  const ring = (k: number): number => 101.5 + k;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-late-streams-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  let runs = 0;
  /** A template to fall back to that differs from every one tested (so the writer decides at the first flush). */
  function spare(): Layout {
    const { layout } = parseLayout(
      JSON.stringify({ name: 'spare', version: '1.0.0', file: 'spare.nxs', tree: { 'entry:NXentry': {} } }),
      'spare.json',
    );
    assert.ok(layout);
    return layout;
  }

  /**
   * How the template reaches the writer: `alone` (the session's only template:
   * nothing to fall back to), or `with a fallback` (chosen, with another
   * template to fall back to: the writer decides at the first flush whether the
   * chosen one resolves, convert/planner.ts).
   */
  type How = 'alone' | 'with a fallback';
  const HOWS: readonly How[] = ['alone', 'with a fallback'];
  /** A late stream's (size, how) pair in this suite: the few events alone and the N events with a fallback in npm test. */
  const inThisSuite = (M: number, how: How): boolean => fastSuite === ((M === N) === (how === 'with a fallback'));
  function convertOptions(outRoot: string, layout: Layout, how: How, registry = createDefaultRegistry()) {
    return how === 'alone'
      ? { outRoot, layouts: [], fallback: layout, registry }
      : { outRoot, layouts: [layout], fallback: spare(), registry };
  }

  /** Writes the run's documents to a log and converts it. */
  async function write(b: RunBuilder, layout: Layout, how: How): Promise<{ result: RunResult; file: string }> {
    const name = `run-${++runs}`;
    const log = writeJsonl(path.join(dir, `${name}.jsonl`), b.documents());
    const outRoot = path.join(dir, name);
    fs.mkdirSync(outRoot);
    const { results, diagnostics } = await convertLogs([log], convertOptions(outRoot, layout, how));
    assert.deepEqual(diagnostics, []);
    assert.equal(results.length, 1);
    const result = results[0]!;
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`),
      [],
    );
    assert.equal(result.status, 'written');
    assert.equal(result.fallbackFrom, undefined, 'the template tested wrote the file, not a fallback');
    assert.equal(result.layout, `${layout.name}@${layout.version}`);
    assert.ok(result.file !== undefined && fs.existsSync(result.file), 'the file is in place');
    return { result, file: result.file };
  }

  async function defaultLayout(): Promise<Layout> {
    const { layout } = await loadLayout(DEFAULT_TEMPLATE);
    assert.ok(layout);
    return layout;
  }

  function primary(b: RunBuilder): void {
    const d = b.descriptor('primary', { det: {} });
    for (let i = 0; i < N; i++) d.event({ det: det(i) });
  }

  describe('streams that come after the first flush', () => {
    for (const how of fastSuite ? HOWS : []) {
      test(`default template (${how}): ${N} primary events, then a baseline descriptor and one event, then stop`, async () => {
        const b = composeRun({ scan_id: 1, plan_name: 'count' });
        primary(b);
        b.descriptor('baseline', { ring_current: {} }).event({ ring_current: ring(0) });
        b.stop();
        const { file, result } = await write(b, await defaultLayout(), how);
        assert.equal(result.events, N + 1);
        // One h5dump for the three datasets
        const [ringValue, ringTime, values] = dumpNumbersMany(file, [
          `${STREAMS}/baseline/ring_current/value`,
          `${STREAMS}/baseline/ring_current/time`,
          `${STREAMS}/primary/det/value`,
        ]);
        assert.deepEqual(ringValue, [ring(0)]);
        assert.equal(ringTime.length, 1);
        assert.deepEqual(
          values,
          Array.from({ length: N }, (_, i) => det(i)),
        );
      });
    }

    for (const how of fastSuite ? HOWS : [])
      test(`default template (${how}): a baseline event before and after the primary stream (two rows, the second after the flush)`, async () => {
        const b = composeRun({ scan_id: 2, plan_name: 'scan' });
        const baseline = b.descriptor('baseline', { ring_current: {} });
        baseline.event({ ring_current: ring(0) });
        primary(b);
        baseline.event({ ring_current: ring(1) });
        b.stop();
        const { file } = await write(b, await defaultLayout(), how);
        const [ringValue, detValue] = dumpNumbersMany(file, [
          `${STREAMS}/baseline/ring_current/value`,
          `${STREAMS}/primary/det/value`,
        ]);
        assert.deepEqual(ringValue, [ring(0), ring(1)]);
        assert.deepEqual(
          detValue,
          Array.from({ length: N }, (_, i) => det(i)),
        );
      });

    for (const M of [2, N])
      for (const how of HOWS.filter((h) => inThisSuite(M, h)))
        test(`default template (${how}): a stream declared before the first flush whose only ${M} events come after it`, async () => {
          const b = composeRun({ scan_id: 3, plan_name: 'scan' });
          // spectrum: an array whose data key declares shape [] (an ophyd slip): its row shape comes from its first reading
          const dark = b.descriptor('dark', { frame_sum: {}, spectrum: { dtype: 'array', shape: [] } });
          primary(b);
          for (let k = 0; k < M; k++) dark.event({ frame_sum: 7 + 2 * k, spectrum: [3 * k + 1, 3 * k + 2, 3 * k + 3] });
          b.stop();
          const { file } = await write(b, await defaultLayout(), how);
          const [frameSum, spectrum] = dumpNumbersMany(file, [
            `${STREAMS}/dark/frame_sum/value`,
            `${STREAMS}/dark/spectrum/value`,
          ]);
          assert.deepEqual(
            frameSum,
            Array.from({ length: M }, (_, k) => 7 + 2 * k),
          );
          assert.deepEqual(
            spectrum,
            Array.from({ length: 3 * M }, (_, j) => j + 1),
          );
          withFile(file, (f) => assert.deepEqual(dataset(f, `${STREAMS}/dark/spectrum/value`).shape, [M, 3]));
        });

    const custom = {
      name: 'late-streams',
      version: '1.0.0',
      file: 'late.nxs',
      tree: {
        'entry:NXentry': {
          det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
          det_first: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: 0 },
          det_last: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: -1 },
          det_at_100: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: 100 },
          det_second_last: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: -2 },
          det_mean: {
            type: 'calculated',
            location: 'event',
            stream: 'primary',
            field: 'det',
            calculation: { callable: 'mean' },
          },
          seq_last: {
            type: 'linked',
            location: 'event',
            stream: 'primary',
            field: 'det',
            part: 'seq_num',
            index: 'last',
          },
          mon: { type: 'linked', location: 'event', stream: 'monitor', field: 'I0', optional: true },
          mon_mean: {
            type: 'calculated',
            location: 'event',
            stream: 'monitor',
            field: 'I0',
            calculation: { callable: 'mean' },
            optional: true,
          },
          mon_at_1: { type: 'linked', location: 'event', stream: 'monitor', field: 'I0', index: 1, optional: true },
          mon_last: { type: 'linked', location: 'event', stream: 'monitor', field: 'I0', index: -1, optional: true },
          mon_time_at_1: {
            type: 'linked',
            location: 'event',
            stream: 'monitor',
            field: 'I0',
            part: 'time',
            index: 1,
            optional: true,
          },
        },
      },
    };
    const customLayout = (): Layout => {
      const { layout, diagnostics } = parseLayout(JSON.stringify(custom), 'late-streams.json');
      assert.deepEqual(diagnostics, []);
      return layout!;
    };
    const detMean = Array.from({ length: N }, (_, i) => det(i)).reduce((a, v) => a + v, 0) / N;

    for (const M of [3, N]) {
      for (const how of HOWS.filter((h) => inThisSuite(M, h))) {
        test(`a late stream of ${M} events that a calculation and index reads use, declared after ${N} primary events (${how})`, async () => {
          const b = composeRun({ scan_id: 4, plan_name: 'scan' });
          primary(b);
          const mon = b.descriptor('monitor', { I0: {} });
          const times: number[] = [];
          for (let k = 0; k < M; k++) times.push(mon.event({ I0: 10 * (k + 1) }).time);
          b.stop();
          const { file } = await write(b, customLayout(), how);
          const I0 = Array.from({ length: M }, (_, k) => 10 * (k + 1));
          const names = [
            'mon',
            'mon_mean',
            'mon_at_1',
            'mon_last',
            'det',
            'det_first',
            'det_last',
            'det_at_100',
            'det_second_last',
            'det_mean',
            'seq_last',
          ];
          const dumped = dumpNumbersMany(
            file,
            names.map((n) => `/entry/${n}`),
          );
          const got = (name: string): number[] => dumped[names.indexOf(name)]!;
          assert.deepEqual(got('mon'), I0);
          assert.deepEqual(got('mon_mean'), [I0.reduce((a, v) => a + v, 0) / M]);
          assert.deepEqual(got('mon_at_1'), [20]);
          assert.deepEqual(got('mon_last'), [10 * M]);
          // h5dump prints doubles to 8 significant digits: an epoch time is read with h5wasm
          withFile(file, (f) => assert.equal(dataset(f, '/entry/mon_time_at_1').value, times[1]));
          assert.deepEqual(
            got('det'),
            Array.from({ length: N }, (_, i) => det(i)),
          );
          assert.deepEqual(got('det_first'), [det(0)]);
          assert.deepEqual(got('det_last'), [det(N - 1)]);
          assert.deepEqual(got('det_at_100'), [det(100)]);
          assert.deepEqual(got('det_second_last'), [det(N - 2)]);
          assert.ok(Math.abs(got('det_mean')[0]! - detMean) < 1e-9);
          assert.deepEqual(got('seq_last'), [N]);
        });
      }
    }
  });

  describe('how often the writer evaluates the template', () => {
    const template = {
      name: 'evaluations',
      version: '1.0.0',
      file: 'evaluations.nxs',
      tree: {
        'entry:NXentry': {
          det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
          evaluation: { type: 'calculated', calculation: { callable: 'count_evaluations' } },
        },
      },
    };

    for (const how of fastSuite ? HOWS : []) {
      test(`a ${N}-event run (${how}): planned once at the first flush, its calculation resolved once at the end`, async () => {
        const { layout, diagnostics } = parseLayout(JSON.stringify(template), 'evaluations.json');
        assert.deepEqual(diagnostics, []);
        const b = composeRun({ scan_id: 5, plan_name: 'count' });
        primary(b);
        b.stop();
        const log = writeJsonl(path.join(dir, `evaluations-${how}.jsonl`), b.documents());
        const outRoot = path.join(dir, `evaluations-${how}`);
        fs.mkdirSync(outRoot);
        const { registry, calls } = counting();
        const { results } = await convertLogs([log], convertOptions(outRoot, layout!, how, registry));
        assert.equal(results[0]?.status, 'written');
        assert.equal(results[0]?.layout, 'evaluations@1.0.0');
        // a calculation is deferred by the plan: it runs once, at the stop (it ran at the plan too before)
        assert.equal(calls(), 1);
        const [evaluation, detValues] = dumpNumbersMany(results[0]!.file!, ['/entry/evaluation', '/entry/det']);
        assert.deepEqual(evaluation, [1]);
        assert.deepEqual(
          detValues,
          Array.from({ length: N }, (_, i) => det(i)),
        );
      });
    }
  });

  describe('a template that names its streams from the stop document', () => {
    // At a flush there is no stop: the plan writes no column of the stream yet, so its rows must all stay for the end.
    const template = {
      name: 'by-stop',
      version: '1.0.0',
      file: 'by-stop.nxs',
      tree: {
        'entry:NXentry': {
          '{{key}}:NXcollection': {
            $repeat: { over: 'keys', path: '$.stop.num_events' },
            det: { type: 'linked', location: 'event', stream: '{{key}}', field: 'det' },
            time: { type: 'linked', location: 'event', stream: '{{key}}', field: 'det', part: 'time' },
          },
        },
      },
    };
    if (fastSuite)
      test(`a ${N}-event run, the template alone (it does not resolve before the stop, and is written at the end)`, async () => {
        const { layout, diagnostics } = parseLayout(JSON.stringify(template), 'by-stop.json');
        assert.deepEqual(diagnostics, []);
        const b = composeRun({ scan_id: 6, plan_name: 'count' });
        const d = b.descriptor('primary', { det: {} });
        const times: number[] = [];
        for (let i = 0; i < N; i++) times.push(d.event({ det: det(i) }).time);
        b.stop();
        const { file } = await write(b, layout!, 'alone');
        assert.deepEqual(
          dumpNumbers(file, '/entry/primary/det'),
          Array.from({ length: N }, (_, i) => det(i)),
        );
        withFile(file, (f) => assert.deepEqual([...(dataset(f, '/entry/primary/time').value as Float64Array)], times));
      });
  });
}
