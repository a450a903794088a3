import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calculationsReference } from '../../src/evaluate/calculations-doc.js';
import { createDefaultRegistry } from '../../src/evaluate/registry.js';

test('docs/calculations.md is the reference made from the registry (run scripts/build-calculations-doc.mjs after changing a calculation)', () => {
  const doc = readFileSync('docs/calculations.md', 'utf8');
  assert.equal(doc, calculationsReference());
});

test('the calculations reference lists every registered calculation with its arity', () => {
  const registry = createDefaultRegistry();
  const doc = calculationsReference(registry);
  for (const name of registry.names()) assert.match(doc, new RegExp(`^\\| \`${name}\` \\|`, 'm'), name);
  assert.match(doc, /^\| `scale` \| 2 to 3 \| `offset` \| scale\(value, factor, offset=0\)/m);
  assert.match(doc, /^\| `format` \| 1 or more \| any \|/m);
});
