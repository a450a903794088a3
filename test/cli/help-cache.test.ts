/**
 * The help texts written at build time (scripts/build-help.mjs → dist/cli-help.json) are
 * commander's, byte for byte, and bin.ts prints them only while they are current: a source
 * module changed since the build, a terminal of another width or an argv the cache does not
 * hold falls back to commander.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachedHelp, HELP_CACHE, helpKeys, type HelpCache } from '../../src/cli/help-cache.js';
import { nxlayout, nxlayoutIn, REPO, tempDir } from './helpers.js';

const TTY80 = { isTTY: true, columns: 80 };
const PIPE = { isTTY: false };

describe('help cache', () => {
  before(() => {
    // `npx tsc` alone does not run the build step; write the cache as `npm run build` does.
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-help.mjs')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /build-help: \d+ help texts of \d+ commands/);
  });

  test("every cached text is commander's help for that argv, and the process prints it", async () => {
    const cache = JSON.parse(fs.readFileSync(HELP_CACHE, 'utf8')) as HelpCache;
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

  test('a changed source, another terminal width, an unknown argv or no cache: commander', () => {
    const dir = tempDir('help-cache');
    try {
      const source = path.join(dir, 'main.js');
      fs.writeFileSync(source, 'export {};\n');
      const st = fs.statSync(source);
      const file = path.join(dir, 'cli-help.json');
      const write = (sources: HelpCache['sources']) =>
        fs.writeFileSync(file, JSON.stringify({ width: 80, sources, texts: { '--help': 'HELP\n' } }));
      write({ [source]: [st.size, st.mtimeMs] });
      assert.equal(cachedHelp(['--help'], PIPE, file), 'HELP\n');
      assert.equal(cachedHelp(['--help'], TTY80, file), 'HELP\n');
      assert.equal(cachedHelp(['--help'], { isTTY: true, columns: 120 }, file), undefined);
      assert.equal(cachedHelp(['write', '--help'], PIPE, file), undefined);
      assert.equal(cachedHelp(['--debug', '--help'], PIPE, file), undefined);
      assert.equal(cachedHelp([], PIPE, file), undefined);

      fs.appendFileSync(source, '// rebuilt\n');
      assert.equal(cachedHelp(['--help'], PIPE, file), undefined, 'the source grew');
      const grown = fs.statSync(source);
      write({ [source]: [grown.size, grown.mtimeMs] });
      assert.equal(cachedHelp(['--help'], PIPE, file), 'HELP\n');
      fs.utimesSync(source, grown.atime, new Date(grown.mtimeMs + 5000));
      assert.equal(cachedHelp(['--help'], PIPE, file), undefined, 'the source was rewritten');
      write({ [path.join(dir, 'gone.js')]: [1, 1] });
      assert.equal(cachedHelp(['--help'], PIPE, file), undefined, 'a source is missing');
      assert.equal(cachedHelp(['--help'], PIPE, path.join(dir, 'none.json')), undefined, 'no cache');
      fs.writeFileSync(file, '{"width": 80, "sour');
      assert.equal(cachedHelp(['--help'], PIPE, file), undefined, 'a cut file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
