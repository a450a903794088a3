/**
 * What the plan defers (evaluate/deferred.ts) and what resolveValues decides
 * (evaluate/resolve-values.ts): text reading the start is final and text
 * reading the stop is deferred; a `$repeat` over the stop's keys is a
 * deferred structure planned at the stop, with links into it checked there;
 * an optional deferred field the run lacks is left out with the same
 * warning as a whole-run evaluation, and so is a group left empty by it.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluateLayout } from '../../src/evaluate/evaluate-layout.js';
import type { PlanNode } from '../../src/evaluate/models.js';
import { planLayout } from '../../src/evaluate/plan-layout.js';
import { resolveValues } from '../../src/evaluate/resolve-values.js';
import { find, layoutOf, scanRun } from './fixtures.js';

const options = { provenance: { nxlayoutVersion: '9.9.9' } };

function planned(node: PlanNode, path: string): PlanNode | undefined {
  if (node.path === path) return node;
  if (node.kind !== 'group') return undefined;
  for (const c of node.children) {
    const found = planned(c, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('what the plan defers', () => {
  const layout = layoutOf({
    'entry:NXentry': {
      title: 'scan {{start.scan_id}} of {{start.sample.name}}',
      stream_name: { $repeat: { over: 'streams' }, value: '{{stream}}' },
      exit: 'ended: {{stop.exit_status}}',
      points: '{{streams.primary.length}} points',
      main: '{{run.main_stream}}',
      scan: { type: 'linked', location: 'start', field: 'scan_id' },
      first_I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', index: 'first' },
      '@started': '{{start.time}}',
    },
    'sample:NXsample': {
      '@ended': { type: 'linked', location: 'stop', field: 'exit_status' },
      name: { type: 'linked', location: 'start', field: 'sample.name' },
    },
  });
  const plan = planLayout(layout, scanRun({ stop: false }), options);

  test('start-document text, start values and repeat bindings are final; stop text, a length, the main stream, a reading are deferred', () => {
    const kind = (p: string): string | undefined => planned(plan.root, p)?.kind;
    assert.equal(kind('/entry/title'), 'field');
    assert.equal(kind('/entry/scan'), 'field');
    assert.equal(kind('/entry/exit'), 'deferred');
    assert.equal(kind('/entry/points'), 'deferred');
    assert.equal(kind('/entry/main'), 'deferred');
    assert.equal(kind('/entry/first_I0'), 'deferred');
    const title = planned(plan.root, '/entry/title');
    assert.ok(title?.kind === 'field' && title.value.kind === 'inline');
    assert.deepEqual(title.value.data, ['scan 42 of silica']);
  });

  test("a node's attributes are deferred together when one of them is", () => {
    const entry = planned(plan.root, '/entry');
    assert.ok(entry?.kind === 'group');
    assert.equal(entry.deferredAttributes, undefined);
    assert.deepEqual(
      entry.attributes.map((a) => a.name),
      ['started'],
    );
    const sample = planned(plan.root, '/sample');
    assert.ok(sample?.kind === 'group');
    assert.deepEqual(sample.attributes, []);
    assert.deepEqual(
      sample.deferredAttributes?.attributes.map((a) => a.name),
      ['ended'],
    );
  });

  test('resolved against the finished run: the same tree and problems as the whole run evaluated at once', () => {
    const run = scanRun();
    assert.deepEqual(resolveValues(plan, run, options), evaluateLayout(layout, run, options));
    const resolved = resolveValues(plan, run, options);
    const exit = find(resolved, '/entry/exit');
    assert.ok(exit?.kind === 'field' && exit.value.kind === 'inline');
    assert.deepEqual(exit.value.data, ['ended: success']);
    const sample = find(resolved, '/sample');
    assert.equal(sample?.attributes.find((a) => a.name === 'ended')?.data[0], 'success');
  });
});

describe('what resolveValues decides', () => {
  test('a $repeat over the stop document’s keys is planned at the stop, links into it checked there', () => {
    const layout = layoutOf({
      'entry:NXentry': {
        '{{key}}:NXcollection': {
          $repeat: { over: 'keys', path: '$.stop.num_events' },
          events: { type: 'linked', location: 'stop', field: '$.num_events.{{key}}' },
        },
        primary_events: { link: '/entry/primary/events' },
      },
    });
    const plan = planLayout(layout, scanRun({ stop: false }), options);
    assert.deepEqual(plan.diagnostics, [], 'no link error while the target is not planned yet');
    assert.equal(plan.retainsAll, true, 'what the repeat will read is unknown: every row stays');
    const entry = planned(plan.root, '/entry');
    assert.ok(entry?.kind === 'group');
    assert.deepEqual(
      entry.children.map((c) => [c.kind, c.kind === 'deferred' ? c.deferred : c.path]),
      [
        ['deferred', 'structure'],
        ['link', '/entry/primary_events'],
        ['group', '/entry/nxlayout_provenance'],
      ],
    );
    const run = scanRun();
    const resolved = resolveValues(plan, run, options);
    assert.deepEqual(resolved, evaluateLayout(layout, run, options));
    const events = find(resolved, '/entry/primary/events');
    assert.ok(events?.kind === 'field' && events.value.kind === 'inline');
    assert.deepEqual(events.value.data, [5]);
    assert.ok(find(resolved, '/entry/baseline'));
    assert.deepEqual(
      resolved.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  test('an optional deferred field the run lacks is left out with its warning, and a group it leaves empty too', () => {
    const layout = layoutOf({
      'entry:NXentry': {
        'extra:NXcollection': {
          reason: { type: 'linked', location: 'stop', field: 'no_such_key', optional: true },
        },
        count: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', index: 9, optional: true },
      },
    });
    const plan = planLayout(layout, scanRun({ stop: false }), options);
    assert.ok(planned(plan.root, '/entry/extra'), 'planned: its child is deferred');
    const run = scanRun();
    const resolved = resolveValues(plan, run, options);
    assert.equal(find(resolved, '/entry/extra'), undefined);
    assert.equal(find(resolved, '/entry/count'), undefined);
    assert.deepEqual(
      resolved.diagnostics.map((d) => [d.code, d.severity, d.location.pointer]),
      [
        ['EVAL_FIELD_MISSING', 'warning', '/tree/entry:NXentry/extra:NXcollection/reason'],
        ['EVAL_INDEX_MISSING', 'warning', '/tree/entry:NXentry/count'],
      ],
    );
    assert.deepEqual(resolved, evaluateLayout(layout, run, options));
  });
});
