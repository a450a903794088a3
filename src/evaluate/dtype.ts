/**
 * Element types: numpy-style names → DType, data keys → DType, and inference
 * from JS values. One table, so the template, the descriptor and the values
 * agree on what `<f8` or `integer` means.
 */
import type { DataKey } from '../documents/models.js';
import type { DType } from './models.js';

const NUMPY_CODES: Record<string, DType> = {
  f8: 'float64',
  f4: 'float32',
  i8: 'int64',
  i4: 'int32',
  i2: 'int16',
  i1: 'int8',
  u8: 'uint64',
  u4: 'uint32',
  u2: 'uint16',
  u1: 'uint8',
  b1: 'bool',
};

const NAMES: Record<string, DType> = {
  float64: 'float64',
  double: 'float64',
  float: 'float64',
  number: 'float64',
  f8: 'float64',
  float32: 'float32',
  single: 'float32',
  f4: 'float32',
  int64: 'int64',
  int: 'int64',
  long: 'int64',
  integer: 'int64',
  i8: 'int64',
  int32: 'int32',
  i4: 'int32',
  int16: 'int16',
  i2: 'int16',
  int8: 'int8',
  i1: 'int8',
  uint64: 'uint64',
  u8: 'uint64',
  uint32: 'uint32',
  u4: 'uint32',
  uint16: 'uint16',
  u2: 'uint16',
  uint8: 'uint8',
  u1: 'uint8',
  bool: 'bool',
  bool_: 'bool',
  boolean: 'bool',
  '?': 'bool',
  b1: 'bool',
  str: 'string',
  string: 'string',
  str_: 'string',
  unicode: 'string',
  bytes: 'string',
  object: 'string',
  o: 'string',
};

/** The names a template may use, for hints. */
export const DTYPE_NAMES: readonly string[] = [...Object.keys(NAMES), '<f8', '>i4', '|u1', '|b1', '<U16', '|S8', 'O'];

/** `<f8`, `float64`, `bool`, `str`, `<U10`, `|S4`, `O`… → DType; undefined when not understood. */
export function normaliseDType(name: string): DType | undefined {
  const trimmed = name.trim();
  const lower = trimmed.toLowerCase();
  if (lower in NAMES && trimmed !== 'U' && trimmed !== 'S') return NAMES[lower];
  // numpy type strings are case-sensitive: `u` unsigned, `U` unicode, `S` bytes, `O` object.
  const m = /^[<>=|!]?([a-zA-Z?])(\d*)$/.exec(trimmed);
  if (m === null) return undefined;
  const [, kind, size] = m;
  if (kind === 'U' || kind === 'S' || kind === 'a' || kind === 'O' || kind === 'V') return 'string';
  if (kind === '?') return 'bool';
  return NUMPY_CODES[`${kind}${size}`];
}

/**
 * A data key's element type: `dtype_numpy` when present, else `dtype`
 * (`array` takes its element type from `sample`, the first value seen, float64 by default).
 */
export function dtypeFromDataKey(dataKey: DataKey, sample?: unknown): DType {
  const numpy = dataKey.dtype_numpy;
  if (typeof numpy === 'string' && numpy !== '') {
    const d = normaliseDType(numpy);
    if (d !== undefined) return d;
  } else if (Array.isArray(numpy)) {
    return 'string'; // structured dtype: each row becomes JSON text
  }
  switch (dataKey.dtype) {
    case 'number':
      return 'float64';
    case 'integer':
      return 'int64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'array':
      return sample === undefined ? 'float64' : inferDType(flatten(sample));
    default:
      return 'string';
  }
}

/** The narrowest common DType of flat JS values (ints → int64, any fraction → float64). */
export function inferDType(values: readonly unknown[]): DType {
  if (values.length === 0) return 'float64';
  let sawNumber = false;
  let sawFraction = false;
  let sawBool = false;
  let sawOther = false;
  for (const v of values) {
    if (typeof v === 'number') {
      sawNumber = true;
      if (!Number.isInteger(v)) sawFraction = true;
    } else if (typeof v === 'bigint') sawNumber = true;
    else if (typeof v === 'boolean') sawBool = true;
    else if (v === null)
      sawFraction = true; // null in a numeric array is NaN
    else sawOther = true;
  }
  if (sawOther) return 'string';
  if (sawBool && !sawNumber) return 'bool';
  if (sawBool) return 'string';
  if (!sawNumber) return 'float64';
  return sawFraction ? 'float64' : 'int64';
}

export function isNumericDType(d: DType): boolean {
  return d !== 'bool' && d !== 'string';
}

export function isIntegerDType(d: DType): boolean {
  return d.startsWith('int') || d.startsWith('uint');
}

function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flat(Infinity) : [value];
}
