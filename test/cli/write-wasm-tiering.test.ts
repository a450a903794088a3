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
import { writeOneEventLog } from './one-event-log.js';

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

test('write in a process that already runs h5wasm: the marker is set, the flag is left alone, the file is written', async () => {
  await import('../../src/nexus/index.js');
  assert.equal((globalThis as Record<symbol, unknown>)[Symbol.for('nxlayout.h5wasm-loaded')], true);
  const { main } = await import('../../src/cli/main.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-tiering-'));
  try {
    const log = writeOneEventLog(dir);
    const out = path.join(dir, 'out');
    const err: string[] = [];
    const code = await main(['write', log, '--out', out], {
      interactive: false,
      out: () => {},
      err: (t) => void err.push(t),
    });
    assert.equal(code, 0, err.join('\n'));
    const files = fs
      .readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.nxs'));
    assert.equal(files.length, 1);
    const { execFileSync } = await import('node:child_process');
    const x = execFileSync(
      'h5dump',
      ['-d', '/entry/instrument/bluesky/streams/primary/x/value', path.join(out, files[0])],
      {
        encoding: 'utf8',
      },
    );
    assert.match(x, /\(0\): 2\.5/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
