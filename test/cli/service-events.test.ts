/** cli/reporters/service-events.ts: the log lines `watch` and `serve` share, in one vocabulary. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describeSharedEvent } from '../../src/cli/reporters/service-events.js';
import { diagnostic } from '../../src/errors.js';

const d = diagnostic('LAYOUT_SCHEMA', 'error', 'bad key', { file: 't.json', line: 3, nexusPath: '/entry' }, 'fix it');

test('a diagnostic: its severity as level, the log-style line, and the JSON output fields (snake_case)', () => {
  assert.deepEqual(describeSharedEvent({ kind: 'diagnostic', diagnostic: d }), [
    'error',
    't.json:3 (/entry): error LAYOUT_SCHEMA: bad key — fix it',
    {
      code: 'LAYOUT_SCHEMA',
      severity: 'error',
      message: 'bad key',
      location: { file: 't.json', line: 3, nexus_path: '/entry' },
      hint: 'fix it',
    },
  ]);
});

test('a template reload, taken or rejected: the rejection lists its diagnostics in the same fields', () => {
  assert.deepEqual(describeSharedEvent({ kind: 'templates-reloaded', templates: ['a', 'b'] }), [
    'info',
    'templates reloaded: a, b',
    { templates: ['a', 'b'] },
  ]);
  const [level, text, fields] = describeSharedEvent({ kind: 'templates-rejected', diagnostics: [d] });
  assert.equal(level, 'error');
  assert.match(text, /^templates NOT reloaded, the previous version stays in service: t\.json:3 /);
  assert.deepEqual(fields, {
    diagnostics: [
      {
        code: 'LAYOUT_SCHEMA',
        severity: 'error',
        message: 'bad key',
        location: { file: 't.json', line: 3, nexus_path: '/entry' },
        hint: 'fix it',
      },
    ],
  });
});
