/**
 * The package as a user gets it: `npm pack`, installed into a scratch project,
 * where examples/api/convert.mjs imports `nxlayout` and `nxlayout/node`, writes
 * a run (read back with h5dump) and typechecks against the installed
 * declarations (`tsc --noEmit`, checkJs), which also reject a wrong call.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO } from '../browser/core-graph.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');

function run(cmd: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('npm pack → npm install → the API example runs and typechecks', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nxlayout-pack-'));
  try {
    // dist/ is built (npm test builds it first): no prepare script, no rebuild under other tests' feet
    const packed = run(NPM, ['pack', '--ignore-scripts', '--pack-destination', dir], REPO);
    assert.equal(packed.status, 0, packed.out);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball !== undefined, packed.out);
    const scratch = path.join(dir, 'scratch');
    execFileSync('mkdir', ['-p', scratch]);
    writeFileSync(
      path.join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    const installed = run(
      NPM,
      ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, tarball!), '@types/node@20'],
      scratch,
    );
    assert.equal(installed.status, 0, installed.out);

    // The example, as shipped, from the installed package.
    copyFileSync(path.join(REPO, 'examples/api/convert.mjs'), path.join(scratch, 'convert.mjs'));
    const example = run(
      process.execPath,
      ['convert.mjs', path.join(REPO, 'examples/runs/scan-00001.jsonl'), 'out'],
      scratch,
    );
    assert.equal(example.status, 0, example.out);
    const file = path.join(scratch, 'out/00001_api.nxs');
    assert.match(
      example.out,
      new RegExp(`^written ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(run 5c1a7e2d, 13 events\\)$`, 'm'),
    );
    assert.match(
      example.out,
      /run 5c1a7e2d-3b8f-4e0a-9d61-2f4b8c7a1e01, scan 1, template api-example@1\.0\.0, status success/,
    );
    const label = execFileSync('h5dump', ['-d', '/entry/sample_label', '-y', file], { encoding: 'utf8' });
    assert.match(label, /"silica 50nm #1"/, 'the registered calculation wrote its value');
    const diode = execFileSync('h5dump', ['-d', '/entry/data/diode', '-y', '-w', '0', file], { encoding: 'utf8' });
    assert.match(diode, /92, 387, 1185, 2636, 4261, 5000, 4261, 2636, 1185, 387, 92/);

    // Only the documented entry points are importable.
    const deep = run(
      process.execPath,
      ['--input-type=module', '-e', "await import('nxlayout/dist/src/convert/run-writer.js')"],
      scratch,
    );
    assert.notEqual(deep.status, 0);
    assert.match(deep.out, /ERR_PACKAGE_PATH_NOT_EXPORTED/);

    // The installed declarations type the example; a wrong call is an error.
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          allowJs: true,
          checkJs: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['convert.mjs'],
      }),
    );
    const typed = run(process.execPath, [TSC, '-p', 'tsconfig.json'], scratch);
    assert.equal(typed.status, 0, typed.out);
    writeFileSync(
      path.join(scratch, 'wrong.mjs'),
      "import { convertLogs } from 'nxlayout/node';\nawait convertLogs(['x.jsonl'], { outRoot: 1, layouts: [] });\n",
    );
    writeFileSync(
      path.join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          allowJs: true,
          checkJs: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['wrong.mjs'],
      }),
    );
    const wrong = run(process.execPath, [TSC, '-p', 'tsconfig.json'], scratch);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.out, /wrong\.mjs\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
