/**
 * `write` runs HDF5's WebAssembly on V8's baseline compiler only for small inputs (measured: a 1-event
 * write takes 0.8× the CPU), and keeps V8's tiering for big logs and for folders (size unknown).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WASM_BASELINE_ONLY_BELOW_BYTES, wasmBaselineOnly } from '../../src/cli/commands/write.js';

test('write: baseline-only WebAssembly for small logs only; big logs and folders keep tiering', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-tiering-'));
  try {
    const small = path.join(dir, 'small.jsonl');
    fs.writeFileSync(small, '["start", {}]\n');
    const big = path.join(dir, 'big.jsonl');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, WASM_BASELINE_ONLY_BELOW_BYTES); // sparse: the size is what counts
    const half = path.join(dir, 'half.jsonl');
    fs.writeFileSync(half, '');
    fs.truncateSync(half, WASM_BASELINE_ONLY_BELOW_BYTES / 2);
    assert.equal(wasmBaselineOnly([small]), true);
    assert.equal(wasmBaselineOnly([small, half]), true);
    assert.equal(wasmBaselineOnly([big]), false);
    assert.equal(wasmBaselineOnly([half, half]), false, 'logs are counted together');
    assert.equal(wasmBaselineOnly([dir]), false, 'a folder: size not known');
    assert.equal(wasmBaselineOnly([path.join(dir, 'missing.jsonl')]), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
