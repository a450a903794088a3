/** errors.ts' formatDiagnostic: the one formatter of a Diagnostic, in its three styles. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { diagnostic, formatDiagnostic } from '../src/errors.js';

const full = diagnostic(
  'EVAL_FIELD_MISSING',
  'warning',
  'no field det',
  {
    file: 't.json',
    line: 7,
    column: 3,
    pointer: '/tree/entry:NXentry/x',
    run: '0123456789abcdef',
    stream: 'primary',
    field: 'det',
    nexusPath: '/entry/x',
  },
  'fields: det1',
);

test('log style (commands, journals, files): the place first, then severity, code, message, hint', () => {
  assert.equal(
    formatDiagnostic(full),
    't.json:7:3 run 01234567 stream primary field det at /tree/entry:NXentry/x (/entry/x): warning EVAL_FIELD_MISSING: no field det — fields: det1',
  );
  assert.equal(formatDiagnostic(full, 'log'), formatDiagnostic(full));
  // as a map callback it gets the index as its second argument: still the log style
  assert.deepEqual([full].map(formatDiagnostic as unknown as (d: typeof full, i: number) => string), [
    formatDiagnostic(full),
  ]);
  assert.equal(
    formatDiagnostic(
      diagnostic('DOC_PARSE', 'error', 'bad line', {
        file: 'a.jsonl',
        item: 4,
        document: { name: 'event', uid: 'u1' },
      }),
    ),
    'a.jsonl item 4 event u1: error DOC_PARSE: bad line',
  );
  assert.equal(formatDiagnostic(diagnostic('CLI_USAGE', 'error', 'no input')), 'error CLI_USAGE: no input');
});

test('editor style (validate): FILE:LINE:COLUMN first, pointer and context after the message', () => {
  assert.equal(
    formatDiagnostic(full, 'editor'),
    't.json:7:3: warning EVAL_FIELD_MISSING: no field det (/tree/entry:NXentry/x) [run 01234567, stream primary, field det, /entry/x] — fields: det1',
  );
  // a line without a column points at the line's start; the root pointer reads "/"
  assert.equal(
    formatDiagnostic(diagnostic('LAYOUT_SCHEMA', 'error', 'bad', { file: 't.json', line: 2, pointer: '' }), 'editor'),
    't.json:2:1: error LAYOUT_SCHEMA: bad (/)',
  );
});

test('annotation style (GitHub): the editor style without place, severity and code', () => {
  assert.equal(
    formatDiagnostic(full, 'annotation'),
    'no field det (/tree/entry:NXentry/x) [run 01234567, stream primary, field det, /entry/x] — fields: det1',
  );
  assert.equal(formatDiagnostic(diagnostic('LAYOUT_SCHEMA', 'error', 'bad', { pointer: '' }), 'annotation'), 'bad (/)');
});
