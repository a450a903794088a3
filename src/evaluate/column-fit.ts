/**
 * Real event data does not always match its data key: a reading declared
 * shape [] arrives as [], arrays are ragged, an integer field has gaps, an
 * external field has no readings in its events at all. A whole column must
 * still become a dataset without losing a reading, so its rows (those still
 * held) decide the final shape and type:
 * - no reading in any event → the field is missing (an optional node is left out);
 * - every row of one shape other than declared → that shape (warning);
 * - rows of different shapes → one JSON text per row (warning);
 * - gaps (events without the field) in an integer/bool column → float64 with NaN (warning);
 * - a number that is not an integer (NaN, Infinity, 2.5) in an integer/bool column → float64 (warning).
 */
import { NxlError } from '../errors.js';
import type { Column } from '../run/models.js';
import type { DType } from './models.js';

export interface ColumnFit {
  dtype: DType;
  /** [n_events, ...row shape]. */
  shape: number[];
  encoding?: 'json';
  warnings: { message: string; hint: string }[];
}

function shapeOf(value: unknown): number[] | undefined {
  const shape: number[] = [];
  let at = value;
  while (Array.isArray(at)) {
    shape.push(at.length);
    if (at.length === 0) break;
    at = at[0];
  }
  return shape;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** True when every element of `value` (nested) has the shape `shape` (not only its first element). */
function conforms(value: unknown, shape: readonly number[], depth = 0): boolean {
  if (depth === shape.length) return !Array.isArray(value);
  if (!Array.isArray(value) || value.length !== shape[depth]) return false;
  return value.every((v) => conforms(v, shape, depth + 1));
}

const INTEGRAL: ReadonlySet<DType> = new Set([
  'int64',
  'int32',
  'int16',
  'int8',
  'uint64',
  'uint32',
  'uint16',
  'uint8',
  'bool',
]);

/** `label` names the column in messages (`primary/I0`, `primary/I0 timestamps`). */
export function fitRows(
  column: Column | undefined,
  planned: { dtype: DType; shape: number[] },
  where: { stream: string; field: string },
  label: string,
): ColumnFit {
  const fit: ColumnFit = { dtype: planned.dtype, shape: planned.shape, warnings: [] };
  if (column === undefined || column.length === 0) return fit;
  const rows = column.rows;
  let gaps = 0;
  let fractions = 0;
  let firstShape: number[] | undefined;
  let uniform = true;
  let declaredFits = true;
  const declared = planned.shape.slice(1);
  for (const row of rows) {
    if (row === undefined || row === null) {
      gaps++;
      continue;
    }
    if (typeof row === 'number' && !Number.isInteger(row)) fractions++;
    if (declaredFits && !conforms(row, declared)) declaredFits = false;
    const s = shapeOf(row)!;
    if (firstShape === undefined) firstShape = s;
    else if (uniform && (!sameShape(s, firstShape) || !conforms(row, firstShape))) uniform = false;
  }
  const anyReading =
    firstShape !== undefined ||
    (column.first !== undefined && column.first !== null) ||
    (column.last !== undefined && column.last !== null);
  if (!anyReading) {
    throw new NxlError('EVAL_FIELD_MISSING', `${label} has no reading in any of the ${column.length} events`, where, {
      hint: "external data (stream_resource/stream_datum) is not in the events: link the field's values instead, or mark the node optional",
    });
  }
  if (firstShape !== undefined && !declaredFits) {
    if (
      uniform &&
      (firstShape.length === 0 ||
        conforms(
          rows.find((r) => r !== undefined && r !== null),
          firstShape,
        ))
    ) {
      fit.shape = [planned.shape[0], ...firstShape];
      fit.warnings.push({
        message: `${label}: readings have shape [${firstShape.join(', ')}], the data key declares [${declared.join(', ')}]: written as read`,
        hint: "fix the device's data key shape",
      });
    } else {
      fit.shape = [planned.shape[0]];
      fit.encoding = 'json';
      fit.warnings.push({
        message: `${label}: readings do not share one shape (declared [${declared.join(', ')}]): each written as JSON text`,
        hint: 'ragged readings cannot form one array; fix the device or read single readings with `index`',
      });
    }
  }
  if (fractions > 0 && fit.encoding === undefined && INTEGRAL.has(fit.dtype)) {
    fit.dtype = 'float64';
    fit.warnings.push({
      message: `${label}: ${fractions} reading(s) are not integers (NaN, Infinity or a fraction): written as float64`,
      hint: 'the data key declares integers; fix the device or its data key',
    });
  }
  if (gaps > 0 && fit.encoding === undefined && INTEGRAL.has(fit.dtype)) {
    fit.dtype = 'float64';
    fit.warnings.push({
      message: `${label}: ${gaps} event(s) have no reading: written as float64 with NaN for the gaps`,
      hint: 'the field is not in every descriptor of the stream',
    });
  }
  return fit;
}
