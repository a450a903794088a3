/**
 * What the build computes once for every start (scripts/build-caches.mjs): the help texts
 * (dist/cli-help.json) are commander's, byte for byte; the shipped templates
 * (dist/templates-cache.json) are those parsing gives. Each is used only while current: a source
 * module changed since the build, a templates folder with other files or texts, a terminal of
 * another width or an argv the cache does not hold falls back to computing them.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBuildCache, sourcesDigest } from '../../src/cli/build-cache.js';
import { cachedHelp, HELP_CACHE, helpKeys, type HelpTexts } from '../../src/cli/help-cache.js';
import { cachedShippedTemplates, TEMPLATES_CACHE } from '../../src/cli/templates-cache.js';
import { chooseTemplates, shippedTemplatesNow } from '../../src/cli/templates.js';
import { nxlayout, nxlayoutIn, REPO, tempDir } from './helpers.js';

const TTY80 = { isTTY: true, columns: 80 };
const PIPE = { isTTY: false };

/** A cache file in `root` over source `a.js`, holding `data`. */
function cacheOver(root: string, data: unknown): string {
  fs.writeFileSync(path.join(root, 'a.js'), 'export {};\n');
  const file = path.join(root, 'cache.json');
  fs.writeFileSync(file, JSON.stringify({ sources: ['a.js'], digest: sourcesDigest(['a.js'], root), data }));
  return file;
}

describe('build caches', () => {
  before(() => {
    // `npx tsc` alone does not run the build step (and leaves the caches stale): write them as `npm run build` does.
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-caches.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /build-caches: \d+ help texts of \d+ commands, 2 shipped templates/);
  });

  test("every cached help text is commander's help for that argv, and the process prints it", async () => {
    const cache = readBuildCache<HelpTexts>(HELP_CACHE);
    assert.ok(cache !== undefined, 'the cache is current after the build');
    assert.equal(cache.width, 80);
    for (const command of [undefined, 'write', 'watch', 'validate', 'runs', 'inspect']) {
      for (const key of helpKeys(command)) {
        const expected = await nxlayoutIn(key.split(' '));
        assert.equal(expected.status, 0, key);
        assert.equal(cache.texts[key], expected.stdout, key);
        assert.equal(cachedHelp(key.split(' '), PIPE), expected.stdout, key);
      }
    }
    const r = nxlayout(['write', '--help']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, cache.texts['write --help']);
    assert.match(r.stdout, /^Usage: nxlayout write \[options\] <log\.\.\.>/);
  });

  test('the cached shipped templates are what parsing them gives', async () => {
    const now = await shippedTemplatesNow();
    assert.equal(now.chosen.layouts.length, 1);
    assert.equal(now.chosen.fallback?.name, 'default');
    assert.ok(cachedShippedTemplates(now.dir) !== undefined, 'the cache is current after the build');
    const { sources } = JSON.parse(fs.readFileSync(TEMPLATES_CACHE, 'utf8')) as { sources: string[] };
    for (const parser of ['dist/src/layout/parse.js', 'dist/src/layout/json-text.js', 'dist/validators/layout.cjs'])
      assert.ok(sources.includes(parser), `the cache depends on ${parser}`);
    assert.deepEqual(await chooseTemplates({}), now.chosen);
  });

  test('help: a changed source, another terminal width, an unknown argv or no cache: commander', () => {
    const root = tempDir('help-cache');
    try {
      const file = cacheOver(root, { width: 80, texts: { '--help': 'HELP\n' } });
      assert.equal(cachedHelp(['--help'], PIPE, file, root), 'HELP\n');
      assert.equal(cachedHelp(['--help'], TTY80, file, root), 'HELP\n');
      assert.equal(cachedHelp(['--help'], { isTTY: true, columns: 120 }, file, root), undefined);
      assert.equal(cachedHelp(['write', '--help'], PIPE, file, root), undefined);
      assert.equal(cachedHelp(['--debug', '--help'], PIPE, file, root), undefined);
      assert.equal(cachedHelp([], PIPE, file, root), undefined);
      fs.writeFileSync(path.join(root, 'a.js'), 'export {}; \n');
      assert.equal(cachedHelp(['--help'], PIPE, file, root), undefined, 'a source rewritten, same size');
      fs.rmSync(path.join(root, 'a.js'));
      assert.equal(cachedHelp(['--help'], PIPE, file, root), undefined, 'a source gone');
      assert.equal(cachedHelp(['--help'], PIPE, path.join(root, 'none.json'), root), undefined, 'no cache');
      fs.writeFileSync(file, '{"sources": ["a.js"], "dig');
      assert.equal(cachedHelp(['--help'], PIPE, file, root), undefined, 'a cut file');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('templates: another folder, an edited, added or removed template, a changed source: parsed', () => {
    const root = tempDir('templates-cache');
    try {
      const dir = path.join(root, 'templates');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'a.json'), '{"name": "a"}');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a template');
      const chosen = { layouts: [], diagnostics: [], marker: 'from the cache' };
      const file = cacheOver(root, { dir, files: { 'a.json': '{"name": "a"}' }, chosen });
      assert.deepEqual(cachedShippedTemplates(dir, file, root), chosen);
      assert.equal(cachedShippedTemplates(path.join(root, 'other'), file, root), undefined, 'another folder');
      fs.writeFileSync(path.join(dir, 'a.json'), '{"name": "b"}');
      assert.equal(cachedShippedTemplates(dir, file, root), undefined, 'an edited template');
      fs.writeFileSync(path.join(dir, 'a.json'), '{"name": "a"}');
      fs.writeFileSync(path.join(dir, 'b.json'), '{}');
      assert.equal(cachedShippedTemplates(dir, file, root), undefined, 'an added template');
      fs.rmSync(path.join(dir, 'b.json'));
      assert.deepEqual(cachedShippedTemplates(dir, file, root), chosen);
      fs.rmSync(path.join(dir, 'a.json'));
      assert.equal(cachedShippedTemplates(dir, file, root), undefined, 'a removed template');
      fs.writeFileSync(path.join(dir, 'a.json'), '{"name": "a"}');
      fs.appendFileSync(path.join(root, 'a.js'), '// changed\n');
      assert.equal(cachedShippedTemplates(dir, file, root), undefined, 'a changed source');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
