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
/**
 * The first value of each of several attributes (`-a /object/name`) and scalar datasets (`-d /path`),
 * by ONE h5dump run: its top-level blocks come in the order asked, each checked to be the one asked.
 */
function firstValues(file: string, specs: readonly ['-a' | '-d', string][]): string[] {
  const blocks = h5(file, specs.flat())
    .split(/^(?=(?:ATTRIBUTE|DATASET) ")/m)
    .slice(1);
  assert.equal(blocks.length, specs.length, 'one h5dump block per attribute and dataset asked');
  return specs.map(([kind, p], i) => {
    const head = kind === '-d' ? `DATASET "${p}" {` : `ATTRIBUTE "${p.slice(p.lastIndexOf('/') + 1)}" {`;
    assert.ok(blocks[i]!.startsWith(head), `h5dump block ${i} is ${head}: ${blocks[i]!.slice(0, 80)}`);
    return /\(0\): "?([^"\n]*)"?/.exec(blocks[i]!)?.[1] ?? '';
  });
}

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
  const [signal, axes, zIndices, i0Units, zUnits, title, sampleName] = firstValues(file, [
    ['-a', '/entry/data/signal'],
    ['-a', '/entry/data/axes'],
    ['-a', '/entry/data/sample_z_indices'],
    ['-a', '/entry/data/I0/units'],
    ['-a', '/entry/data/sample_z/units'],
    ['-d', '/entry/title'],
    ['-d', '/entry/sample/name'],
  ]);
  assert.equal(signal, 'I0');
  assert.equal(axes, 'sample_z');
  assert.equal(zIndices, '0');
  assert.equal(i0Units, 'counts');
  assert.equal(zUnits, 'mm');
  assert.equal(title, 'sample height scan');
  assert.equal(sampleName, 'silica 50nm', 'coalesce: $.start.sample.name');
  assert.doesNotMatch(h5(file, ['-n']), /\/entry\/user/, 'the empty NXuser is left out');
});

test('README links the cookbook', async () => {
  assert.match(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'), /\(docs\/cookbook\.md\)/);
});
