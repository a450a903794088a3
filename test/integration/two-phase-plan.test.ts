/**
 * The writer's two phases (evaluate/plan-layout.ts, evaluate/resolve-values.ts,
 * convert/planner.ts): the template's structure is planned once per run
 * (once more per later header) however many flushes it has, the plan's
 * deferred nodes are template nodes with no value, only they are evaluated
 * at the stop, once (read back with h5dump), a descriptor arriving mid-run
 * plans once more, and the writer never mutates the run's model (frozen
 * columns, streams and rows go through it untouched). The RunWriter is
 * driven directly from a RunAccumulator, as the session does.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// The Node shell's validators and ajv (what the package's entries install): this file imports core modules directly.
import '../../src/documents/precompiled-node.js';
import { RunWriter } from '../../src/convert/run-writer.js';
import type { RunResult } from '../../src/convert/models.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { evaluateLayout } from '../../src/evaluate/evaluate-layout.js';
import type { PlanNode } from '../../src/evaluate/models.js';
import { planLayout } from '../../src/evaluate/plan-layout.js';
import type { createDefaultRegistry } from '../../src/evaluate/registry.js';
import { resolveValues } from '../../src/evaluate/resolve-values.js';
import { parseLayout } from '../../src/layout/parse.js';
import type { Layout } from '../../src/layout/models.js';
import { diskOutput } from '../../src/nexus/output-file.js';
import { RunAccumulator } from '../../src/run/accumulator.js';
import type { RetentionPolicy, Run } from '../../src/run/models.js';
import { composeRun } from '../../src/run/testing.js';
import { dumpNumbers, tool } from './h5.js';
import { counting } from './counting-registry.js';

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

interface Drive {
  result: RunResult;
  writer: RunWriter;
  /** The writer's count of structural plans after each flush. */
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
    atFlush.push(writer.counts.plans);
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

describe('the layout is planned once per run, its values resolved once at the stop', () => {
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
      assert.deepEqual([writer.counts.plans, writer.counts.resolutions], [1, 1]);
      assert.equal(calls(), 1, 'the calculation ran once: at the stop, never while planning');
      assert.equal(policies.length, 1, 'the accumulator is told once what to retain');
      const file = result.file!;
      // values resolved at the stop, from the whole run
      assert.deepEqual(dumpNumbers(file, '/entry/evaluation'), [1]);
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

  test('a required stop field, with a fallback: deferred, so the plan resolves and streams; the field is resolved at the stop', () => {
    const { registry } = counting();
    const required = {
      ...tree['entry:NXentry'],
      events: { type: 'linked', location: 'stop', field: '$.num_events.primary' },
    };
    const { result, writer, atFlush, policies } = drive(run1(), layoutOf({ 'entry:NXentry': required }), {
      registry,
      fallback: spare,
    });
    // Before the plan deferred values, such a template held the run (nothing streamed) and re-planned 4 times.
    assert.deepEqual(atFlush, Array(N / FLUSH_EVERY).fill(1));
    assert.deepEqual([writer.counts.plans, writer.counts.resolutions], [1, 1]);
    assert.deepEqual(
      writer.plan!.columns.map((c) => c.path),
      ['/entry/det'],
      'streamed from the first flush',
    );
    assert.equal(policies.length, 1);
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

describe('a descriptor arriving mid-run plans once more', () => {
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
    // flushes 1..5 under the first plan; at flush 6 the header has baseline (a descriptor, a row): one more plan
    assert.deepEqual(atFlush, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    assert.deepEqual([writer.counts.plans, writer.counts.resolutions], [2, 1]);
    assert.equal(calls(), 1, 'values are resolved once, at the stop');
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

/** Every node of a plan's tree, in tree order. */
function nodesOf(node: PlanNode): PlanNode[] {
  return node.kind === 'group' ? [node, ...node.children.flatMap(nodesOf)] : [node];
}

/** The run's accumulator after `events` primary events (and the stop when all are in). */
function accumulated(docs: NamedDocument[], events = Infinity): Run {
  const acc = new RunAccumulator(docs[0]!.doc as never);
  let seen = 0;
  for (const named of docs.slice(1)) {
    if (named.name === 'event' && ++seen > events) break;
    acc.push(named);
  }
  return acc.snapshot();
}

describe('the plan holds deferred nodes, not provisional values', () => {
  test('planned at a header of 100 events: single readings, calculations and the stop are template nodes with no value', () => {
    const { registry, calls } = counting();
    const docs = run1();
    const plan = planLayout(layoutOf(tree), accumulated(docs, 100), { registry });
    assert.equal(calls(), 0, 'planning evaluates no calculation');
    const nodes = nodesOf(plan.root);
    const deferred = nodes.filter((n) => n.kind === 'deferred');
    assert.deepEqual(
      deferred.map((n) => n.path),
      ['/entry/det_3', '/entry/det_last', '/entry/det_mean', '/entry/events', '/entry/evaluation'],
    );
    for (const n of deferred) {
      // a template node and where to evaluate it: no value, dtype, shape or attributes of its own
      assert.deepEqual(Object.keys(n).sort(), ['deferred', 'kind', 'node', 'parent', 'path', 'pointer', 'scope']);
      assert.equal(n.node.kind, 'field');
    }
    const detNode = nodes.find((n) => n.path === '/entry/det');
    assert.ok(detNode?.kind === 'field' && detNode.value.kind === 'column', 'a whole column is a reference, final');
    assert.deepEqual(detNode.shape, [100]);
    assert.deepEqual(plan.retained, [{ stream: 'primary', field: 'det', part: 'values' }]);
    assert.deepEqual(plan.diagnostics, [], 'nothing the header cannot give is reported while planning');

    const resolved = resolveValues(plan, accumulated(docs), { registry });
    assert.equal(calls(), 1);
    const entry = resolved.root.children.find((c) => c.path === '/entry');
    assert.ok(entry?.kind === 'group');
    const value = (p: string): unknown => {
      const n = entry.children.find((c) => c.path === p);
      return n?.kind === 'field' && n.value.kind === 'inline' ? n.value.data : n?.kind;
    };
    assert.deepEqual(value('/entry/det_3'), [det(3)]);
    assert.deepEqual(value('/entry/det_last'), [det(N - 1)]);
    assert.deepEqual(value('/entry/events'), [N]);
    const column = entry.children.find((c) => c.path === '/entry/det');
    assert.ok(column?.kind === 'field');
    assert.deepEqual(column.shape, [N], 'the column reference gets its final row count');
  });

  test("the header's plan resolved at the stop is the tree the whole run plans and resolves to", () => {
    const { evaluation: _, ...plain } = tree['entry:NXentry'];
    const layout = layoutOf({
      'entry:NXentry': {
        ...plain,
        'data:NXdata': {
          '@signal': 'det',
          '@count': { type: 'linked', location: 'stop', field: '$.num_events.primary' },
          det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
        },
      },
    });
    const docs = run1();
    const options = { provenance: { nxlayoutVersion: '9.9.9' } };
    const early = resolveValues(planLayout(layout, accumulated(docs, 100), options), accumulated(docs), options);
    assert.deepEqual(early, evaluateLayout(layout, accumulated(docs), options));
  });

  test("a streamed column's attribute read from the stop is resolved at the stop and written (h5dump)", () => {
    const layout = layoutOf({
      'entry:NXentry': {
        det: {
          type: 'linked',
          location: 'event',
          stream: 'primary',
          field: 'det',
          '@events': { type: 'linked', location: 'stop', field: '$.num_events.primary' },
        },
      },
    });
    const { result, writer } = drive(run1(), layout);
    const column = writer.plan!.columns[0]!;
    assert.deepEqual(column.attributes, [], 'deferred: no attribute value in the plan');
    assert.equal(column.deferredAttributes?.attributes[0]?.name, 'events');
    const out = tool('h5dump', ['-a', '/entry/det/events', result.file!]);
    assert.match(out, /\(0\): 1000\b/, out);
  });

  test('the structure is planned once per run: start projections are merged once, calculations resolved once', () => {
    let merges = 0;
    let calls = 0;
    const registry = counting().registry.register('count.structure', {
      minArgs: 0,
      maxArgs: 0,
      description: 'test: counts its calls',
      fn: () => ++calls,
    });
    // a dotted callable of a start-document projection is looked up once per merge of the start projections
    const has = registry.has.bind(registry);
    registry.has = (name: string): boolean => {
      if (name === 'count.structure') merges++;
      return has(name);
    };
    const b = composeRun({
      scan_id: 12,
      projections: [
        { projection: { '/entry/structure': { type: 'calculated', calculation: { callable: 'count.structure' } } } },
      ],
    } as never);
    const d = b.descriptor('primary', { det: {} });
    for (let i = 0; i < N; i++) d.event({ det: det(i) });
    b.stop();
    const { result, writer, atFlush } = drive(b.documents(), layoutOf(tree), { registry });
    assert.equal(atFlush.length, N / FLUSH_EVERY);
    assert.equal(merges, 1, 'the template (with the start projections) is planned once for the run');
    assert.equal(calls, 1, 'the value is resolved once');
    assert.deepEqual([writer.counts.plans, writer.counts.resolutions], [1, 1]);
    assert.deepEqual(dumpNumbers(result.file!, '/entry/structure'), [1]);
  });

  test('a required stop field the stop lacks, with a fallback: falls back at the stop, the streamed rows recovered', () => {
    const required = {
      det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
      missing: { type: 'linked', location: 'stop', field: '$.num_events.nothing' },
    };
    const fallback = layoutOf(
      { 'entry:NXentry': { det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' } } },
      'fallback',
    );
    const { result, writer } = drive(run1(), layoutOf({ 'entry:NXentry': required }), { fallback });
    assert.equal(result.fallbackFrom, 'two-phase@1.0.0');
    assert.deepEqual(
      [writer.counts.plans, writer.counts.resolutions],
      [2, 2],
      'each template planned once and resolved once',
    );
    assert.deepEqual(
      dumpNumbers(result.file!, '/entry/det'),
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
