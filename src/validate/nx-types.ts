/** Whether a value of a given dtype (and values, when known) fits an NXDL type. */
import type { DType } from '../evaluate/models.js';
import type { ShapeValue } from './shape-tree.js';

const FLOAT = new Set<DType>(['float64', 'float32']);
const INT = new Set<DType>(['int64', 'int32', 'int16', 'int8', 'uint64', 'uint32', 'uint16', 'uint8']);
const UINT = new Set<DType>(['uint64', 'uint32', 'uint16', 'uint8']);

/** ISO 8601 date and time, as NX_DATE_TIME asks (a time zone is advised, not required). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

function numbers(data: readonly unknown[] | undefined): number[] | undefined {
  if (data === undefined) return undefined;
  return data.every((v) => typeof v === 'number' || typeof v === 'bigint') ? data.map(Number) : undefined;
}

/** Why `value` does not fit `nxType`, or undefined when it does (or cannot be told). */
export function typeProblem(nxType: string | undefined, value: ShapeValue): string | undefined {
  const t = nxType ?? 'NX_CHAR';
  const d = value.dtype;
  if (d === undefined) return undefined;
  const isInt = INT.has(d);
  const isNumber = isInt || FLOAT.has(d);
  const values = numbers(value.data);
  switch (t) {
    case 'NX_CHAR':
      return d === 'string' ? undefined : `is ${d}, NX_CHAR wants text`;
    case 'NX_DATE_TIME': {
      if (d !== 'string') return `is ${d}, NX_DATE_TIME wants ISO 8601 text`;
      const bad = value.data?.find((v) => typeof v === 'string' && !ISO_DATE_TIME.test(v));
      return bad === undefined ? undefined : `${JSON.stringify(bad)} is not an ISO 8601 date and time`;
    }
    case 'NX_FLOAT':
      return FLOAT.has(d) ? undefined : `is ${d}, NX_FLOAT wants a floating-point type`;
    case 'NX_INT':
      return isInt ? undefined : `is ${d}, NX_INT wants an integer type`;
    case 'NX_UINT':
      if (UINT.has(d)) return undefined;
      if (isInt && values?.every((v) => v >= 0)) return undefined;
      return `is ${d}, NX_UINT wants an unsigned integer type`;
    case 'NX_POSINT':
      if (!isInt) return `is ${d}, NX_POSINT wants an integer type`;
      return values?.some((v) => v <= 0)
        ? `holds ${values.find((v) => v <= 0)}, NX_POSINT wants values > 0`
        : undefined;
    case 'NX_NUMBER':
      return isNumber ? undefined : `is ${d}, NX_NUMBER wants a numeric type`;
    case 'NX_BOOLEAN':
      if (d === 'bool') return undefined;
      if (isInt && values?.every((v) => v === 0 || v === 1)) return undefined;
      return `is ${d}, NX_BOOLEAN wants bool`;
    case 'NX_CHAR_OR_NUMBER':
      return d === 'string' || isNumber ? undefined : `is ${d}, NX_CHAR_OR_NUMBER wants text or a number`;
    default:
      return undefined; // NX_ANY, NX_BINARY, NX_COMPLEX…: not checked
  }
}

/** A fix to suggest for a type problem. */
export function typeHint(nxType: string | undefined): string {
  switch (nxType ?? 'NX_CHAR') {
    case 'NX_CHAR':
      return 'add "dtype": "str" to the field (or write the value as text)';
    case 'NX_DATE_TIME':
      return 'use the iso8601 calculation, e.g. {"type": "calculated", "calculation": {"callable": "iso8601", "args": ["$.start.time"]}}';
    case 'NX_FLOAT':
      return 'add "dtype": "float64" to the field (a literal 12 is an integer; write 12.0 with "dtype": "float64")';
    case 'NX_INT':
    case 'NX_POSINT':
    case 'NX_UINT':
      return 'add "dtype": "int64" (or an unsigned type) to the field';
    case 'NX_BOOLEAN':
      return 'add "dtype": "bool" to the field';
    default:
      return 'add a numeric "dtype" to the field';
  }
}

/** Whether `value` is one of an enumeration's items (compared as text: NXDL writes every item as text). */
export function enumerationProblem(items: readonly string[] | undefined, value: ShapeValue): string | undefined {
  if (items === undefined || value.data === undefined) return undefined;
  const bad = value.data.find((v) => !items.includes(typeof v === 'boolean' ? String(v) : String(v)));
  return bad === undefined
    ? undefined
    : `${JSON.stringify(bad)} is not one of ${items.map((i) => JSON.stringify(i)).join(', ')}`;
}
