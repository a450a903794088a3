/**
 * The write cache of files created through openOutput (src/nexus/write-cache.ts): HDF5's writes
 * stay in memory until the close (the temp file on disk keeps the size it had once created: the
 * first superblock), then land
 * in one go; a file larger than the cache's limit is written out and streams as before; flush()
 * writes out. Every file is read back with h5dump and compared with the same file written without
 * the cache.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlannedAttribute } from '../../src/evaluate/models.js';
import { H5wasmSink, openOutput } from '../../src/nexus/index.js';
import { cacheWrites } from '../../src/nexus/write-cache.js';
import { attr, dumpAttribute, dumpBinary, dumpValues, removeDir, tempDir, text, tool } from './helpers.js';

const dir = tempDir();
after(() => removeDir(dir));

/** A small NeXus-like tree: groups with attributes, scalar and 1-D fields, a column. */
function fill(sink: H5wasmSink, rows: number): void {
  const units: PlannedAttribute[] = [text('units', 'mm')];
  sink.createGroup('/', [text('default', 'entry')]);
  sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
  for (let g = 0; g < 12; g += 1) {
    sink.createGroup(`/entry/g${g}`, [text('NX_class', 'NXcollection'), attr('index', 'int32', [g])]);
    sink.writeField(`/entry/g${g}/value`, 'float64', [3], [g, g + 0.5, g + 0.25], units, {});
    sink.writeField(`/entry/g${g}/name`, 'string', [], [`name ${g}`], [], {});
  }
  const column = sink.createColumn('/entry/g0/column', 'float64', [], units, {});
  sink.appendRows(
    column,
    Array.from({ length: rows }, (_, i) => i * 0.5),
  );
}

/** h5dump of `file` without its first line (which names the file); `-A`: all but the datasets' values. */
function dumped(file: string, flags: string[] = []): string {
  return tool('h5dump', [...flags, file])
    .split('\n')
    .slice(1)
    .join('\n');
}

/** The column `fill` wrote, read by h5dump (binary: a million values as text cost it ~0.5 s). */
function dumpedColumn(file: string): Float64Array {
  const bytes = dumpBinary(file, '/entry/g0/column', dir);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
}

/** `fill`'s column of `rows` rows, as written: i × 0.5. */
function assertColumn(file: string, rows: number): void {
  const column = dumpedColumn(file);
  assert.equal(column.length, rows);
  const wrong = column.findIndex((v, i) => v !== i * 0.5);
  assert.equal(wrong, -1, `row ${wrong} reads ${column[wrong]}`);
}

describe('write cache', () => {
  test('a small file: nothing on disk before the close, then the same file as without the cache', () => {
    const plain = path.join(dir, 'plain.h5');
    const sink = new H5wasmSink(plain);
    fill(sink, 100);
    assert.ok(fs.statSync(plain).size > 0, 'without the cache HDF5 writes as it goes');
    sink.close();

    const cached = path.join(dir, 'cached.h5');
    const sink2 = new H5wasmSink(cached, { cacheWrites });
    const created = fs.statSync(cached).size;
    assert.ok(created < 100, `${created} bytes: HDF5 wrote only its first superblock at creation`);
    fill(sink2, 100);
    assert.equal(fs.statSync(cached).size, created, 'the writes are held back until the close');
    sink2.close();
    assert.equal(fs.statSync(cached).size, fs.statSync(plain).size);
    assert.equal(dumped(cached), dumped(plain));
    assert.deepEqual(dumpValues(cached, '/entry/g11/value'), ['11', '11.5', '11.25']);
    assert.deepEqual(dumpAttribute(cached, '/entry/g7/index'), ['7']);
  });

  test('the buffer of a larger file is reused for the next one: no byte of it is left in the smaller file', () => {
    const large = path.join(dir, 'large.h5');
    const a = new H5wasmSink(large, { cacheWrites });
    fill(a, 40_000); // 320 kB: its buffer goes back to the spares
    a.close();
    const plain = path.join(dir, 'small-plain.h5');
    const b = new H5wasmSink(plain);
    fill(b, 5);
    b.close();
    const small = path.join(dir, 'small-cached.h5');
    const c = new H5wasmSink(small, { cacheWrites });
    fill(c, 5);
    c.close();
    assert.equal(fs.statSync(small).size, fs.statSync(plain).size);
    assert.equal(dumped(small), dumped(plain));
    assertColumn(large, 40_000);
  });

  test('a file past the limit (4 MiB) is written out and goes on streaming; it reads back whole', () => {
    const rows = 1_000_000; // 8 MB of float64
    const plain = path.join(dir, 'big-plain.h5');
    const a = new H5wasmSink(plain);
    fill(a, rows);
    a.close();
    const cached = path.join(dir, 'big-cached.h5');
    const b = new H5wasmSink(cached, { cacheWrites });
    fill(b, rows);
    assert.ok(fs.statSync(cached).size > 4 * 1048576, 'past the limit the bytes are on disk before the close');
    b.close();
    // The structure and every attribute as text, the groups' small datasets, then the column's million
    // values in binary (each as written).
    assert.equal(dumped(cached, ['-A']), dumped(plain, ['-A']));
    assert.deepEqual(dumpValues(cached, '/entry/g11/value'), ['11', '11.5', '11.25']);
    assertColumn(cached, rows);
    assertColumn(plain, rows);
  });

  test('flush() writes what is held; later writes go to the disk; the closed file reads back', () => {
    const file = path.join(dir, 'flushed.h5');
    const sink = new H5wasmSink(file, { cacheWrites });
    const created = fs.statSync(file).size;
    fill(sink, 10);
    assert.equal(fs.statSync(file).size, created);
    sink.flush();
    assert.ok(fs.statSync(file).size > created + 1000, 'flush() writes the held bytes');
    sink.writeField('/entry/after', 'int32', [2], [4, 5], [], {});
    sink.close();
    assert.deepEqual(dumpValues(file, '/entry/after'), ['4', '5']);
    assert.deepEqual(dumpValues(file, '/entry/g3/value'), ['3', '3.5', '3.25']);
  });

  test('openOutput writes through the cache: the temp file does not grow until commit, the output is complete', () => {
    const root = path.join(dir, 'out');
    fs.mkdirSync(root);
    const out = openOutput(root, 'run.nxs');
    const created = fs.statSync(out.tempPath).size;
    fill(out.sink as H5wasmSink, 50);
    assert.equal(fs.statSync(out.tempPath).size, created);
    out.commit();
    assert.deepEqual(dumpValues(path.join(root, 'run.nxs'), '/entry/g2/value'), ['2', '2.5', '2.25']);
    assert.deepEqual(
      fs.readdirSync(root).filter((n) => n.includes('nxlayout-tmp')),
      [],
    );
  });
});
