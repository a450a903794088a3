/** The report and import-layout commands, in process, through commander as main.ts wires them. */
import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerImportLayout } from '../../src/cli/commands/import-layout.js';
import { registerReport } from '../../src/cli/commands/report.js';
import type { Io } from '../../src/cli/io.js';
import { parseLayout } from '../../src/layout/index.js';
import { REALDATA, tempDir } from './helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false };
  let code = -1;
  const program = new Command('nxlayout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void out.push(s), writeErr: (s) => void err.push(s) });
  registerReport(program, io, (c) => (code = c));
  registerImportLayout(program, io, (c) => (code = c));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch {
    code = code === -1 ? 2 : code;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('report and import-layout commands', () => {
  const tmp = tempDir('nxl-cmd-');
  after(tmp.remove);

  test('import-layout writes a template that parses, and --help documents the mapping', async () => {
    const out = path.join(tmp.dir, 'nexus.json');
    const r = await run([
      'import-layout',
      path.join(REALDATA, 'areadetector-layouts', 'hdf5_layout_nexus.xml'),
      '-o',
      out,
      '--detector-field',
      'cam_image',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /wrote .*nexus\.json/);
    const parsed = parseLayout(readFileSync(out, 'utf8'), out);
    assert.deepEqual(parsed.diagnostics, []);
    assert.equal(parsed.layout?.name, 'ad-hdf5_layout_nexus');
    const help = await run(['import-layout', '--help']);
    assert.match(help.out, /--attributes <file>/);
    assert.match(help.out, /source="ndattribute"/);
  });

  test('import-layout of a file that is not a layout fails with the reason', async () => {
    const r = await run(['import-layout', path.join(REALDATA, 'areadetector-layouts', 'test1_attributes.xml')]);
    assert.notEqual(r.code, 0);
  });

  test('report of a directory without run files exits 1 and says so; an unknown format is a usage error', async () => {
    const empty = await run(['report', tmp.dir, '--format', 'csv']);
    assert.equal(empty.code, 1);
    assert.equal(empty.out, 'scan,title,sample,plan,start,end,duration_s,status,events,file,size_bytes,uid,template');
    assert.match(empty.err, /0 run file\(s\)/);
    const bad = await run(['report', tmp.dir, '--format', 'xlsx']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Allowed choices are csv, md, html, json/);
  });
});
