/**
 * Issue 11: NeXus rules `validate` enforces on a template — the file's root
 * holds only entries (as NXroot says and cnxvalidate checks), an NXdata names
 * its @signal, and NXxpcs's NXprocess is looked for inside the entry.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findings, REPO } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-validate-nexus-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function template(name: string, tree: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ name, version: '1.0.0', file: 'x.nxs', tree }, null, 2));
  return file;
}

describe('validate: NeXus rules of the file root and NXdata', () => {
  test('a group at the root that is not an NXentry is an error NXDL_ROOT at its pointer; NXentry and NXsubentry are not', async () => {
    const file = template('root', {
      'process:NXprocess': { program: 'x' },
      'entry:NXentry': { title: 't' },
      'sub:NXsubentry': { title: 's' },
    });
    const r = await findings([file]);
    const root = r.findings.filter((f) => f.code === 'NXDL_ROOT');
    assert.deepEqual(
      root.map((f) => [f.severity, f.pointer, f.line]),
      [['error', '/tree/process:NXprocess', 6]],
    );
    assert.equal(r.code, 1);
  });

  test('an NXdata without @signal is a warning LAYOUT_NXDATA; with one, nothing', async () => {
    const file = template('nxdata', {
      'entry:NXentry': { 'plain:NXdata': { x: [1, 2] }, 'plot:NXdata': { '@signal': 'y', y: [1, 2] } },
    });
    const r = await findings([file]);
    const nxdata = r.findings.filter((f) => f.code === 'LAYOUT_NXDATA');
    assert.deepEqual(
      nxdata.map((f) => [f.severity, f.pointer]),
      [['warning', '/tree/entry:NXentry/plain:NXdata']],
    );
    assert.equal(r.code, 0);
  });

  test("NXxpcs's NXprocess is required inside the entry (not at the root)", async () => {
    const minimal = JSON.parse(fs.readFileSync(path.join(REPO, 'test/validate/fixtures/xpcs-minimal.json'), 'utf8'));
    const entry = minimal.tree['entry:NXentry'];
    assert.ok(entry['process:NXprocess'] !== undefined, 'the fixture has its NXprocess in the entry');
    const ok = await findings([template('xpcs-ok', minimal.tree)]);
    assert.deepEqual(
      ok.findings.filter((f) => f.severity === 'error'),
      [],
    );
    delete entry['process:NXprocess'];
    const without = await findings([template('xpcs-without', minimal.tree)]);
    const required = without.findings.filter((f) => f.code === 'NXDL_REQUIRED' && /NXprocess/.test(f.message));
    assert.equal(required.length, 1, JSON.stringify(without.findings));
    assert.equal(required[0].severity, 'error');
    assert.match(required[0].message, /\/entry needs a group \(NXprocess\)/);
  });

  test('templates/aps-8id-xpcs.json against examples/xpcs/: 0 errors (NXxpcs, NXroot)', async () => {
    const r = await findings([
      path.join(REPO, 'templates/aps-8id-xpcs.json'),
      '--against',
      path.join(REPO, 'examples/xpcs'),
    ]);
    assert.deepEqual(
      r.findings.filter((f) => f.severity === 'error'),
      [],
    );
    assert.equal(r.code, 0);
  });
});
