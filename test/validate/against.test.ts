/** `--against LOG`: each run the template is for is planned; what does not resolve is named with its run, stream and field. */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { findings, REALDATA, SOURCE } from './helpers.js';

const LOG = `${REALDATA}apstools/uid-34c84a1b.json`;
const TEMPLATE = `${SOURCE}fixtures/against-broken.json`;

test('the template alone is clean: its problems only show against a run', async () => {
  const r = await findings([TEMPLATE]);
  assert.equal(r.code, 0);
  assert.deepEqual(
    r.findings.filter((f) => f.severity !== 'info'),
    [],
  );
});

test('--against names each unresolved projection: code, pointer, line, run, stream, field', async () => {
  const r = await findings([TEMPLATE, '--against', LOG]);
  assert.equal(r.code, 1);
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  const errors = r.findings
    .filter((f) => f.severity === 'error')
    .map((f) =>
      defined({
        code: f.code,
        pointer: f.pointer,
        line: f.line,
        run: f.run?.slice(0, 8),
        stream: f.stream,
        field: f.field,
      }),
    );
  assert.deepEqual(
    errors,
    [
      {
        code: 'EVAL_FIELD_MISSING',
        pointer: '/tree/entry:NXentry/data:NXdata/I0',
        line: 12,
        run: '34c84a1b',
        stream: 'primary',
        field: 'scaler_I0',
      },
      {
        code: 'EVAL_STREAM_MISSING',
        pointer: '/tree/entry:NXentry/data:NXdata/dark',
        line: 13,
        run: '34c84a1b',
        stream: 'darks',
        field: undefined,
      },
      {
        code: 'EVAL_CONFIG_MISSING',
        pointer: '/tree/entry:NXentry/data:NXdata/gain',
        line: 14,
        run: '34c84a1b',
        stream: 'primary',
        field: 'gain',
      },
    ].map(defined),
  );
  const path = r.findings.find((f) => f.severity === 'info' && f.code === 'LAYOUT_FILE_PATH');
  assert.equal(path?.message, 'run 34c84a1b (scan 1) → 00001_scan.nxs');
  assert.equal(path?.line, 5);
});

test('a template whose match fits none of the runs is a warning, and is then checked on its own', async () => {
  const xpcsWithMatch = await findings([`${SOURCE}fixtures/xpcs-match.json`, '--against', LOG]);
  assert.deepEqual(
    xpcsWithMatch.findings.map((f) => [f.severity, f.code, f.pointer]),
    [['warning', 'LAYOUT_NO_MATCH', '/match']],
  );
  assert.equal(xpcsWithMatch.code, 0);
});
