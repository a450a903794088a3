import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { errors, evaluate, find, only, scanRun } from './fixtures.js';

const entry = (body: Record<string, unknown>) => ({ 'entry:NXentry': body });

describe('missing data: an error with code, location and hint, or a warning when optional', () => {
  test('missing stream', () => {
    const plan = evaluate(entry({ x: { type: 'linked', location: 'event', stream: 'dark', field: 'I0' } }));
    const d = only(plan, 'EVAL_STREAM_MISSING');
    assert.deepEqual(
      [d.location.pointer, d.location.nexusPath, d.location.stream],
      ['/tree/entry:NXentry/x', '/entry/x', 'dark'],
    );
    assert.equal(d.hint, 'streams present: primary, baseline');
    assert.equal(find(plan, '/entry/x'), undefined);
  });

  test('missing event field lists the fields', () => {
    const d = only(
      evaluate(entry({ x: { type: 'linked', location: 'event', stream: 'primary', field: 'I1' } })),
      'EVAL_FIELD_MISSING',
    );
    assert.deepEqual([d.location.stream, d.location.field, d.location.nexusPath], ['primary', 'I1', '/entry/x']);
    assert.equal(d.hint, 'fields of primary: I0, m1, spectrum, label, flag');
  });

  test('missing config device, config index and config field', () => {
    const plan = evaluate(
      entry({
        dev: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'pilatus',
          config_index: 0,
          field: 'x',
        },
        idx: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'eiger',
          config_index: 5,
          field: 'x',
        },
        fld: {
          type: 'linked',
          location: 'configuration',
          stream: 'primary',
          config_device: 'eiger',
          config_index: 0,
          field: 'nope',
        },
      }),
    );
    const cfg = plan.diagnostics.filter((d) => d.code === 'EVAL_CONFIG_MISSING');
    assert.deepEqual(
      cfg.map((d) => d.location.nexusPath),
      ['/entry/dev', '/entry/idx'],
    );
    assert.equal(cfg[0]?.hint, 'configuration devices: eiger');
    assert.match(cfg[1]?.hint ?? '', /2 descriptor\(s\): config_index 0\.\.1/);
    const f = only(plan, 'EVAL_FIELD_MISSING');
    assert.equal(f.location.nexusPath, '/entry/fld');
    assert.equal(f.hint, 'configuration fields of eiger: eiger_cam_acquire_time, eiger_mode');
  });

  test('missing index', () => {
    const d = only(
      evaluate(entry({ x: { type: 'linked', location: 'event', stream: 'primary', field: 'I0', index: 7 } })),
      'EVAL_INDEX_MISSING',
    );
    assert.deepEqual([d.location.nexusPath, d.location.field], ['/entry/x', 'I0']);
    assert.match(d.hint ?? '', /5 event\(s\): valid indices 0\.\.4/);
  });

  test('missing start key (and null counts as missing)', () => {
    const plan = evaluate(
      entry({
        a: { type: 'linked', location: 'start', field: 'proposal' },
        b: { type: 'linked', location: 'start', field: 'empty' },
      }),
    );
    const ds = plan.diagnostics.filter((d) => d.code === 'EVAL_START_MISSING');
    assert.deepEqual(
      ds.map((d) => [d.severity, d.location.nexusPath, d.location.field, d.location.document?.name]),
      [
        ['error', '/entry/a', 'proposal', 'start'],
        ['error', '/entry/b', 'empty', 'start'],
      ],
    );
    assert.match(ds[0]?.hint ?? '', /^start keys: .*scan_id/);
  });

  test('missing stop document and stop key', () => {
    const noStop = evaluate(
      entry({ s: { type: 'linked', location: 'stop', field: 'exit_status' } }),
      scanRun({ stop: false }),
    );
    assert.equal(only(noStop, 'EVAL_DOCUMENT_MISSING').location.nexusPath, '/entry/s');
    const d = only(evaluate(entry({ s: { type: 'linked', location: 'stop', field: 'nope' } })), 'EVAL_FIELD_MISSING');
    assert.equal(d.location.document?.name, 'stop');
  });

  test('optional: a warning, the node left out, the rest kept; errors are all collected', () => {
    const plan = evaluate(
      entry({
        a: { type: 'linked', location: 'start', field: 'proposal', optional: true },
        b: { type: 'linked', location: 'start', field: 'nope1' },
        c: { type: 'linked', location: 'event', stream: 'dark', field: 'x' },
        d: { type: 'linked', location: 'start', field: 'scan_id' },
        l: { link: '/entry/a', optional: true },
        m: { link: '/entry/zzz' },
      }),
    );
    const w = only(plan, 'EVAL_START_MISSING', 'warning');
    assert.equal(w.location.nexusPath, '/entry/a');
    assert.equal(find(plan, '/entry/a'), undefined);
    assert.deepEqual(
      errors(plan).map((d) => [d.code, d.location.nexusPath]),
      [
        ['EVAL_START_MISSING', '/entry/b'],
        ['EVAL_STREAM_MISSING', '/entry/c'],
        ['EVAL_LINK_TARGET', '/entry/m'],
      ],
    );
    assert.equal(only(plan, 'EVAL_LINK_TARGET', 'warning').location.nexusPath, '/entry/l');
    assert.equal(find(plan, '/entry/l'), undefined);
    assert.notEqual(find(plan, '/entry/d'), undefined);
  });

  test('handlebars text with a missing key renders empty, with a warning', () => {
    const plan = evaluate(entry({ title: 'T {{start.title}}' }));
    const w = only(plan, 'EVAL_TEMPLATE_TEXT', 'warning');
    assert.equal(w.location.nexusPath, '/entry/title');
  });
});
