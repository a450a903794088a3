import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import h5wasm from 'h5wasm/node';
import type { DType } from '../../src/evaluate/models.js';
import { NxlError } from '../../src/errors.js';
import { H5wasmSink } from '../../src/nexus/index.js';
import { attr, dataTokens, dumpMany, firstDataBlock, removeDir, tempDir, text, tool } from './helpers.js';

// In a hook, not a top-level await: the tests of a file run in scripts/test-shard.mjs's pool register under
// the file's suite only when registered in its async context, which a top-level await on h5wasm.ready loses.
before(() => h5wasm.ready);

interface Case {
  dtype: DType;
  values: unknown[];
  h5type: string;
  expected: string[];
}
const CASES: Case[] = [
  {
    dtype: 'float64',
    values: [1.5, -2.25, 1e300, 0],
    h5type: 'H5T_IEEE_F64LE',
    expected: ['1.5', '-2.25', '1e+300', '0'],
  },
  { dtype: 'float32', values: [1.5, -0.25, 3], h5type: 'H5T_IEEE_F32LE', expected: ['1.5', '-0.25', '3'] },
  { dtype: 'int8', values: [-128, 0, 127], h5type: 'H5T_STD_I8LE', expected: ['-128', '0', '127'] },
  { dtype: 'int16', values: [-32768, 32767], h5type: 'H5T_STD_I16LE', expected: ['-32768', '32767'] },
  {
    dtype: 'int32',
    values: [-2147483648, 2147483647],
    h5type: 'H5T_STD_I32LE',
    expected: ['-2147483648', '2147483647'],
  },
  {
    dtype: 'int64',
    values: [-(2n ** 63n), 2n ** 63n - 1n, 5],
    h5type: 'H5T_STD_I64LE',
    expected: ['-9223372036854775808', '9223372036854775807', '5'],
  },
  { dtype: 'uint8', values: [0, 255], h5type: 'H5T_STD_U8LE', expected: ['0', '255'] },
  { dtype: 'uint16', values: [0, 65535], h5type: 'H5T_STD_U16LE', expected: ['0', '65535'] },
  { dtype: 'uint32', values: [0, 4294967295], h5type: 'H5T_STD_U32LE', expected: ['0', '4294967295'] },
  { dtype: 'uint64', values: [0, 2n ** 64n - 1n], h5type: 'H5T_STD_U64LE', expected: ['0', '18446744073709551615'] },
  { dtype: 'bool', values: [true, false, true], h5type: 'H5T_STD_U8LE', expected: ['1', '0', '1'] },
  { dtype: 'string', values: ['Å µm 温度', 'plain', ''], h5type: 'H5T_STRING', expected: ['Å µm 温度', 'plain', ''] },
];

/** h5wasm's reading of what we wrote, as plain values comparable with `expected`. */
function h5wasmValues(file: string, p: string): string[] {
  const f = new h5wasm.File(file, 'r');
  try {
    const v = (f.get(p) as InstanceType<typeof h5wasm.Dataset>).value;
    const list =
      typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint'
        ? [v]
        : Array.from(v as ArrayLike<unknown>);
    return list.map(String);
  } finally {
    f.close();
  }
}

/** What h5dump reads of each case: its array and scalar datasets and the array's two attributes, with their headers. */
interface Dumped {
  array: string;
  scalar: string;
  a: string;
  s: string;
}

/** One h5dump of every case's datasets and attributes (a process per file, not per value), split into its blocks. */
function dumpCases(file: string): Map<DType, Dumped> {
  const parts = ['array', 'scalar', 'a', 's'] as const;
  const args = CASES.flatMap((c) => [
    ['-d', `/entry/${c.dtype}`],
    ['-d', `/entry/${c.dtype}_scalar`],
    ['-a', `/entry/${c.dtype}/a`],
    ['-a', `/entry/${c.dtype}/s`],
  ]);
  // Top-level blocks come in the order asked: `DATASET "/entry/int8" {` … `ATTRIBUTE "s" {` (an attribute by its name only).
  const blocks = tool('h5dump', ['-y', '-w', '0', ...args.flat(), file])
    .split(/^(?=(?:DATASET|ATTRIBUTE) ")/m)
    .slice(1);
  assert.equal(blocks.length, args.length, 'one block per dataset and attribute asked');
  return new Map(
    CASES.map((c, i) => {
      const mine = blocks.slice(4 * i, 4 * i + 4);
      assert.ok(mine[0].startsWith(`DATASET "/entry/${c.dtype}"`), mine[0].slice(0, 80));
      assert.ok(mine[1].startsWith(`DATASET "/entry/${c.dtype}_scalar"`), mine[1].slice(0, 80));
      assert.ok(mine[2].startsWith('ATTRIBUTE "a"') && mine[3].startsWith('ATTRIBUTE "s"'));
      return [c.dtype, Object.fromEntries(parts.map((p, k) => [p, mine[k]])) as unknown as Dumped];
    }),
  );
}

describe('H5wasmSink', () => {
  let dir: string;
  let file: string;
  let dumped: Map<DType, Dumped>;
  before(() => {
    dir = tempDir();
    file = path.join(dir, 'types.h5');
    const sink = new H5wasmSink(file);
    sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
    for (const c of CASES) {
      sink.writeField(
        `/entry/${c.dtype}`,
        c.dtype,
        [c.values.length],
        c.values,
        [attr('a', c.dtype, c.values, [c.values.length]), attr('s', c.dtype, [c.values[0]])],
        {},
      );
      sink.writeField(`/entry/${c.dtype}_scalar`, c.dtype, [], [c.values[1]], [], {});
    }
    sink.close();
    dumped = dumpCases(file);
  });
  after(() => removeDir(dir));

  for (const c of CASES) {
    test(`${c.dtype}: array, scalar and attributes round-trip through h5wasm and h5dump`, () => {
      const d = dumped.get(c.dtype)!;
      assert.deepEqual(dataTokens(firstDataBlock(d.array)), c.expected);
      assert.deepEqual(dataTokens(firstDataBlock(d.scalar)), [c.expected[1]]);
      assert.deepEqual(dataTokens(firstDataBlock(d.a)), c.expected);
      assert.deepEqual(dataTokens(firstDataBlock(d.s)), [c.expected[0]]);
      assert.deepEqual(h5wasmValues(file, `/entry/${c.dtype}`), c.expected);
      assert.match(d.scalar, new RegExp(`DATATYPE\\s+${c.h5type}`));
      assert.match(d.scalar, /DATASPACE\s+SCALAR/);
    });
  }

  test('strings are variable-length UTF-8 in datasets and attributes (h5dump shows H5T_CSET_UTF8)', () => {
    // One h5dump for the dataset and the attribute (their headers and the attribute's value)
    const [dataset, attribute] = dumpMany(file, [
      ['-d', '/entry/string'],
      ['-a', '/entry/NX_class'],
    ]);
    assert.match(dataset.block, /STRSIZE H5T_VARIABLE;/);
    assert.match(dataset.block, /CSET H5T_CSET_UTF8;/);
    assert.match(attribute.block, /CSET H5T_CSET_UTF8;/);
    assert.deepEqual(attribute.values, ['NXentry']);
  });

  test('empty lists are written as empty attributes and datasets', () => {
    const f = path.join(dir, 'empty.h5');
    const sink = new H5wasmSink(f);
    sink.writeField(
      '/none',
      'string',
      [0],
      [],
      [attr('axes', 'string', [], [0]), attr('offsets', 'int32', [], [0])],
      {},
    );
    sink.close();
    const dump = tool('h5dump', ['-A', f]);
    assert.match(
      dump,
      /ATTRIBUTE "axes" \{\s+DATATYPE\s+H5T_STRING \{[^}]*CSET H5T_CSET_UTF8;[^}]*\}\s+DATASPACE\s+SIMPLE \{ \( 0 \) \/ \( 0 \) \}/,
    );
    assert.match(
      dump,
      /ATTRIBUTE "offsets" \{\s+DATATYPE\s+H5T_STD_I32LE\s+DATASPACE\s+SIMPLE \{ \( 0 \) \/ \( 0 \) \}/,
    );
    assert.match(dump, /DATASET "none" \{[\s\S]*DATASPACE\s+SIMPLE \{ \( 0 \) \/ \( 0 \) \}/);
  });

  test('values that do not fit their dtype are refused, naming the path', () => {
    const sink = new H5wasmSink(path.join(dir, 'bad.h5'));
    try {
      assert.throws(
        () => sink.writeField('/x', 'int8', [1], [128], [], {}),
        (e: unknown) =>
          e instanceof NxlError && e.code === 'NEXUS_WRITE' && e.message === 'cannot write 128 as int8 at /x',
      );
      assert.throws(() => sink.writeField('/y', 'uint64', [1], [-1], [], {}), /cannot write -1 as uint64 at \/y/);
      assert.throws(() => sink.writeField('/z', 'int32', [1], [1.5], [], {}), /cannot write 1.5 as int32/);
      assert.throws(() => sink.writeField('/s', 'string', [1], [3], [], {}), /cannot write 3 as string/);
      assert.throws(() => sink.writeField('/w', 'float64', [2], [1], [], {}), /\/w has 1 values for shape \[2\]/);
    } finally {
      sink.close();
    }
  });

  test('HDF5 errors become NEXUS_WRITE with the HDF5 path, the failing call, the cause and the original error', () => {
    const sink = new H5wasmSink(path.join(dir, 'errors.h5'));
    try {
      sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
      let caught: unknown;
      try {
        sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof NxlError);
      assert.equal(caught.code, 'NEXUS_WRITE');
      assert.deepEqual(caught.location, { file: path.join(dir, 'errors.h5'), nexusPath: '/entry' });
      assert.equal(
        caught.message,
        'cannot create group /entry: H5Gcreate2() unable to synchronously create group: name already exists',
      );
      assert.match(String((caught.cause as Error).message), /HDF5-DIAG/);
      assert.throws(
        () => sink.createLink('/entry/h', 'hard', '/nothing'),
        (e: unknown) =>
          e instanceof NxlError &&
          e.location.nexusPath === '/entry/h' &&
          /cannot create hard link \/entry\/h: H5Lcreate_hard\(\)/.test(e.message),
      );
      assert.throws(
        () => sink.writeField('/missing/x', 'float64', [], [1], [], {}),
        (e: unknown) => e instanceof NxlError && e.location.nexusPath === '/missing/x',
      );
    } finally {
      sink.close();
    }
    assert.throws(() => sink.createGroup('/late', []), /already closed/);
  });

  test('fixed-shape fields are chunked and gzip-compressed when asked', () => {
    const f = path.join(dir, 'gzip.h5');
    const sink = new H5wasmSink(f);
    const values = Array.from({ length: 600 }, (_, i) => i % 7);
    sink.writeField('/image', 'uint16', [20, 30], values, [], { compression: 6 });
    sink.writeField('/plain', 'uint16', [20, 30], values, [], {});
    sink.writeField('/chunked', 'uint16', [20, 30], values, [], { chunks: [5, 30] });
    sink.close();
    // One h5dump -p for the three: each block's storage layout and filters, and the image's values
    const [gz, plain, chunked] = dumpMany(
      f,
      [
        ['-d', '/image'],
        ['-d', '/plain'],
        ['-d', '/chunked'],
      ],
      ['-p'],
    );
    assert.match(gz.block, /CHUNKED \( 20, 30 \)/);
    assert.match(gz.block, /COMPRESSION DEFLATE \{ LEVEL 6 \}/);
    assert.match(plain.block, /CONTIGUOUS/);
    assert.match(chunked.block, /CHUNKED \( 5, 30 \)/);
    assert.deepEqual(gz.values.map(Number), values);
  });

  test('soft, hard and relative external links resolve (h5dump through the external link)', () => {
    const raw = path.join(dir, 'raw');
    const out = path.join(dir, 'out', 'scan');
    fs.mkdirSync(raw, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    const detector = new h5wasm.File(path.join(raw, 'det.h5'), 'w');
    detector.create_group('entry');
    detector.create_dataset({ name: 'entry/data', data: new Int32Array([7, 8, 9]), shape: [3], dtype: '<i' });
    detector.close();
    const f = path.join(out, 'scan.h5');
    const sink = new H5wasmSink(path.join(out, '.scan.h5.tmp'), { outputPath: f });
    sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
    sink.writeField('/entry/x', 'float64', [3], [1, 2, 3], [], {});
    sink.createLink('/entry/soft', 'soft', '/entry/x');
    sink.createLink('/entry/hard', 'hard', '/entry/x');
    sink.createExternalLink('/entry/image', path.join(raw, 'det.h5'), '/entry/data');
    sink.createExternalLink('/entry/kept', 'elsewhere/det.h5', '/entry/data');
    sink.close();
    fs.renameSync(path.join(out, '.scan.h5.tmp'), f);
    const listing = tool('h5ls', ['-r', f]);
    assert.match(listing, /\/entry\/image\s+External Link \{\.\.\/\.\.\/raw\/det\.h5\/\/entry\/data\}/);
    assert.match(listing, /\/entry\/kept\s+External Link \{elsewhere\/det\.h5\/\/entry\/data\}/);
    assert.match(listing, /\/entry\/soft\s+Soft Link \{\/entry\/x\}/);
    assert.match(listing, /\/entry\/hard\s+Dataset, same as \/entry\/x|\/entry\/x\s+Dataset, same as \/entry\/hard/);
    // cwd "/" so the relative file name can only resolve against the linking file's directory.
    // One h5dump for the three (the hard link, already printed through the soft one, is re-dumped alone).
    const [image, soft, hard] = dumpMany(
      f,
      [
        ['-d', '/entry/image'],
        ['-d', '/entry/soft'],
        ['-d', '/entry/hard'],
      ],
      [],
      '/',
    ).map((d) => d.values);
    assert.deepEqual(image, ['7', '8', '9']);
    assert.deepEqual(soft, ['1', '2', '3']);
    assert.deepEqual(hard, ['1', '2', '3']);
  });
});
