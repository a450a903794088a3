/**
 * scripts/build-h5wasm.mjs: h5wasm's WebAssembly decoded once at build time into a file
 * (dist/h5wasm/), the copy nxlayout loads under Node; the script fails with a clear message,
 * writing nothing, when h5wasm's glue is not laid out as it expects. npm test
 * (h5wasm-extracted.test.ts) checks one of the three broken glues, the slow
 * suite (h5wasm-extracted.slow.test.ts) the other two: a build process each.
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { removeDir, tempDir, tool } from './helpers.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = path.join(REPO, 'scripts/build-h5wasm.mjs');
const H5WASM_NODE = path.dirname(fileURLToPath(import.meta.resolve('h5wasm/node')));
const GLUE = path.join(H5WASM_NODE, 'hdf5_util.js');

function build(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO, encoding: 'utf8' });
}

/** A copy of h5wasm's Node build in DIR with its glue changed by `edit`. */
function brokenCopy(dir: string, edit: (glue: string) => string): string {
  const glue = path.join(dir, 'hdf5_util.js');
  fs.writeFileSync(glue, edit(fs.readFileSync(GLUE, 'utf8')));
  fs.copyFileSync(path.join(H5WASM_NODE, 'hdf5_hl.js'), path.join(dir, 'hdf5_hl.js'));
  return glue;
}

/** `fast`: all but two of the broken glues; `slow`: those two. */
export function h5wasmExtractedSuite(which: 'fast' | 'slow'): void {
  const fastSuite = which === 'fast';
  describe('build-h5wasm', () => {
    if (fastSuite)
      test('the extracted copy writes a file h5dump reads, and its glue no longer holds the WebAssembly', () => {
        const dir = tempDir();
        try {
          const out = path.join(dir, 'h5wasm');
          const r = build(['--out', out]);
          assert.equal(r.status, 0, r.stderr);
          assert.match(r.stdout, /hdf5_util\.wasm \(\d+\.\d MiB\)/);
          const wasm = fs.readFileSync(path.join(out, 'hdf5_util.wasm'));
          assert.deepEqual([...wasm.subarray(0, 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], 'a WebAssembly 1 module');
          assert.ok(wasm.length > 1e6, `${wasm.length} bytes`);
          const glue = fs.readFileSync(path.join(out, 'hdf5_util.js'), 'utf8');
          assert.ok(glue.length < fs.statSync(GLUE).size / 10, `the glue is ${glue.length} characters`);
          assert.ok(glue.includes('readFileSync(new URL("./hdf5_util.wasm",import.meta.url))'));
          assert.deepEqual(fs.readdirSync(dir), ['h5wasm'], 'no staging folder left');

          const file = path.join(dir, 'x.h5');
          const code = `
        const { default: h5wasm } = await import(${JSON.stringify(pathToFileURL(path.join(out, 'hdf5_hl.js')).href)});
        await h5wasm.ready;
        const f = new h5wasm.File(${JSON.stringify(file)}, 'w');
        f.create_group('entry').create_dataset({ name: 'v', data: new Int32Array([7, -8, 9]) });
        f.close();`;
          const w = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
          assert.equal(w.status, 0, w.stderr);
          const dump = tool('h5dump', ['-d', '/entry/v', file]);
          assert.match(dump, /H5T_STD_I32LE/);
          assert.match(dump, /\(0\): 7, -8, 9/);
        } finally {
          removeDir(dir);
        }
      });

    const broken: [string, (glue: string) => string, RegExp][] = [
      [
        'no findWasmBinary',
        (g) => g.replace('function findWasmBinary(){', 'function locateBinary(){'),
        /no `function findWasmBinary\(\)\{return binaryDecode\(…\)\}` found/,
      ],
      [
        'a second argument to binaryDecode',
        (g) => g.replace(/function findWasmBinary\(\)\{return binaryDecode\('/, "$&not wasm','"),
        /does not end with `\)\}` after its literal/,
      ],
      [
        'no binaryDecode',
        (g) => g.replace('function binaryDecode(bin){', 'function decodeBinary(bin){'),
        /0 `function binaryDecode\(bin\)\{…return o\}` found, expected 1/,
      ],
    ];
    for (const [what, edit, message] of fastSuite ? broken.slice(0, 1) : broken.slice(1)) {
      test(`a glue with ${what} fails the build with what it expected, and writes nothing`, () => {
        const dir = tempDir();
        try {
          const glue = brokenCopy(dir, edit);
          const out = path.join(dir, 'out');
          const r = build(['--glue', glue, '--out', out]);
          assert.equal(r.status, 1, r.stdout);
          assert.match(r.stderr, message);
          assert.match(r.stderr, /h5wasm's Node build is not laid out as this script expects/);
          assert.match(r.stderr, /#h5wasm-extracted/);
          assert.equal(fs.existsSync(out), false);
        } finally {
          removeDir(dir);
        }
      });
    }

    if (fastSuite)
      test('a string that decodes to something else than WebAssembly fails the build', () => {
        const dir = tempDir();
        try {
          const glue = brokenCopy(dir, (g) =>
            g.replace(/(function findWasmBinary\(\)\{return binaryDecode\(')(?:[^'\\]|\\.)*'\)\}/s, "$1not wasm')}"),
          );
          const r = build(['--glue', glue, '--out', path.join(dir, 'out')]);
          assert.equal(r.status, 1);
          assert.match(r.stderr, /does not decode to valid WebAssembly/);
        } finally {
          removeDir(dir);
        }
      });
  });

  if (fastSuite)
    describe('h5-runtime', () => {
      before(() => {
        // `npx tsc` alone does not run the build step: write dist/h5wasm/ as `npm run build` does.
        if (!fs.existsSync(path.join(REPO, 'dist/h5wasm/hdf5_hl.js'))) assert.equal(build([]).status, 0);
      });

      test('under Node, nxlayout runs the extracted copy', async () => {
        // In this process, as nxlayout loads it (the tests' own writes go through it too).
        const m = await import(pathToFileURL(path.join(REPO, 'dist/src/nexus/h5-runtime.js')).href);
        assert.equal(m.H5WASM_SOURCE, 'extracted');
        assert.equal(typeof m.Module.activate_throwing_error_handler, 'function');
      });
    });
}
