/**
 * layout/lint/: the one home of the template checks that need no run. What they need to know of
 * a run's world (helpers, calculations, NeXus classes, the renderer) is passed in, so layout/
 * imports nothing of the folders after it, and a library user's own calculations and helpers count.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
// The Node shell's validators and ajv (what the package's entries install): this file imports core modules directly.
import '../../src/documents/precompiled-node.js';
import { lintLayout } from '../../src/layout/lint/lint-layout.js';
import type { CalculationSignature, LintVocabulary } from '../../src/layout/lint/models.js';
import { parseLayout } from '../../src/layout/parse.js';

const template = {
  name: 't',
  version: '1.0.0',
  file: 'out/{{safe start.sample}}.nxs',
  tree: {
    'entry:NXentry': {
      title: '{{shout start.title}}',
      total: { type: 'calculated', calculation: { callable: 'sum_of', args: [1, 2] } },
      'beam:NXbeamline': { energy: 1 },
    },
  },
};

const signatures: Record<string, CalculationSignature> = { sum_of: { minArgs: 2, maxArgs: 2, description: 'a + b' } };
const vocabulary: LintVocabulary = {
  helpers: ['safe', 'shout'],
  calculations: {
    get: (name) => signatures[name],
    has: (name) => name in signatures,
    names: () => Object.keys(signatures),
  },
  nxClasses: { names: ['NXentry', 'NXbeamline'], version: 'test' },
  render: (text, context) =>
    text.replace(/\{\{safe start\.(\w+)\}\}/, (_, k: string) =>
      String((context as { start: Record<string, unknown> }).start[k]),
    ),
};

function lint(t: unknown, v: LintVocabulary = vocabulary): { code: string; pointer: string | undefined }[] {
  const parsed = parseLayout(JSON.stringify(t, null, 2));
  assert.ok(parsed.layout, JSON.stringify(parsed.diagnostics));
  return lintLayout(parsed.layout, v).map((d) => ({ code: d.code, pointer: d.location.pointer }));
}

test('the helpers, calculations and NeXus classes checked are those passed in', () => {
  assert.deepEqual(lint(template), []);
  const fewer: LintVocabulary = {
    ...vocabulary,
    helpers: ['safe'],
    calculations: { get: () => undefined, has: () => false, names: () => [] },
    nxClasses: { names: ['NXentry'], version: 'test' },
  };
  assert.deepEqual(lint(template, fewer), [
    { code: 'LAYOUT_HANDLEBARS', pointer: '/tree/entry:NXentry/title' },
    { code: 'LAYOUT_CALCULATION', pointer: '/tree/entry:NXentry/total/calculation/callable' },
    { code: 'LAYOUT_NX_CLASS', pointer: '/tree/entry:NXentry/beam:NXbeamline' },
  ]);
});

test('a handlebars syntax error is found once, at load, by the same check validate runs', () => {
  const bad = JSON.stringify({ ...template, tree: { 'entry:NXentry': { title: '{{shout start.title}' } } }, null, 2);
  const parsed = parseLayout(bad);
  assert.equal(parsed.layout, undefined);
  assert.deepEqual(
    parsed.diagnostics.map((d) => [d.code, d.location.pointer]),
    [['LAYOUT_HANDLEBARS', '/tree/entry:NXentry/title']],
  );
});

test('layout/ (template checks included) imports nothing of the folders after it', () => {
  const layoutDir = fileURLToPath(new URL('../../../src/layout/', import.meta.url));
  const files = readdirSync(layoutDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  assert.ok(
    files.some((f) => f.startsWith('lint')),
    'the checks live in layout/lint/',
  );
  const downstream = /from '(\.\.\/)+(evaluate|nexus|convert|watch|bus|validate|import|report|view|cli)\//;
  for (const f of files) {
    const text = readFileSync(join(layoutDir, f), 'utf8');
    assert.doesNotMatch(text, downstream, `src/layout/${f} imports a folder after layout/`);
  }
});
