#!/usr/bin/env node
// h5wasm's Node build, with its WebAssembly as a file instead of inside its JavaScript:
//   node scripts/build-h5wasm.mjs [--glue FILE] [--out DIR]   (run by `npm run build`, before tsc)
// h5wasm ships the HDF5 WebAssembly (3.5 MB) as a 4 MB string literal inside
// dist/node/hdf5_util.js, decoded by `binaryDecode` at every start: a process parses those 4 MB
// of JavaScript and decodes the string before it can compile (~0.1 s of CPU per process, see
// docs/performance.md). This script decodes it once, at build time, into DIR/hdf5_util.wasm
// (default DIR: dist/h5wasm/), writes DIR/hdf5_util.js (h5wasm's glue with that one function
// reading the file instead) and DIR/hdf5_hl.js (h5wasm's high-level API, unchanged: it imports
// './hdf5_util.js', now this copy). src/nexus/h5-runtime.ts loads it through package.json's
// `#h5wasm-extracted` import (Node only; elsewhere it is h5wasm itself) and falls back to
// h5wasm/node when it is missing. dist/ is not committed.
//
// It reads a third-party file: if h5wasm's layout changes (no `findWasmBinary` returning one
// `binaryDecode('…')` literal, a string that is not WebAssembly, a copy that does not write
// and read back a file) it fails with a message saying what it expected, and writes nothing.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';
import vm from 'node:vm';
import { inputsDigest, stampSummary, upToDate, writeStamp } from './build-stamp.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const value = (flag) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const BEGIN = 'function findWasmBinary(){return binaryDecode(';
const END = ')}';
const DECODER = /function binaryDecode\(bin\)\{[^}]*\}return o\}/g;
const READ_FILE =
  'function findWasmBinary(){return new Uint8Array(require("fs").readFileSync(new URL("./hdf5_util.wasm",import.meta.url)))}';

function fail(glueFile, what) {
  console.error(
    `build-h5wasm: ${glueFile}: ${what}.\n` +
      "  h5wasm's Node build is not laid out as this script expects (an update of h5wasm?).\n" +
      '  Fix scripts/build-h5wasm.mjs for the new layout, or delete the "#h5wasm-extracted" entry of\n' +
      "  package.json's imports and this step of `npm run build`: nxlayout then loads h5wasm/node as\n" +
      '  shipped (slower start-up, same results).',
  );
  process.exit(1);
}

/** The WebAssembly bytes and the glue that reads them from ./hdf5_util.wasm. */
function extract(glue, glueFile) {
  const begin = glue.indexOf(BEGIN);
  if (begin < 0) fail(glueFile, `no \`${BEGIN}…)}\` found`);
  if (glue.indexOf(BEGIN, begin + 1) >= 0) fail(glueFile, `\`${BEGIN}\` found more than once`);
  const quote = glue[begin + BEGIN.length];
  if (quote !== "'" && quote !== '"') fail(glueFile, `findWasmBinary's argument is not a string literal`);
  // The literal ends at the first unescaped quote of its kind.
  let i = begin + BEGIN.length + 1;
  while (i < glue.length && glue[i] !== quote) i += glue[i] === '\\' ? 2 : 1;
  if (!glue.startsWith(END, i + 1)) fail(glueFile, `findWasmBinary does not end with \`${END}\` after its literal`);
  const decoders = glue.match(DECODER) ?? [];
  if (decoders.length !== 1)
    fail(glueFile, `${decoders.length} \`function binaryDecode(bin){…return o}\` found, expected 1`);
  const text = vm.runInNewContext(glue.slice(begin + BEGIN.length, i + 1));
  const wasm = vm.runInNewContext(`(${decoders[0]})`)(text);
  if (!WebAssembly.validate(wasm)) fail(glueFile, `findWasmBinary's string does not decode to valid WebAssembly`);
  return { wasm, glue: glue.slice(0, begin) + READ_FILE + glue.slice(i + 1 + END.length) };
}

/** Writes and reads back a small file with the copy in `dir`, in a child process (a fresh h5wasm). */
function check(dir, glueFile) {
  const scratch = mkdtempSync(join(tmpdir(), 'nxlayout-h5wasm-'));
  const file = join(scratch, 'check.h5');
  const code = `
    const { default: h5wasm } = await import(${JSON.stringify(pathToFileURL(join(dir, 'hdf5_hl.js')).href)});
    await h5wasm.ready;
    const w = new h5wasm.File(${JSON.stringify(file)}, 'w');
    w.create_dataset({ name: 'x', data: new Float64Array([1.5, 2.5, 3.5]) });
    w.close();
    const r = new h5wasm.File(${JSON.stringify(file)}, 'r');
    const values = Array.from(r.get('x').value);
    r.close();
    if (values.join() !== '1.5,2.5,3.5') throw new Error('read back ' + values.join());`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  rmSync(scratch, { recursive: true, force: true });
  if (r.status !== 0) fail(glueFile, `the copy does not write and read back a file:\n${r.stderr.trim()}`);
}

const glueFile = value('--glue') ?? fileURLToPath(new URL('hdf5_util.js', import.meta.resolve('h5wasm/node')));
const hlFile = join(dirname(glueFile), 'hdf5_hl.js');
const out = value('--out') ?? join(repo, 'dist', 'h5wasm');
// The build's own run (no --glue, no --out) is skipped when h5wasm's files, this script and its output are
// unchanged since it last ran (scripts/build-stamp.mjs): its check process is most of its second.
const stamped = value('--glue') === undefined && value('--out') === undefined;
const OUTPUTS = ['hdf5_util.wasm', 'hdf5_util.js', 'hdf5_hl.js'];
const inputs = [glueFile, hlFile, fileURLToPath(import.meta.url)].map((f) => relative(repo, f));
if (stamped && upToDate('build-h5wasm', { inputs })) {
  console.log(`${stampSummary('build-h5wasm')} (up to date)`);
  process.exit(0);
}
const digest = inputsDigest(inputs);
const { wasm, glue } = extract(readFileSync(glueFile, 'utf8'), glueFile);

// Written beside `out` and renamed into place once checked: `out` is whole or absent.
const staging = `${out}.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
writeFileSync(join(staging, 'hdf5_util.wasm'), wasm);
writeFileSync(join(staging, 'hdf5_util.js'), glue);
const hl = readFileSync(hlFile, 'utf8');
const imports = [...hl.matchAll(/\bimport\b[^'"]*['"]([^'"]+)['"]/g)].map((m) => m[1]);
if (imports.join() !== './hdf5_util.js')
  fail(hlFile, `imports ${JSON.stringify(imports)}, expected only './hdf5_util.js' (the glue copied beside it)`);
writeFileSync(join(staging, 'hdf5_hl.js'), hl);
check(staging, glueFile);
rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
const summary = `build-h5wasm: ${out}: hdf5_util.wasm (${(wasm.length / 2 ** 20).toFixed(1)} MiB), hdf5_util.js (${(glue.length / 1024).toFixed(0)} KiB), hdf5_hl.js`;
if (stamped)
  writeStamp(
    'build-h5wasm',
    inputs,
    OUTPUTS.map((f) => relative(repo, join(out, f))),
    { summary, digest },
  );
console.log(summary);
