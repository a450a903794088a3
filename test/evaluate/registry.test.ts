import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NxlError } from '../../src/errors.js';
import { CalculationRegistry, createDefaultRegistry, iso8601 } from '../../src/evaluate/index.js';
import { data, evaluate, field, noErrors, only } from './fixtures.js';

const reg = createDefaultRegistry();
const call = (name: string, args: unknown[], kwargs: Record<string, unknown> = {}) => reg.call(name, args, kwargs);
const summary = {
  kind: 'column-summary',
  stream: 'p',
  field: 'x',
  length: 4,
  first: 1,
  last: 7,
  stats: { count: 4, min: 1, max: 7, sum: 16 },
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as NxlError).code;
  }
  return undefined;
}

describe('calculation registry', () => {
  test('iso8601 with and without a time zone', () => {
    assert.equal(call('iso8601', [1550069716.5092213]), '2019-02-13T14:55:16.509221Z');
    assert.equal(call('iso8601', [0], { tz: -300 }), '1969-12-31T19:00:00-05:00');
    assert.equal(call('iso8601', [0], { tz: '+05:30' }), '1970-01-01T05:30:00+05:30');
    assert.equal(iso8601(86400), '1970-01-02T00:00:00Z');
  });

  test('scale, offset, add, subtract, duration', () => {
    assert.equal(call('scale', [2, 3]), 6);
    assert.equal(call('scale', [2, 3, 1]), 7);
    assert.deepEqual(call('scale', [[1, [2, 3]], 2]), [2, [4, 6]]);
    assert.deepEqual(call('offset', [[1, 2], 0.5]), [1.5, 2.5]);
    assert.equal(call('subtract', [10, 4]), 6);
    assert.equal(call('add', [10, 4]), 14);
    assert.equal(call('duration', [100, 160.5]), 60.5);
  });

  test('reductions over lists and over column summaries', () => {
    assert.equal(call('mean', [[1, 2, 3, 6]]), 3);
    assert.equal(call('min', [[4, 2, 9]]), 2);
    assert.equal(
      call('max', [
        [
          [4, 2],
          [9, 1],
        ],
      ]),
      9,
    );
    assert.equal(call('count', [[4, 2, 9]]), 3);
    assert.equal(call('first', [[4, 2, 9]]), 4);
    assert.equal(call('last', [[4, 2, 9]]), 9);
    assert.equal(call('mean', [summary]), 4);
    assert.deepEqual(
      [
        call('min', [summary]),
        call('max', [summary]),
        call('count', [summary]),
        call('first', [summary]),
        call('last', [summary]),
      ],
      [1, 7, 4, 1, 7],
    );
    assert.equal(
      codeOf(() => call('mean', [[]])),
      'EVAL_CALCULATION',
    );
  });

  test('format, join, json, coalesce', () => {
    assert.equal(
      call('format', ['{0}_{name}_{1:05d}_{2:.2f} {{x}}', 'a', 7, Math.PI], { name: 'n' }),
      'a_n_00007_3.14 {x}',
    );
    assert.equal(
      codeOf(() => call('format', ['{3}'])),
      'EVAL_CALCULATION',
    );
    assert.equal(call('join', [['a', 1, true]]), 'a, 1, true');
    assert.equal(call('join', [['a', 'b'], '/']), 'a/b');
    assert.equal(call('json', [{ a: [1] }]), '{"a":[1]}');
    assert.equal(call('coalesce', [undefined, '', 'x', 'y']), 'x');
  });

  test('nexus_signal and nexus_axes (issue 11: hinted detector fields, never a motor, an axis, text or an empty stream)', () => {
    const n = { dtype: 'number' };
    const keys = {
      m1: { ...n, object_name: 'm1' },
      m1_setpoint: { ...n, object_name: 'm1' },
      det_time: { ...n, object_name: 'det' },
      det_total: { ...n, object_name: 'det' },
      label: { dtype: 'string', object_name: 'det' },
      other: n,
    };
    const start = {
      detectors: ['det'],
      motors: ['m1'],
      hints: {
        dimensions: [
          [['m1_setpoint'], 'primary'],
          [['zz'], 'baseline'],
        ],
      },
    };
    const stream = (hints: unknown = {}, length = 3) => ({
      name: 'primary',
      data_keys: keys,
      descriptors: [{ hints }],
      length,
    });
    assert.equal(call('nexus_signal', [start, 'primary', keys]), 'det_time');
    assert.equal(
      call('nexus_signal', [start, 'primary', keys, { det: { fields: ['label', 'det_total'] } }]),
      'det_total',
      'a hinted text field is skipped',
    );
    assert.equal(call('nexus_signal', [start, stream({ det: { fields: ['det_total'] } })]), 'det_total');
    // no detectors declared: the descriptor's hinted fields that are not axes, never the motor
    const tune = { hints: { dimensions: [[['m1'], 'primary']] } };
    assert.equal(
      call('nexus_signal', [tune, stream({ m1: { fields: ['m1'] }, det: { fields: ['det_total'] } })]),
      'det_total',
    );
    assert.equal(call('nexus_signal', [{ motors: ['m1'] }, 'primary', keys]), 'det_time'); // first field that is not a motor's
    assert.equal(
      codeOf(() => call('nexus_signal', [start, stream({}, 0)])),
      'EVAL_CALCULATION',
      'a stream without events has no signal',
    );
    assert.equal(
      codeOf(() => call('nexus_signal', [{ motors: ['m1'] }, 'primary', { m1: n, label: { dtype: 'string' } }])),
      'EVAL_CALCULATION',
    );
    assert.deepEqual(call('nexus_axes', [start, 'primary', keys]), ['m1_setpoint']);
    assert.deepEqual(call('nexus_axes', [{ motors: ['m1'] }, 'primary', keys]), ['m1']);
    assert.deepEqual(call('nexus_axes', [{}, 'primary', keys]), ['.']);
    // a flattened grid: both motors position dimension 0; @axes names the first
    const grid = {
      detectors: ['det'],
      motors: ['m1', 'm2'],
      hints: {
        dimensions: [
          [['m1'], 'primary'],
          [['m2'], 'primary'],
        ],
      },
    };
    assert.deepEqual(call('nexus_axes', [grid, 'primary', { ...keys, m2: { ...n, object_name: 'm2' } }]), ['m1']);
    assert.equal(
      codeOf(() => call('nexus_signal', ['x', 'primary', keys])),
      'EVAL_CALCULATION',
    );
  });

  test('unknown callable names it and lists the known ones; wrong arity and kwargs are EVAL_CALCULATION', () => {
    try {
      call('eval', ['1+1']);
      assert.fail('no error');
    } catch (e) {
      const err = e as NxlError;
      assert.equal(err.code, 'EVAL_UNKNOWN_CALCULATION');
      assert.match(err.message, /"eval"/);
      assert.match(err.hint ?? '', /known calculations: .*iso8601.*scale/);
    }
    assert.equal(
      codeOf(() => call('scale', [1])),
      'EVAL_CALCULATION',
    );
    assert.equal(
      codeOf(() => call('iso8601', [1], { zone: 1 })),
      'EVAL_CALCULATION',
    );
    assert.equal(
      codeOf(() => call('scale', ['abc', 2])),
      'EVAL_CALCULATION',
    );
  });

  test('register: custom functions, duplicate names refused', () => {
    const r = new CalculationRegistry();
    r.register('double', { fn: ([x]) => (x as number) * 2, minArgs: 1, maxArgs: 1, description: 'x*2' });
    assert.equal(r.call('double', [4]), 8);
    assert.equal(
      codeOf(() => r.register('double', { fn: () => 0, minArgs: 0, description: '' })),
      'EVAL_CALCULATION',
    );
    assert.deepEqual(r.names(), ['double']);
  });
});

describe('calculated projections in a template', () => {
  const entry = (body: Record<string, unknown>) => ({ 'entry:NXentry': body });

  test('JSONPath args, event column first arg, nested projections, kwargs, source', () => {
    const plan = evaluate(
      entry({
        start_time: { type: 'calculated', calculation: { callable: 'iso8601', args: ['$.start.time'] } },
        mean_I0: {
          type: 'calculated',
          location: 'event',
          stream: 'primary',
          field: 'I0',
          calculation: { callable: 'mean' },
        },
        scaled: {
          type: 'calculated',
          calculation: {
            callable: 'scale',
            args: [{ type: 'linked', location: 'start', field: 'scan_id' }, 2],
            kwargs: {},
          },
        },
        name: {
          type: 'calculated',
          calculation: { callable: 'format', args: ['{0}-{who}', '$.run.short_uid'], kwargs: { who: '$$literal' } },
        },
        dur: {
          type: 'calculated',
          calculation: { callable: 'duration', args: ['$.start.time', '$.stop.time'] },
          '@units': 's',
        },
      }),
    );
    noErrors(plan);
    assert.deepEqual(data(plan, '/entry/start_time'), ['2023-11-14T22:13:20.250000Z']);
    assert.equal(field(plan, '/entry/start_time').source, 'calculated iso8601($.start.time)');
    assert.deepEqual(data(plan, '/entry/mean_I0'), [12]);
    assert.equal(field(plan, '/entry/mean_I0').source, 'calculated mean(event primary/I0)');
    assert.deepEqual(data(plan, '/entry/scaled'), [84]);
    assert.deepEqual(data(plan, '/entry/name'), ['aaaaaaaa-$literal']);
    assert.deepEqual(data(plan, '/entry/dur'), [100.25]);
  });

  test('unknown callable and a missing JSONPath arg are diagnostics at the node', () => {
    const plan = evaluate(
      entry({
        u: { type: 'calculated', calculation: { callable: 'os.system', args: ['rm -rf /'] } },
        m: { type: 'calculated', calculation: { callable: 'iso8601', args: ['$.start.nope'] } },
      }),
    );
    const u = only(plan, 'EVAL_UNKNOWN_CALCULATION');
    assert.equal(u.location.nexusPath, '/entry/u');
    assert.match(u.hint ?? '', /iso8601/);
    assert.equal(only(plan, 'EVAL_START_MISSING').location.nexusPath, '/entry/m');
  });
});
