/** docs/cookbook.md's example template (examples/cookbook/scan.json) validates and writes what the recipes say. */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lines, nxlayoutIn, REPO, tempDir } from './helpers.js';

const TEMPLATE = path.join(REPO, 'examples', 'cookbook', 'scan.json');
const RUN = path.join(REPO, 'examples', 'runs', 'scan-00001.jsonl');

function h5(file: string, args: string[]): string {
  const r = spawnSync('h5dump', [...args, file], { encoding: 'utf8' });
  if (r.error) throw new Error(`h5dump could not run (${r.error.message}): install Debian's hdf5-tools`);
  return r.stdout;
}
const scalar = (file: string, dataset: string): string =>
  /\(0\): "?([^"\n]*)"?/.exec(h5(file, ['-d', dataset]))?.[1] ?? '';
const attr = (file: string, spec: string): string => /\(0\): "?([^"\n]*)"?/.exec(h5(file, ['-a', spec]))?.[1] ?? '';

let dir = '';
before(async () => {
  dir = tempDir('cookbook');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the cookbook template: validates against the example runs, writes axes, signal, units, fallbacks, the user directory', async () => {
  const v = await nxlayoutIn(['validate', TEMPLATE, '--against', path.join(REPO, 'examples', 'runs')]);
  assert.equal(v.status, 0, v.stdout + v.stderr);
  assert.match(v.stderr, /0 error\(s\), 0 warning\(s\)/);
  const r = await nxlayoutIn(['write', RUN, '--template', TEMPLATE, '--out', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(lines(r.stderr), ['1 of 1 runs written'], 'no warning: the user name is optional "quiet"');
  const file = path.join(dir, 'commissioning', 'scan_00001.nxs');
  assert.ok(fs.existsSync(file), 'no user_dir in the start document: the "commissioning" default');
  assert.equal(attr(file, '/entry/data/signal'), 'I0');
  assert.equal(attr(file, '/entry/data/axes'), 'sample_z');
  assert.equal(attr(file, '/entry/data/sample_z_indices'), '0');
  assert.equal(attr(file, '/entry/data/I0/units'), 'counts');
  assert.equal(attr(file, '/entry/data/sample_z/units'), 'mm');
  assert.equal(scalar(file, '/entry/title'), 'sample height scan');
  assert.equal(scalar(file, '/entry/sample/name'), 'silica 50nm', 'coalesce: $.start.sample.name');
  assert.doesNotMatch(h5(file, ['-n']), /\/entry\/user/, 'the empty NXuser is left out');
});

test('README links the cookbook', async () => {
  assert.match(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'), /\(docs\/cookbook\.md\)/);
});
