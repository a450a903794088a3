/**
 * nxlayout's DTypes as HDF5 types, and the exact conversion of JS values into them.
 *
 * `bool` is written as uint8 0/1: h5py's own bool type is an HDF5 enum {FALSE, TRUE},
 * but h5wasm 0.10 cannot create enum types, and NeXus readers accept 0/1 integers
 * for NX_BOOLEAN (h5py reads them as numpy uint8).
 */
import { NxlError } from '../errors.js';
import type { DType } from '../evaluate/models.js';

type NumericDType = Exclude<DType, 'string'>;

export type NumericArray =
  | Float64Array
  | Float32Array
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | BigUint64Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

interface NumericSpec {
  /** h5wasm (struct-module style) dtype code; numpy's `<f8` is NOT understood by h5wasm. */
  readonly code: string;
  readonly bytes: number;
  readonly make: (n: number) => NumericArray;
  readonly kind: 'float' | 'int' | 'bigint' | 'bool';
  readonly min?: number | bigint;
  readonly max?: number | bigint;
}

const NUMERIC: Record<NumericDType, NumericSpec> = {
  float64: { code: '<d', bytes: 8, make: (n) => new Float64Array(n), kind: 'float' },
  float32: { code: '<f', bytes: 4, make: (n) => new Float32Array(n), kind: 'float' },
  int64: {
    code: '<q',
    bytes: 8,
    make: (n) => new BigInt64Array(n),
    kind: 'bigint',
    min: -(2n ** 63n),
    max: 2n ** 63n - 1n,
  },
  int32: { code: '<i', bytes: 4, make: (n) => new Int32Array(n), kind: 'int', min: -(2 ** 31), max: 2 ** 31 - 1 },
  int16: { code: '<h', bytes: 2, make: (n) => new Int16Array(n), kind: 'int', min: -(2 ** 15), max: 2 ** 15 - 1 },
  int8: { code: '<b', bytes: 1, make: (n) => new Int8Array(n), kind: 'int', min: -128, max: 127 },
  uint64: { code: '<Q', bytes: 8, make: (n) => new BigUint64Array(n), kind: 'bigint', min: 0n, max: 2n ** 64n - 1n },
  uint32: { code: '<I', bytes: 4, make: (n) => new Uint32Array(n), kind: 'int', min: 0, max: 2 ** 32 - 1 },
  uint16: { code: '<H', bytes: 2, make: (n) => new Uint16Array(n), kind: 'int', min: 0, max: 2 ** 16 - 1 },
  uint8: { code: '<B', bytes: 1, make: (n) => new Uint8Array(n), kind: 'int', min: 0, max: 255 },
  bool: { code: '<B', bytes: 1, make: (n) => new Uint8Array(n), kind: 'bool' },
};

/** Variable-length UTF-8 string. */
const STRING_CODE = 'S';

export function h5Code(dtype: DType): string {
  return dtype === 'string' ? STRING_CODE : NUMERIC[dtype].code;
}

/** Bytes per element in the file (a variable-length string's heap reference counts 16). */
export function elementBytes(dtype: DType): number {
  return dtype === 'string' ? 16 : NUMERIC[dtype].bytes;
}

export function makeNumericArray(dtype: NumericDType, n: number): NumericArray {
  return NUMERIC[dtype].make(n);
}

function bad(value: unknown, dtype: DType, path: string): NxlError {
  const shown = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return new NxlError(
    'NEXUS_WRITE',
    `cannot write ${shown} as ${dtype} at ${path}`,
    { nexusPath: path },
    {
      hint: 'the planned dtype does not fit this value: set `dtype` in the template or fix the source data',
    },
  );
}

/** Store one value into a typed array slot, refusing anything that would be changed by the conversion. */
export function putNumeric(
  target: NumericArray,
  index: number,
  value: unknown,
  dtype: NumericDType,
  path: string,
): void {
  const spec = NUMERIC[dtype];
  // EPICS booleans arrive under data keys of dtype integer/number: true/false are exactly 1/0 (as in numpy).
  if (typeof value === 'boolean' && spec.kind !== 'bool') value = value ? 1 : 0;
  switch (spec.kind) {
    case 'float': {
      // JSON cannot carry NaN: event-model producers send null for it.
      if (value === null || value === undefined) target[index] = NaN;
      else if (typeof value === 'number') target[index] = value;
      else if (typeof value === 'bigint') target[index] = Number(value);
      else throw bad(value, dtype, path);
      return;
    }
    case 'bool': {
      if (value === true || value === 1) target[index] = 1;
      else if (value === false || value === 0) target[index] = 0;
      else throw bad(value, dtype, path);
      return;
    }
    case 'int': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < (spec.min as number) || n > (spec.max as number))
        throw bad(value, dtype, path);
      target[index] = n;
      return;
    }
    case 'bigint': {
      let b: bigint;
      if (typeof value === 'bigint') b = value;
      else if (typeof value === 'number' && Number.isSafeInteger(value)) b = BigInt(value);
      else throw bad(value, dtype, path);
      if (b < (spec.min as bigint) || b > (spec.max as bigint)) throw bad(value, dtype, path);
      target[index] = b;
      return;
    }
  }
}

/** A string as a C string can hold it (no NUL: HDF5 variable-length strings end at the first NUL). */
export function checkString(value: unknown, path: string): string {
  // An event without this field (its descriptor lacks it) has no reading: an empty string.
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string' || value.includes('\0')) throw bad(value, 'string', path);
  return value;
}

/** Flat values → what h5wasm's create_dataset / create_attribute take for `dtype`. */
export function toH5Data(dtype: DType, data: readonly unknown[], path: string): NumericArray | string[] {
  if (dtype === 'string') return data.map((v) => checkString(v, path));
  const out = makeNumericArray(dtype, data.length);
  data.forEach((v, i) => {
    putNumeric(out, i, v, dtype, path);
  });
  return out;
}

/** Nested arrays flattened row-major (a flat list passes through). */
export function flatten(data: readonly unknown[]): unknown[] {
  return data.some(Array.isArray) ? (data as unknown[]).flat(Infinity) : [...data];
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
