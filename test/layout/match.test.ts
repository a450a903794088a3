import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  conditionHolds,
  parseLayout,
  rankLayouts,
  selectLayout,
  valueAtDottedPath,
  type Layout,
} from '../../src/layout/index.js';

function make(name: string, extra: Record<string, unknown> = {}): Layout {
  const { layout, diagnostics } = parseLayout(
    JSON.stringify({ name, version: '1.0.0', file: 'a.nxs', tree: {}, ...extra }),
  );
  assert.deepEqual(diagnostics, []);
  return layout!;
}

const run = {
  start: {
    uid: 'u1',
    time: 1,
    beamline_id: '8-ID-I',
    plan_name: 'count',
    scan_id: 7,
    'sample.name': 'dotted',
    sample: { name: 'nested' },
    user_dir: '/data/2024',
  },
  stop: { exit_status: 'success' },
};

describe('match conditions', () => {
  test('scalar, list, exists, pattern', () => {
    assert.equal(conditionHolds('8-ID-I', '8-ID-I'), true);
    assert.equal(conditionHolds('8-ID-I', '8-ID-E'), false);
    assert.equal(conditionHolds(7, '7'), false);
    assert.equal(conditionHolds(['8-ID-E', '8-ID-I'], '8-ID-I'), true);
    assert.equal(conditionHolds(['8-ID-E'], '8-ID-I'), false);
    assert.equal(conditionHolds({ exists: true }, 0), true);
    assert.equal(conditionHolds({ exists: true }, undefined), false);
    assert.equal(conditionHolds({ exists: false }, undefined), true);
    assert.equal(conditionHolds({ exists: false }, null), true);
    assert.equal(conditionHolds({ pattern: '^/data/' }, '/data/2024'), true);
    assert.equal(conditionHolds({ pattern: '^7$' }, 7), true);
    assert.equal(conditionHolds({ pattern: '.' }, { a: 1 }), false);
    assert.equal(conditionHolds({ pattern: '.' }, undefined), false);
  });

  test('dotted paths prefer a key with dots, then descend', () => {
    assert.equal(valueAtDottedPath(run, 'start.sample.name'), 'dotted');
    assert.equal(valueAtDottedPath({ start: { sample: { name: 'nested' } } }, 'start.sample.name'), 'nested');
    assert.equal(valueAtDottedPath(run, 'stop.exit_status'), 'success');
    assert.equal(valueAtDottedPath(run, 'stop.missing'), undefined);
    assert.equal(valueAtDottedPath({ start: {} }, 'stop.exit_status'), undefined);
  });
});

describe('selectLayout', () => {
  const fallback = make('default');
  const beamline = make('xpcs', { match: { 'start.beamline_id': ['8-ID-E', '8-ID-I'] } });
  const count = make('xpcs-count', {
    match: { 'start.beamline_id': '8-ID-I', 'start.plan_name': 'count' },
    priority: 10,
  });
  const other = make('usaxs', { match: { 'start.beamline_id': '9-ID-C' }, priority: 100 });

  test('the highest priority matching layout wins', () => {
    assert.equal(selectLayout([fallback, beamline, count, other], run)?.name, 'xpcs-count');
    assert.deepEqual(
      rankLayouts([fallback, beamline, count, other], run).map((l) => l.name),
      ['xpcs-count', 'xpcs', 'default'],
    );
  });

  test('every key of match must hold', () => {
    const scan = { ...run, start: { ...run.start, plan_name: 'scan' } };
    assert.equal(selectLayout([fallback, beamline, count], scan)?.name, 'xpcs');
  });

  test('ties on priority go to the name that sorts first, whatever the input order', () => {
    const b = make('b-layout', { match: { 'start.plan_name': 'count' } });
    const a = make('a-layout', { match: { 'start.plan_name': 'count' } });
    assert.equal(selectLayout([b, a], run)?.name, 'a-layout');
    assert.equal(selectLayout([a, b], run)?.name, 'a-layout');
  });

  test('a layout without match is a fallback: below any matching layout, even one of lower priority', () => {
    const important = make('catch-all', { priority: 1000 });
    const low = make('low', { match: { 'start.plan_name': 'count' }, priority: -5 });
    assert.equal(selectLayout([important, low], run)?.name, 'low');
    assert.equal(selectLayout([important], run)?.name, 'catch-all');
  });

  test('a condition on the stop document is refused: the template is chosen when the run starts', () => {
    const text = JSON.stringify(
      { name: 'on-success', version: '1.0.0', file: 'a.nxs', tree: {}, match: { 'stop.exit_status': 'success' } },
      null,
      2,
    );
    const { layout, diagnostics } = parseLayout(text, 'on-success.json');
    assert.equal(layout, undefined);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location.pointer, d.location.line]),
      [['LAYOUT_SCHEMA', '/match/stop.exit_status', 7]],
    );
  });

  test('nothing matches and no fallback: undefined', () => {
    assert.equal(selectLayout([other], run), undefined);
    assert.equal(selectLayout([], run), undefined);
  });
});
