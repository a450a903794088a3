import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadLayout, loadLayouts } from '../../src/layout/index.js';

const good = (name: string) =>
  JSON.stringify({ name, version: '1.0.0', file: 'a.nxs', tree: { 'entry:NXentry': {} } }, null, 2);

describe('loadLayout / loadLayouts', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nxl-layout-'));
    await writeFile(join(dir, 'b.json'), good('beta'));
    await writeFile(join(dir, 'a.json'), good('alpha'));
    await writeFile(join(dir, 'c.json'), good('alpha'));
    await writeFile(join(dir, 'broken.json'), '{\n  "name": "x",\n  "version": 1\n');
    await writeFile(join(dir, 'notes.txt'), 'not a template');
    await mkdir(join(dir, 'sub.json'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('loadLayout reads, parses and records the source path', async () => {
    const { layout, diagnostics } = await loadLayout(join(dir, 'a.json'));
    assert.deepEqual(diagnostics, []);
    assert.equal(layout?.name, 'alpha');
    assert.equal(layout?.sourcePath, join(dir, 'a.json'));
  });

  test('a missing file is LAYOUT_IO naming the file', async () => {
    const { layout, diagnostics } = await loadLayout(join(dir, 'nope.json'));
    assert.equal(layout, undefined);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].code, 'LAYOUT_IO');
    assert.equal(diagnostics[0].location.file, join(dir, 'nope.json'));
  });

  test('loadLayouts: *.json files in name order; bad ones reported with file and line; duplicate names warned', async () => {
    const { layouts, diagnostics } = await loadLayouts(dir);
    assert.deepEqual(
      layouts.map((l) => l.sourcePath),
      [join(dir, 'a.json'), join(dir, 'b.json'), join(dir, 'c.json')],
    );
    const errors = diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].code, 'LAYOUT_JSON');
    assert.equal(errors[0].location.file, join(dir, 'broken.json'));
    assert.equal(errors[0].location.line, 4);
    const warnings = diagnostics.filter((d) => d.severity === 'warning');
    assert.deepEqual(
      warnings.map((w) => [w.code, w.location.file]),
      [['LAYOUT_NAME', join(dir, 'c.json')]],
    );
  });

  test('a missing folder is LAYOUT_IO', async () => {
    const { layouts, diagnostics } = await loadLayouts(join(dir, 'missing'));
    assert.deepEqual(layouts, []);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['LAYOUT_IO'],
    );
  });
});
