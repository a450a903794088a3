import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { columnKeyOf } from '../../src/run/column.js';
import { attr, data, evaluate, field, noErrors, scanRun } from './fixtures.js';

const entry = (body: Record<string, unknown>) => ({ 'entry:NXentry': body });

describe('linked projections', () => {
  test('start: plain key, JSONPath, dotted key lookup order, source', () => {
    const plan = evaluate(
      entry({
        scan: { type: 'linked', location: 'start', field: 'scan_id' },
        sample_jp: { type: 'linked', location: 'start', field: '$.sample.name' },
        dotted: { type: 'linked', location: 'start', field: 'sample.name' },
        temp: { type: 'linked', location: 'start', field: 'sample.temperature', '@units': 'K' },
      }),
    );
    noErrors(plan);
    const scan = field(plan, '/entry/scan');
    assert.deepEqual(
      [scan.dtype, scan.shape, scan.source, scan.pointer],
      ['int64', [], 'start.scan_id', '/tree/entry:NXentry/scan'],
    );
    assert.deepEqual(data(plan, '/entry/scan'), [42]);
    assert.deepEqual(data(plan, '/entry/sample_jp'), ['silica']);
    assert.equal(field(plan, '/entry/sample_jp').source, 'start $.sample.name');
    // a key named exactly "sample.name" wins over the dotted path
    assert.deepEqual(data(plan, '/entry/dotted'), ['dotted key']);
    assert.deepEqual(data(plan, '/entry/temp'), [295.5]);
    assert.deepEqual(attr(field(plan, '/entry/temp'), 'units'), ['K']);
  });

  test('stop and descriptor locations', () => {
    const plan = evaluate(
      entry({
        status: { type: 'linked', location: 'stop', field: 'exit_status' },
        units: { type: 'linked', location: 'descriptor', stream: 'primary', field: '$.data_keys.I0.units' },
        second: {
          type: 'linked',
          location: 'descriptor',
          stream: 'primary',
          config_index: 1,
          field: '$.configuration.eiger.data.eiger_cam_acquire_time',
        },
      }),
    );
    noErrors(plan);
    assert.deepEqual(data(plan, '/entry/status'), ['success']);
    assert.deepEqual(data(plan, '/entry/units'), ['counts']);
    assert.deepEqual(data(plan, '/entry/second'), [0.2]);
  });

  test('configuration: config_index chooses the descriptor', () => {
    const plan = evaluate(
      entry({
        t0: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'eiger',
          config_index: 0,
          field: 'eiger_cam_acquire_time',
        },
        t1: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'eiger',
          config_index: 1,
          field: 'eiger_cam_acquire_time',
        },
        mode: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'eiger',
          config_index: 0,
          field: 'eiger_mode',
        },
      }),
    );
    noErrors(plan);
    assert.deepEqual(data(plan, '/entry/t0'), [0.1]);
    assert.deepEqual(data(plan, '/entry/t1'), [0.2]);
    assert.equal(field(plan, '/entry/t0').source, 'configuration primary/eiger/eiger_cam_acquire_time');
    assert.equal(field(plan, '/entry/t1').source, 'configuration primary[1]/eiger/eiger_cam_acquire_time');
    assert.deepEqual([field(plan, '/entry/mode').dtype, data(plan, '/entry/mode')], ['string', ['fast']]);
  });

  test('event: whole columns are column values with shape and dtype from the descriptor', () => {
    const plan = evaluate(
      entry({
        I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0' },
        spectrum: { type: 'linked', location: 'event', stream: 'primary', field: 'spectrum' },
        label: { type: 'linked', location: 'event', stream: 'primary', field: 'label' },
        ts: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', part: 'timestamps' },
        time: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', part: 'time' },
        seq: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', part: 'seq_num' },
      }),
    );
    noErrors(plan);
    const i0 = field(plan, '/entry/I0');
    assert.deepEqual(i0.value, { kind: 'column', stream: 'primary', field: 'I0', part: 'values' });
    assert.deepEqual([i0.dtype, i0.shape, i0.source], ['float64', [5], 'event primary/I0 [all 5 rows]']);
    assert.deepEqual(attr(i0, 'units'), ['counts']); // from the data key
    const sp = field(plan, '/entry/spectrum');
    assert.deepEqual([sp.dtype, sp.shape], ['int32', [5, 3]]);
    assert.equal(field(plan, '/entry/label').dtype, 'string');
    const ts = field(plan, '/entry/ts');
    assert.deepEqual(
      [ts.dtype, ts.shape, ts.value],
      ['float64', [5], { kind: 'column', stream: 'primary', field: 'I0', part: 'timestamps' }],
    );
    assert.equal(ts.source, 'event primary/I0 timestamps [all 5 rows]');
    assert.deepEqual(attr(ts, 'units'), ['s']);
    assert.deepEqual([field(plan, '/entry/time').dtype, field(plan, '/entry/seq').dtype], ['float64', 'int64']);
  });

  test('event index: first, last, -1, k, and timestamps of one reading', () => {
    const ev = (index: unknown, part?: string) => ({
      type: 'linked',
      location: 'event',
      stream: 'primary',
      field: 'I0',
      index,
      ...(part ? { part } : {}),
    });
    const plan = evaluate(
      entry({
        first: ev('first'),
        last: ev('last'),
        minus1: ev(-1),
        minus2: ev(-2),
        k: ev(2),
        zero: ev(0),
        spec: { type: 'linked', location: 'event', stream: 'primary', field: 'spectrum', index: 1 },
        ts: ev(1, 'timestamps'),
        seq: ev('last', 'seq_num'),
      }),
    );
    noErrors(plan);
    assert.deepEqual(data(plan, '/entry/first'), [10]);
    assert.deepEqual(data(plan, '/entry/zero'), [10]);
    assert.deepEqual(data(plan, '/entry/last'), [14]);
    assert.deepEqual(data(plan, '/entry/minus1'), [14]);
    assert.deepEqual(data(plan, '/entry/minus2'), [13]);
    assert.deepEqual(data(plan, '/entry/k'), [12]);
    assert.equal(field(plan, '/entry/k').source, 'event primary/I0 [row 2]');
    assert.equal(field(plan, '/entry/first').dtype, 'float64');
    const spec = field(plan, '/entry/spec');
    assert.deepEqual([spec.dtype, spec.shape, data(plan, '/entry/spec')], ['int32', [3], [1, 2, 3]]);
    const run = scanRun();
    const tsCol = run.streams.get('primary')!.fields.get('I0')!.timestamps;
    assert.deepEqual(data(plan, '/entry/ts'), [tsCol.rows[1]]);
    assert.deepEqual(data(plan, '/entry/seq'), [5]);
  });

  test('drained columns: first/last kept, held rows readable, others EVAL_INDEX_MISSING', () => {
    const run = scanRun();
    // rows 0..2 written out by a writer streaming I0: the run's accumulator let them go
    const I0 = columnKeyOf('primary', 'I0', 'values');
    run.rowRelease!.retain({ retained: new Set(), streamed: new Set([I0]), streams: new Set(['primary']) });
    run.rowRelease!.written(new Map([[I0, 3]]));
    const ev = (index: unknown) => ({ type: 'linked', location: 'event', stream: 'primary', field: 'I0', index });
    const plan = evaluate(
      entry({
        a: ev(0),
        b: ev(-1),
        c: ev(3),
        d: ev(1),
        mean: {
          type: 'calculated',
          location: 'event',
          stream: 'primary',
          field: 'I0',
          calculation: { callable: 'mean' },
        },
      }),
      run,
    );
    assert.deepEqual(data(plan, '/entry/a'), [10]);
    assert.deepEqual(data(plan, '/entry/b'), [14]);
    assert.deepEqual(data(plan, '/entry/c'), [13]);
    assert.deepEqual(data(plan, '/entry/mean'), [12]); // from the running stats
    const errs = plan.diagnostics.filter((x) => x.severity === 'error');
    assert.equal(errs.length, 1);
    assert.equal(errs[0]?.code, 'EVAL_INDEX_MISSING');
    assert.equal(errs[0]?.location.nexusPath, '/entry/d');
    assert.match(errs[0]?.hint ?? '', /rows held: 3\.\.4/);
  });
});

describe('static, literal, text and dtype', () => {
  test('static values, literals, handlebars text and requested dtypes', () => {
    const plan = evaluate(
      entry({
        energy: { value: 12.4, '@units': 'keV' },
        st: {
          type: 'static',
          value: [
            [1, 2],
            [3, 4],
          ],
        },
        obj: { type: 'static', value: { a: 1 } },
        lit: 7,
        title: 'Scan {{start.scan_id}} of {{safe start.user_dir}}',
        f32: { type: 'linked', location: 'start', field: 'scan_id', dtype: '<f4' },
        u8: { value: 3, dtype: '|u1' },
        s: { value: 3, dtype: 'str' },
      }),
    );
    noErrors(plan);
    assert.deepEqual(
      [field(plan, '/entry/energy').dtype, data(plan, '/entry/energy'), attr(field(plan, '/entry/energy'), 'units')],
      ['float64', [12.4], ['keV']],
    );
    assert.deepEqual(
      [field(plan, '/entry/st').shape, data(plan, '/entry/st'), field(plan, '/entry/st').dtype],
      [[2, 2], [1, 2, 3, 4], 'int64'],
    );
    assert.deepEqual([field(plan, '/entry/obj').dtype, data(plan, '/entry/obj')], ['string', ['{"a":1}']]);
    assert.deepEqual(data(plan, '/entry/lit'), [7]);
    assert.equal(field(plan, '/entry/lit').source, 'static');
    assert.deepEqual(data(plan, '/entry/title'), ['Scan 42 of A002_silica_run']);
    assert.deepEqual([field(plan, '/entry/f32').dtype, data(plan, '/entry/f32')], ['float32', [42]]);
    assert.equal(field(plan, '/entry/u8').dtype, 'uint8');
    assert.deepEqual(data(plan, '/entry/s'), ['3']);
  });

  test('a value that does not fit the requested dtype is EVAL_TYPE_MISMATCH', () => {
    const plan = evaluate(entry({ bad: { value: 1.5, dtype: 'int32' } }));
    const d = plan.diagnostics.find((x) => x.code === 'EVAL_TYPE_MISMATCH');
    assert.equal(d?.location.nexusPath, '/entry/bad');
  });
});
