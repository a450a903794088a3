/**
 * JS values → flat row-major data with a shape and a DType, and back.
 *
 * Rules (the writer relies on them):
 * - a scalar has shape []; a rectangular nested array has its nested shape;
 * - an object (or a ragged array) is written as JSON text;
 * - null inside a numeric array is NaN (float64); inside a string array it is "";
 * - a requested dtype converts the data, and refuses what would lose meaning
 *   (a fraction into an integer type, text that is not a number).
 */
import { NxlError } from '../errors.js';
import { inferDType, isIntegerDType, isNumericDType } from './dtype.js';
import type { DType } from './models.js';

export interface InlineData {
  data: unknown[];
  shape: number[];
  dtype: DType;
}

export function toInline(value: unknown, requested?: DType): InlineData {
  const plain = toPlain(value);
  const shape = shapeOf(plain);
  let data: unknown[];
  if (shape === undefined) {
    data = [JSON.stringify(plain)];
  } else {
    data = shape.length === 0 ? [plain] : (plain as unknown[]).flat(Infinity);
  }
  const finalShape = shape ?? [];
  const inferred = inferDType(data);
  const dtype = requested ?? inferred;
  return { data: coerceData(data, dtype), shape: finalShape, dtype };
}

/** Convert flat data to `dtype`; throws EVAL_TYPE_MISMATCH for values that do not fit. */
function coerceData(data: readonly unknown[], dtype: DType): unknown[] {
  return data.map((v) => coerceOne(v, dtype));
}

function coerceOne(v: unknown, dtype: DType): unknown {
  if (dtype === 'string') {
    if (typeof v === 'string') return v;
    if (v === null || v === undefined) return '';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  if (dtype === 'bool') {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (v === 'true' || v === 'false') return v === 'true';
    throw mismatch(v, dtype);
  }
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') return isIntegerDType(dtype) ? v : Number(v);
  else if (typeof v === 'boolean') n = v ? 1 : 0;
  else if (v === null) n = NaN;
  else if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) n = Number(v);
  else throw mismatch(v, dtype);
  if (isIntegerDType(dtype) && !Number.isInteger(n)) throw mismatch(v, dtype);
  return n;
}

function mismatch(v: unknown, dtype: DType): NxlError {
  return new NxlError(
    'EVAL_TYPE_MISMATCH',
    `value ${JSON.stringify(v)} cannot be stored as ${dtype}`,
    {},
    {
      hint: isNumericDType(dtype)
        ? 'remove `dtype` or choose a type that holds the value (float64, string…)'
        : 'remove `dtype` or use string',
    },
  );
}

/** Nested shape of a rectangular array of scalars; [] for a scalar; undefined when it must become JSON text. */
function shapeOf(value: unknown): number[] | undefined {
  if (!Array.isArray(value)) return isScalar(value) ? [] : undefined;
  if (value.length === 0) return [0];
  const inner = value.map(shapeOf);
  const first = inner[0];
  if (first === undefined) return undefined;
  for (const s of inner) {
    if (s === undefined || s.length !== first.length || s.some((d, i) => d !== first[i])) return undefined;
  }
  return [value.length, ...first];
}

function isScalar(v: unknown): boolean {
  return (
    v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint'
  );
}

/** Typed arrays and Maps, as a run may hold them, become plain JSON-like values. */
function toPlain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  return value;
}

/** Flat data of `shape` back to the natural JS value (scalar or nested arrays), for calculations. */
export function naturalValue(data: readonly unknown[], shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  return nest(data, shape, 0, 0).value;
}

function nest(
  data: readonly unknown[],
  shape: readonly number[],
  dim: number,
  at: number,
): { value: unknown; next: number } {
  if (dim === shape.length) return { value: data[at], next: at + 1 };
  const out: unknown[] = [];
  let next = at;
  for (let i = 0; i < (shape[dim] ?? 0); i++) {
    const r = nest(data, shape, dim + 1, next);
    out.push(r.value);
    next = r.next;
  }
  return { value: out, next };
}
