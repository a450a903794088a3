/**
 * HDF5 types and values as `inspect` shows them: readable type names (`float64`,
 * `utf-8 string`), filters, and values made plain (typed arrays → arrays; 64-bit
 * integers → numbers when exact, else decimal strings, so the tree stays JSON).
 */
import type { Filter, Metadata } from './h5-runtime.js';

const INTEGER = 0;
const FLOAT = 1;
const STRING = 3;
const ENUM = 8;
const CLASS_NAMES: Record<number, string> = {
  2: 'time',
  4: 'bitfield',
  5: 'opaque',
  6: 'compound',
  7: 'reference',
  9: 'vlen',
  10: 'array',
};

export function describeType(m: Metadata): string {
  const order = m.littleEndian || m.size === 1 ? '' : ' (big-endian)';
  switch (m.type) {
    case INTEGER:
      return `${m.signed ? 'int' : 'uint'}${m.size * 8}${order}`;
    case FLOAT:
      return `float${m.size * 8}${order}`;
    case STRING: {
      const cset = m.cset === 1 ? 'utf-8' : 'ascii';
      return m.vlen ? `${cset} string` : `${cset} string[${m.size}]`;
    }
    case ENUM: {
      const names = Object.keys(m.enum_type?.members ?? {});
      return names.length === 2 && names.includes('FALSE') && names.includes('TRUE')
        ? 'bool (enum)'
        : `enum {${names.join(', ')}}`;
    }
    default:
      return CLASS_NAMES[m.type] ?? `type ${m.type}`;
  }
}

export function describeFilters(filters: Filter[]): string | undefined {
  if (filters.length === 0) return undefined;
  return filters
    .map((f) => (f.id === 1 ? `gzip ${f.cd_values[0] ?? ''}`.trim() : f.name || `filter ${f.id}`))
    .join(' + ');
}

function plainScalar(v: unknown): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return plainValue(v);
  return v;
}

/** A value read by h5wasm, as plain JS (booleans for a FALSE/TRUE enum). */
export function plainValue(v: unknown, m?: Metadata): unknown {
  const isBool = m !== undefined && describeType(m) === 'bool (enum)';
  const fix = (x: unknown): unknown => (isBool ? Boolean(x) : plainScalar(x));
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<unknown>, fix);
  if (Array.isArray(v)) return v.map(fix);
  return fix(v);
}
