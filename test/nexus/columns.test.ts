import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import h5wasm from 'h5wasm/node';
import { NxlError } from '../../src/errors.js';
import { columnChunks, H5wasmSink } from '../../src/nexus/index.js';
import { Module } from '../../src/nexus/h5-runtime.js';
import { dataTokens, dumpBinary, dumpMany, firstDataBlock, removeDir, tempDir, text, tool } from './helpers.js';

// In a hook, not a top-level await: the tests of a file run in scripts/test-shard.mjs's pool register under
// the file's suite only when registered in its async context, which a top-level await on h5wasm.ready loses.
before(() => h5wasm.ready);

const ROWS = 100_000;

describe('columns (createColumn + appendRows)', () => {
  let dir: string;
  let file: string;
  let appendMs = 0;
  const strings = Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? `Å µm 温度 ${i}` : `row ${i}`));
  before(() => {
    dir = tempDir();
    file = path.join(dir, 'columns.h5');
    const sink = new H5wasmSink(file);
    sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
    const x = sink.createColumn('/entry/x', 'float64', [], [text('units', 'mm')], {});
    const t0 = performance.now();
    for (let i = 0; i < ROWS; i += 1) sink.appendRows(x, [i * 0.5 - 7]);
    appendMs = performance.now() - t0;
    assert.equal(x.length, ROWS);
    const pairs = sink.createColumn('/entry/pairs', 'int32', [2], [], { compression: 4 });
    for (let i = 0; i < 5000; i += 1) sink.appendRows(pairs, [[i, -i]]);
    const names = sink.createColumn('/entry/names', 'string', [], [], {});
    for (let i = 0; i < strings.length; i += 1000) sink.appendRows(names, strings.slice(i, i + 1000));
    const known = sink.createColumn('/entry/known', 'uint8', [], [], {}, 3);
    sink.appendRows(known, [1, 2, 3]);
    const custom = sink.createColumn('/entry/custom', 'float32', [4], [], { chunks: [10, 4] });
    sink.appendRows(custom, [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    sink.close();
  });
  after(() => removeDir(dir));

  test('100,000 single-row appends equal the source values (h5dump binary and h5wasm)', () => {
    const expected = Float64Array.from({ length: ROWS }, (_, i) => i * 0.5 - 7);
    const bytes = dumpBinary(file, '/entry/x', dir);
    assert.equal(bytes.length, ROWS * 8);
    assert.deepEqual(new Float64Array(bytes.buffer, bytes.byteOffset, ROWS), expected);
    const f = new h5wasm.File(file, 'r');
    try {
      const ds = f.get('/entry/x') as InstanceType<typeof h5wasm.Dataset>;
      assert.deepEqual(ds.value, expected);
      assert.equal(ds.attrs.units.value, 'mm');
    } finally {
      f.close();
    }
  });

  test('100,000 single-row appends are fast (buffered, written in blocks)', () => {
    assert.ok(appendMs < 5000, `took ${appendMs} ms`);
  });

  test('a column is chunked and resizable: h5dump shows CHUNKED and H5S_UNLIMITED', () => {
    // One h5dump -p -H for the four datasets: a top-level DATASET block each, in the order asked.
    const names = ['x', 'pairs', 'known', 'custom'];
    const blocks = tool('h5dump', ['-p', '-H', ...names.flatMap((n) => ['-d', `/entry/${n}`]), file])
      .split(/^(?=DATASET ")/m)
      .slice(1);
    assert.equal(blocks.length, names.length, 'one header per dataset asked');
    for (const [i, n] of names.entries())
      assert.ok(blocks[i].startsWith(`DATASET "/entry/${n}" {`), blocks[i].slice(0, 80));
    const [header, pairs, known, custom] = blocks;
    assert.match(header, /DATASPACE\s+SIMPLE \{ \( 100000 \) \/ \( H5S_UNLIMITED \) \}/);
    assert.match(header, /CHUNKED \( 8192 \)/);
    assert.match(pairs, /DATASPACE\s+SIMPLE \{ \( 5000, 2 \) \/ \( H5S_UNLIMITED, 2 \) \}/);
    assert.match(pairs, /COMPRESSION DEFLATE \{ LEVEL 4 \}/);
    assert.match(known, /CHUNKED \( 3 \)/);
    assert.match(custom, /CHUNKED \( 10, 4 \)/);
  });

  test('rows with a shape and compressed columns keep their values', () => {
    // One h5dump for the three datasets
    const [pairs, custom, known] = dumpMany(file, [
      ['-d', '/entry/pairs'],
      ['-d', '/entry/custom'],
      ['-d', '/entry/known'],
    ]).map((d) => d.values);
    const values = pairs.map(Number);
    assert.equal(values.length, 10_000);
    assert.deepEqual(values.slice(0, 6), [0, 0, 1, -1, 2, -2]);
    assert.deepEqual(values.slice(-2), [4999, -4999]);
    assert.deepEqual(custom.map(Number), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(known, ['1', '2', '3']);
  });

  test('string columns are appended in blocks and stay UTF-8', () => {
    const f = new h5wasm.File(file, 'r');
    try {
      const ds = f.get('/entry/names') as InstanceType<typeof h5wasm.Dataset>;
      assert.equal(ds.metadata.cset, 1);
      assert.deepEqual(ds.value, strings);
    } finally {
      f.close();
    }
    const header = tool('h5dump', ['-p', '-H', '-d', '/entry/names', file]);
    assert.match(header, /CSET H5T_CSET_UTF8;/);
    assert.match(header, /\( 20000 \) \/ \( H5S_UNLIMITED \)/);
    const tail = tool('h5dump', ['-y', '-w', '0', '-d', '/entry/names', '-s', '19998', '-c', '2', file]);
    assert.deepEqual(dataTokens(firstDataBlock(tail)), ['Å µm 温度 19998', 'row 19999']);
  });

  test('memory does not grow with the number of appended rows (wasm heap and JS heap)', () => {
    const sink = new H5wasmSink(path.join(dir, 'memory.h5'));
    try {
      const c = sink.createColumn('/n', 'float64', [], [], {});
      for (let i = 0; i < 100_000; i += 1) sink.appendRows(c, [i]);
      const wasmBefore = Module.HEAPU8.byteLength;
      const jsBefore = process.memoryUsage().heapUsed;
      for (let i = 0; i < 2_000_000; i += 1) sink.appendRows(c, [i]);
      assert.equal(c.length, 2_100_000);
      assert.equal(Module.HEAPU8.byteLength, wasmBefore);
      // Keeping 2,000,000 numbers would take at least 16 MB.
      assert.ok(process.memoryUsage().heapUsed - jsBefore < 16e6);
    } finally {
      sink.close();
    }
  });

  test('a row of the wrong shape is refused with the column path', () => {
    const sink = new H5wasmSink(path.join(dir, 'bad.h5'));
    try {
      const c = sink.createColumn('/c', 'float64', [3], [], {});
      assert.throws(
        () => sink.appendRows(c, [[1, 2]]),
        (e: unknown) =>
          e instanceof NxlError &&
          e.code === 'NEXUS_WRITE' &&
          e.location.nexusPath === '/c' &&
          /row 0 of \/c has 2 values, expected 3/.test(e.message),
      );
      const other = new H5wasmSink(path.join(dir, 'other.h5'));
      const foreign = other.createColumn('/c', 'float64', [3], [], {});
      other.close();
      assert.throws(() => sink.appendRows(foreign, [[1, 2, 3]]), /not a column of this file/);
    } finally {
      sink.close();
    }
  });
});

describe('columnChunks', () => {
  test('scalar float64 rows: 64 KiB chunks', () => assert.deepEqual(columnChunks('float64', []), [8192]));
  test('a known final row count sizes the chunk to it (capped at 1 MiB)', () => {
    assert.deepEqual(columnChunks('float64', [], 3), [3]);
    assert.deepEqual(columnChunks('float64', [], 10_000_000), [131072]);
  });
  test('rows over 1 MiB are split along their own axes', () =>
    assert.deepEqual(columnChunks('uint32', [2048, 2048]), [1, 512, 512]));
  test('medium rows: whole rows per chunk', () => assert.deepEqual(columnChunks('uint16', [100, 100]), [4, 100, 100]));
});
