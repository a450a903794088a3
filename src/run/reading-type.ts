/**
 * A reading of the wrong type for its data key (a string in a number column,
 * an object in a scalar one…) must not cost the run: it is replaced by what
 * the column can hold — a missing reading (NaN in the file) for numbers and
 * booleans, its JSON text for strings — and reported, naming the event.
 * Arrays in a column declared scalar are kept as read (the column's shape or
 * its JSON-text form follows them, see evaluate/column-fit.ts): reported once.
 */
import type { DataKey } from '../documents/models.js';

/** What the scalar readings of a data key must be; undefined: no check (arrays, unknown keys). */
export type Expect = 'number' | 'integer' | 'boolean' | 'string';

export function expectOf(dataKey: DataKey | undefined): Expect | undefined {
  if (dataKey === undefined || (Array.isArray(dataKey.shape) && dataKey.shape.length > 0)) return undefined;
  switch (dataKey.dtype) {
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      return undefined;
  }
}

/** True when `value` fits `expect` as it is (a missing reading always fits). */
export function fits(value: unknown, expect: Expect): boolean {
  if (value === null || value === undefined) return true;
  switch (expect) {
    case 'number':
      return typeof value === 'number' || typeof value === 'boolean' || Array.isArray(value);
    case 'integer':
      return Number.isInteger(value) || typeof value === 'boolean' || Array.isArray(value);
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1 || Array.isArray(value);
    case 'string':
      return typeof value === 'string' || Array.isArray(value);
  }
}

/**
 * What is stored instead of a reading that does not fit: a number in an
 * integer column stays (NaN, Infinity, 2.5: the column becomes float64, or
 * the fill value once streamed as integers).
 */
export function replacement(value: unknown, expect: Expect): unknown {
  if (expect === 'integer' && typeof value === 'number') return value;
  return expect === 'string' ? JSON.stringify(value) : null;
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** One reading replaced (or, for an array in a scalar column, kept and noted). */
export interface ReadingRepair {
  field: string;
  /** Row of the stream (0-based). */
  row: number;
  value: unknown;
  expect: Expect;
  replaced: boolean;
}
