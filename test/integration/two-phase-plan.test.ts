/**
 * The writer's two phases (evaluate/plan-layout.ts, convert/planner.ts): the
 * layout is planned once per header however many flushes a run has, a
 * descriptor arriving mid-run extends the plan, the values are resolved once
 * at the stop (read back with h5dump), and the writer never mutates the
 * run's model (frozen columns, streams and rows go through it untouched).
 * The RunWriter is driven directly from a RunAccumulator, as the session does.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunWriter } from '../../src/convert/run-writer.js';
import type { RunResult } from '../../src/convert/models.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { createDefaultRegistry } from '../../src/evaluate/registry.js';
import { parseLayout } from '../../src/layout/parse.js';
import type { Layout } from '../../src/layout/models.js';
import { diskOutput } from '../../src/nexus/output-file.js';
import { RunAccumulator } from '../../src/run/accumulator.js';
import type { RetentionPolicy, Run } from '../../src/run/models.js';
import { composeRun } from '../../src/run/testing.js';
import { dumpNumbers } from './h5.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-two-phase-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const N = 1000;
const FLUSH_EVERY = 100;
const det = (i: number): number => 10 + i * 0.5;

function layoutOf(tree: Record<string, unknown>, name = 'two-phase'): Layout {
  const { layout, diagnostics } = parseLayout(
    JSON.stringify({ name, version: '1.0.0', file: `${name}-{{start.scan_id}}.nxs`, tree }),
    `${name}.json`,
  );
  assert.deepEqual(diagnostics, []);
  return layout!;
}

const spare = layoutOf({ 'entry:NXentry': {} }, 'spare');

/** A calculation that counts its calls: one per evaluation of the template. */
function counting(): { registry: ReturnType<typeof createDefaultRegistry>; calls: () => number } {
  let calls = 0;
  const registry = createDefaultRegistry().register('count_evaluations', {
    minArgs: 0,
    maxArgs: 0,
    description: 'test: counts its calls',
    fn: () => ++calls,
  });
  return { registry, calls: () => calls };
}

interface Drive {
  result: RunResult;
  writer: RunWriter;
  /** The writer's evaluation count after each flush. */
  atFlush: number[];
  /** Each retention policy the writer gave the run's accumulator. */
  policies: (RetentionPolicy | undefined)[];
}

/**
 * Pushes the documents into an accumulator and the writer, flushing every
 * FLUSH_EVERY events (as the session does every 512 rows); `view` may turn
 * the accumulator's run into what the writer sees.
 */
function drive(
  docs: NamedDocument[],
  layout: Layout,
  options: { fallback?: Layout; registry?: ReturnType<typeof createDefaultRegistry>; view?: (run: Run) => Run } = {},
): Drive {
  const [start, ...rest] = docs;
  assert.equal(start!.name, 'start');
  const acc = new RunAccumulator(start!.doc as never);
  const policies: (RetentionPolicy | undefined)[] = [];
  const release = acc.snapshot().rowRelease!;
  const snapshot = (): Run => {
    const run: Run = {
      ...acc.snapshot(),
      // the accumulator's own row release, with the policies it is told recorded
      rowRelease: {
        retain: (policy) => {
          policies.push(policy);
          release.retain(policy);
        },
        written: (progress) => release.written(progress),
      },
    };
    return options.view === undefined ? run : options.view(run);
  };
  const outRoot = fs.mkdtempSync(path.join(dir, 'out-'));
  const writer = new RunWriter(snapshot(), layout, {
    output: diskOutput,
    outRoot,
    overwrite: false,
    dryRun: false,
    ...(options.fallback === undefined ? {} : { fallback: options.fallback }),
    ...(options.registry === undefined ? {} : { registry: options.registry }),
  });
  const atFlush: number[] = [];
  let pending = 0;
  for (const named of rest) {
    assert.deepEqual(acc.push(named), []);
    if (named.name !== 'event') continue;
    if (++pending < FLUSH_EVERY) continue;
    pending = 0;
    writer.flush(snapshot());
    atFlush.push(writer.evaluations);
  }
  const result = writer.finish(snapshot());
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    [],
  );
  assert.equal(result.status, 'written');
  return { result, writer, atFlush, policies };
}

const tree = {
  'entry:NXentry': {
    det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
    det_3: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: 3 },
    det_last: { type: 'linked', location: 'event', stream: 'primary', field: 'det', index: -1 },
    det_mean: {
      type: 'calculated',
      calculation: {
        callable: 'mean',
        args: [{ type: 'linked', location: 'event', stream: 'primary', field: 'det' }],
      },
    },
    // optional: a required stop field holds a run with a fallback to its stop (fallback.ts; tested below)
    events: { type: 'linked', location: 'stop', field: '$.num_events.primary', optional: true },
    evaluation: { type: 'calculated', calculation: { callable: 'count_evaluations' } },
  },
};

function run1(): NamedDocument[] {
  const b = composeRun({ scan_id: 7 });
  const d = b.descriptor('primary', { det: {} });
  for (let i = 0; i < N; i++) d.event({ det: det(i) });
  b.stop();
  return b.documents();
}

describe('the layout is planned once per header, its values resolved once at the stop', () => {
  for (const fallback of [undefined, spare]) {
    const how = fallback === undefined ? 'alone' : 'with a fallback';
    test(`a ${N}-event run, ${N / FLUSH_EVERY} flushes (${how}): one plan, one resolution`, () => {
      const { registry, calls } = counting();
      const { result, writer, atFlush, policies } = drive(run1(), layoutOf(tree), {
        registry,
        ...(fallback === undefined ? {} : { fallback }),
      });
      assert.equal(atFlush.length, N / FLUSH_EVERY);
      assert.deepEqual(atFlush, Array(N / FLUSH_EVERY).fill(1), 'planned at the first flush, never again');
      assert.equal(writer.evaluations, 2, 'plus the values at the stop');
      assert.equal(calls(), 2, 'the calculation ran once per evaluation');
      assert.equal(policies.length, 1, 'the accumulator is told once what to retain');
      const file = result.file!;
      // values resolved at the stop, from the whole run
      assert.deepEqual(dumpNumbers(file, '/entry/evaluation'), [2]);
      assert.deepEqual(dumpNumbers(file, '/entry/det_3'), [det(3)]);
      assert.deepEqual(dumpNumbers(file, '/entry/det_last'), [det(N - 1)]);
      const mean = dumpNumbers(file, '/entry/det_mean')[0]!;
      assert.ok(Math.abs(mean - det((N - 1) / 2)) < 1e-9, `mean ${mean}`);
      assert.deepEqual(dumpNumbers(file, '/entry/events'), [N]);
      assert.deepEqual(
        dumpNumbers(file, '/entry/det'),
        Array.from({ length: N }, (_, i) => det(i)),
      );
    });
  }

  test('a required stop field, with a fallback: held, planned again only as its rows double, then resolved', () => {
    const { registry } = counting();
    const held = {
      ...tree['entry:NXentry'],
      events: { type: 'linked', location: 'stop', field: '$.num_events.primary' },
    };
    const { result, writer, atFlush, policies } = drive(run1(), layoutOf({ 'entry:NXentry': held }), {
      registry,
      fallback: spare,
    });
    // held at 100 rows: looked at again at 200, 400, 800 (fallback.ts: "hold"), nothing streamed
    assert.deepEqual(atFlush, [1, 2, 2, 3, 3, 3, 3, 4, 4, 4]);
    assert.equal(writer.evaluations, 5);
    assert.equal(writer.plan, undefined, 'never streamed');
    assert.deepEqual(policies, [], 'nothing was let go');
    assert.equal(result.fallbackFrom, undefined);
    assert.deepEqual(dumpNumbers(result.file!, '/entry/events'), [N]);
    assert.deepEqual(
      dumpNumbers(result.file!, '/entry/det'),
      Array.from({ length: N }, (_, i) => det(i)),
    );
  });

  test('the plan names its columns as references and the columns it retains', () => {
    const { writer } = drive(run1(), layoutOf(tree), { registry: counting().registry });
    const plan = writer.plan!;
    assert.deepEqual(plan.header, { descriptors: 1, streamsWithRows: ['primary'] });
    assert.deepEqual(
      plan.columns.map((c) => [c.path, c.value.stream, c.value.field, c.value.part, c.dtype, c.shape.slice(1)]),
      [['/entry/det', 'primary', 'det', 'values', 'float64', []]],
    );
    assert.deepEqual(plan.retained, [{ stream: 'primary', field: 'det', part: 'values' }]);
  });
});

describe('a descriptor arriving mid-run extends the plan', () => {
  test('a baseline stream after 500 events: planned again once, its column streamed, values right', () => {
    const b = composeRun({ scan_id: 8 });
    const d = b.descriptor('primary', { det: {} });
    for (let i = 0; i < 500; i++) d.event({ det: det(i) });
    const base = b.descriptor('baseline', { ring: {} });
    base.event({ ring: 101 });
    for (let i = 500; i < N; i++) d.event({ det: det(i) });
    base.event({ ring: 102 });
    b.stop();
    const { registry, calls } = counting();
    const layout = layoutOf({
      'entry:NXentry': {
        ...tree['entry:NXentry'],
        ring: { type: 'linked', location: 'event', stream: 'baseline', field: 'ring' },
        ring_1: { type: 'linked', location: 'event', stream: 'baseline', field: 'ring', index: 1 },
      },
    });
    const { result, writer, atFlush, policies } = drive(b.documents(), layout, { registry });
    // flushes 1..5 under the first plan; at flush 6 the header has baseline (a descriptor, a row): one extension
    assert.deepEqual(atFlush, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    assert.equal(writer.evaluations, 3);
    assert.equal(calls(), 3);
    assert.equal(policies.length, 2, 'one retention policy per plan');
    assert.deepEqual(writer.plan!.header, { descriptors: 2, streamsWithRows: ['primary', 'baseline'] });
    assert.deepEqual(
      writer.plan!.columns.map((c) => c.path),
      ['/entry/det', '/entry/ring'],
    );
    assert.deepEqual(
      [...policies[1]!.retained].map((k) => k.split('\u0000')),
      [
        ['primary', 'det', 'values'],
        ['baseline', 'ring', 'values'],
      ],
      'det (index 3, mean) and ring (index 1) are retained (first and last readings always stay)',
    );
    const file = result.file!;
    assert.deepEqual(dumpNumbers(file, '/entry/ring'), [101, 102]);
    assert.deepEqual(dumpNumbers(file, '/entry/ring_1'), [102]);
    assert.deepEqual(dumpNumbers(file, '/entry/det_last'), [det(N - 1)]);
    assert.deepEqual(
      dumpNumbers(file, '/entry/det'),
      Array.from({ length: N }, (_, i) => det(i)),
    );
  });
});

describe('the writer never mutates the run model', () => {
  /** The run with every stream, column and rows array frozen (strict mode: any write throws), and no row release. */
  function frozen(run: Run): Run {
    for (const stream of run.streams.values()) {
      for (const column of [
        stream.time,
        stream.seqNum,
        ...[...stream.fields.values()].flatMap((f) => [f.values, f.timestamps]),
      ]) {
        Object.freeze(column.rows);
        Object.freeze(column);
      }
      Object.freeze(stream);
    }
    const { rowRelease: _, ...rest } = run;
    return Object.freeze({ ...rest, stop: run.stop }) as Run;
  }

  test('frozen columns, streams and rows: the run is written, every value right', () => {
    const b = composeRun({ scan_id: 9 });
    const d = b.descriptor('primary', { det: {} });
    for (let i = 0; i < N; i++) d.event({ det: det(i) });
    b.stop();
    const docs = b.documents();
    // Freezing needs the whole run: the writer sees it complete at every flush (as a late reader would).
    const { registry } = counting();
    const full = (() => {
      const acc = new RunAccumulator(docs[0]!.doc as never);
      for (const named of docs.slice(1)) acc.push(named);
      return frozen(acc.snapshot());
    })();
    const offsets = [...full.streams.values()].map((s) => s.fields.get('det')!.values.offset);
    const { result } = drive(docs, layoutOf(tree), { registry, view: () => full });
    assert.deepEqual(
      [...full.streams.values()].map((s) => s.fields.get('det')!.values.offset),
      offsets,
    );
    assert.equal(full.streams.get('primary')!.fields.get('det')!.values.rows.length, N, 'every row still held');
    assert.deepEqual(
      dumpNumbers(result.file!, '/entry/det'),
      Array.from({ length: N }, (_, i) => det(i)),
    );
    assert.deepEqual(dumpNumbers(result.file!, '/entry/det_3'), [det(3)]);
  });

  test("with the accumulator's row release: rows go only through it, and only those the plan does not retain", () => {
    const { registry } = counting();
    const layout = layoutOf({
      'entry:NXentry': {
        det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
        other: { type: 'linked', location: 'event', stream: 'primary', field: 'other' },
        other_3: { type: 'linked', location: 'event', stream: 'primary', field: 'other', index: 3 },
      },
    });
    const b = composeRun({ scan_id: 10 });
    const d = b.descriptor('primary', { det: {}, other: {}, unread: {} });
    for (let i = 0; i < N; i++) d.event({ det: det(i), other: i, unread: -i });
    b.stop();
    let seen: Run | undefined;
    const { result } = drive(b.documents(), layout, {
      registry,
      view: (run) => (seen = run),
    });
    const fields = seen!.streams.get('primary')!.fields;
    const det0 = fields.get('det')!.values;
    // det streamed, not retained: the rows written by the last flush went; the end's were appended and kept
    assert.equal(det0.offset, N);
    assert.deepEqual([fields.get('other')!.values.offset, fields.get('other')!.values.rows.length], [0, N]);
    assert.equal(fields.get('unread')!.values.offset, N, 'a column the plan does not read went at a flush');
    assert.deepEqual(dumpNumbers(result.file!, '/entry/other_3'), [3]);
    assert.deepEqual(
      dumpNumbers(result.file!, '/entry/det'),
      Array.from({ length: N }, (_, i) => det(i)),
    );
  });
});
