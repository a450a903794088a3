/**
 * The core (everything src/index.ts reaches) imports no `node:` module and no
 * Node-only package, so it bundles for a browser; the pure replacements of
 * what it used from Node give Node's results.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NXLAYOUT_VERSION } from '../../src/version.js';
import { sha256 } from '../../src/layout/parse.js';
import * as pure from '../../src/paths.js';
import { coreModules, REPO, valueImports } from './core-graph.js';

/**
 * Packages the core may import: none of them needs Node. `#h5wasm` is h5wasm's Node build under Node, its browser
 * build elsewhere; `#h5wasm-extracted` is the build's copy of the Node build (dist/h5wasm/) under Node, h5wasm's
 * browser build elsewhere (package.json imports).
 */
const BROWSER_SAFE = new Set([
  'ajv',
  'handlebars',
  'jsonpath-plus',
  'h5wasm',
  '#h5wasm',
  '#h5wasm-extracted',
  'jsonc-parser',
  '@noble/hashes/sha2',
  '@noble/hashes/utils',
]);

test('no module the core reaches imports node: or a Node-only package', () => {
  const modules = coreModules();
  assert.ok(modules.size > 50, `the core graph has ${modules.size} modules`);
  for (const folder of ['src/documents/', 'src/run/', 'src/layout/', 'src/evaluate/', 'src/nexus/', 'src/convert/']) {
    assert.ok(
      [...modules.keys()].some((f) => f.startsWith(folder)),
      `the core reaches ${folder}`,
    );
  }
  const bad: string[] = [];
  for (const m of modules.values()) {
    for (const spec of m.imports) {
      if (spec.startsWith('.')) continue;
      if (spec.startsWith('node:') || !BROWSER_SAFE.has(spec))
        bad.push(`${m.file} imports ${spec} (reached through ${[...m.via, m.file].join(' → ')})`);
    }
  }
  assert.deepEqual(bad, [], 'move the Node-only code to the shell (see the README folder map), or inject it');
});

test('the scan sees a node: import, a type-only import is not one', () => {
  assert.deepEqual(
    valueImports(
      "import * as fs from 'node:fs';\nimport type { X } from 'node:os';\nexport { a } from './a.js';\nimport { type B } from './b.js';",
    ),
    ['node:fs', './a.js'],
  );
  assert.deepEqual(valueImports("import { readFileSync } from 'node:fs';"), ['node:fs']);
});

test('the Node-only files are outside the core', () => {
  const modules = coreModules();
  for (const file of [
    'src/documents/read-log.ts',
    'src/documents/jsonl-decode-pool.ts',
    'src/nexus/output-file.ts',
    'src/run/read-runs.ts',
    'src/convert/convert-logs.ts',
    'src/layout/load.ts',
  ]) {
    assert.equal(modules.has(file), false, `${file} is Node-only`);
  }
});

test("NXLAYOUT_VERSION is package.json's version", () => {
  const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
  assert.equal(NXLAYOUT_VERSION, pkg.version);
});

test('the embedded schemas are those of schemas/', () => {
  execFileSync(process.execPath, [path.join(REPO, 'scripts/embed-schemas.mjs'), '--check'], { stdio: 'pipe' });
});

test("sha256 without node:crypto gives node:crypto's digest", () => {
  for (const text of ['', 'abc', 'é ü 漢字 🙂', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'w'.repeat(1000)]) {
    assert.equal(
      sha256(text),
      createHash('sha256').update(text, 'utf8').digest('hex'),
      JSON.stringify(text.slice(0, 10)),
    );
  }
});

test('pure path functions agree with node:path', () => {
  const cases = ['', '.', '/', 'a', 'a/', '/a/b/../c', 'a/../../b', '//a//b/./c/', '../x', '/..', 'a/b/..', './'];
  for (const p of cases) assert.equal(pure.normalize(p), path.posix.normalize(p), `normalize ${JSON.stringify(p)}`);
  for (const [a, b] of [
    ['/data', 'f.h5'],
    ['/data/', '../f.h5'],
    ['', 'x'],
    ['a', ''],
    ['/a', '/b'],
  ]) {
    assert.equal(pure.join(a!, b!), path.posix.join(a!, b!), `join ${a} ${b}`);
  }
  for (const [a, b] of [
    ['C:\\data', 'f.h5'],
    ['C:\\data\\', 'sub/f.h5'],
    ['\\\\server\\share', 'x\\..\\y.h5'],
    ['data', '..\\..\\f'],
  ]) {
    assert.equal(pure.win32Join(a!, b!), path.win32.join(a!, b!), `win32Join ${a} ${b}`);
  }
  for (const p of ['/a/b', '/a/b/', '/a', '/', 'a', 'a/b', ''])
    assert.equal(pure.dirname(p), path.posix.dirname(p), `dirname ${p}`);
  for (const parts of [['/a', 'b'], ['x'], ['/a', '../b/'], ['a', '/b', 'c'], ['']])
    assert.equal(pure.resolve(...parts), path.resolve(...parts), `resolve ${parts.join(' ')}`);
  for (const [a, b] of [
    ['/a/b', '/a/c/d'],
    ['/a', '/a'],
    ['/x/y', '/'],
    ['/', '/p/q'],
  ])
    assert.equal(pure.relative(a!, b!), path.posix.relative(a!, b!), `relative ${a} ${b}`);
});
