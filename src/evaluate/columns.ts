/** Streams and columns of a run: finding them, reading one row, describing a whole column. */
import type { DataKey } from '../documents/models.js';
import { NxlError } from '../errors.js';
import type { ColumnPart, ReadingIndex } from '../layout/models.js';
import type { Column, Stream } from '../run/models.js';
import { dtypeFromDataKey } from './dtype.js';
import { listHint, type EvalEnv } from './env.js';
import type { ColumnSummary, DType } from './models.js';

export function getStream(env: EvalEnv, name: string): Stream {
  const stream = env.run.streams.get(name);
  if (stream === undefined) {
    throw new NxlError(
      'EVAL_STREAM_MISSING',
      `stream ${JSON.stringify(name)} is not in the run`,
      { stream: name },
      {
        hint: listHint('streams present', [...env.run.streams.keys()]),
      },
    );
  }
  return stream;
}

export function getDataKey(stream: Stream, field: string): DataKey {
  const dk = stream.dataKeys[field];
  if (dk === undefined) {
    throw new NxlError(
      'EVAL_FIELD_MISSING',
      `field ${JSON.stringify(field)} is not in stream ${stream.name}`,
      { stream: stream.name, field },
      {
        hint: listHint(`fields of ${stream.name}`, Object.keys(stream.dataKeys)),
      },
    );
  }
  return dk;
}

/** The column of `part` (values/timestamps of `field`, or the stream's time/seq_num); undefined before any event. */
export function selectColumn(stream: Stream, part: ColumnPart, field: string): Column | undefined {
  switch (part) {
    case 'time':
      return stream.time;
    case 'seq_num':
      return stream.seqNum;
    case 'values':
      return stream.fields.get(field)?.values;
    case 'timestamps':
      return stream.fields.get(field)?.timestamps;
  }
}

function firstValue(column: Column | undefined): unknown {
  if (column === undefined || column.length === 0) return undefined;
  return column.first ?? (column.offset === 0 ? column.rows[0] : undefined);
}

/** Element type and full shape [n_events, ...row shape] of a whole column. */
export function describeColumn(
  stream: Stream,
  part: ColumnPart,
  field: string,
): { dtype: DType; shape: number[]; dataKey?: DataKey } {
  if (part === 'time' || part === 'timestamps') return { dtype: 'float64', shape: [stream.length] };
  if (part === 'seq_num') return { dtype: 'int64', shape: [stream.length] };
  const dataKey = getDataKey(stream, field);
  const sample = firstValue(selectColumn(stream, part, field));
  return { dtype: dtypeFromDataKey(dataKey, sample), shape: [stream.length, ...rowShape(dataKey, sample)], dataKey };
}

/** The data key's shape; a variable (null) dimension takes its size from the first reading. */
function rowShape(dataKey: DataKey, sample: unknown): number[] {
  const declared = Array.isArray(dataKey.shape) ? dataKey.shape : [];
  const actual: number[] = [];
  let at: unknown = sample;
  for (let i = 0; i < declared.length; i++) {
    actual.push(Array.isArray(at) ? at.length : 0);
    at = Array.isArray(at) ? at[0] : undefined;
  }
  return declared.map((d, i) => (typeof d === 'number' ? d : (actual[i] ?? 0)));
}

/** Row number of `index` in a column of `length` rows (negative counts from the end). */
function rowNumber(index: ReadingIndex, length: number): number {
  if (index === 'first') return 0;
  if (index === 'last') return length - 1;
  return index < 0 ? length + index : index;
}

/**
 * One reading. Rows drained by the writer (offset > 0) are gone, but the
 * first and last readings are kept; anything else must still be in `rows`.
 */
export function readRow(
  column: Column | undefined,
  index: ReadingIndex,
  where: { stream: string; field: string },
): unknown {
  const length = column?.length ?? 0;
  const i = rowNumber(index, length);
  if (column === undefined || i < 0 || i >= length) {
    throw new NxlError(
      'EVAL_INDEX_MISSING',
      `reading ${JSON.stringify(index)} of ${where.stream}/${where.field} does not exist`,
      where,
      {
        hint: `the stream has ${length} event(s)${length > 0 ? `: valid indices 0..${length - 1} or -${length}..-1` : ''}`,
      },
    );
  }
  const r = i - column.offset;
  let value: unknown;
  if (r >= 0 && r < column.rows.length) value = column.rows[r];
  else if (i === 0 && column.first !== undefined) value = column.first;
  else if (i === length - 1 && column.last !== undefined) value = column.last;
  else throw drained(column, i, where);
  if (value === undefined || value === null) {
    // row i is event i of the stream; an event whose descriptor lacks the field has no reading
    throw new NxlError('EVAL_INDEX_MISSING', `event ${i} of ${where.stream} has no reading of ${where.field}`, where, {
      hint: 'the field is not in every descriptor of the stream: pick another index, or mark the node optional',
    });
  }
  return value;
}

function drained(column: Column, i: number, where: { stream: string; field: string }): NxlError {
  return new NxlError(
    'EVAL_INDEX_MISSING',
    `reading ${i} of ${where.stream}/${where.field} was already written out and is no longer held`,
    where,
    {
      hint:
        column.rows.length > 0
          ? `rows held: ${column.offset}..${column.offset + column.rows.length - 1}, plus the first and last`
          : 'only the first and last readings are held',
    },
  );
}

/** A column as a calculation argument: its rows when all are held, else a summary for reductions. */
export function columnArgument(
  column: Column | undefined,
  stream: string,
  field: string,
): readonly unknown[] | ColumnSummary {
  if (column === undefined) return [];
  // A calculation gets an array (a typed column's numbers are copied: calculations are made at the stop only).
  if (column.offset === 0 && column.rows.length === column.length)
    return column.rows instanceof Float64Array ? Array.from(column.rows) : column.rows;
  const summary: { -readonly [K in keyof ColumnSummary]: ColumnSummary[K] } = {
    kind: 'column-summary',
    stream,
    field,
    length: column.length,
  };
  if (column.first !== undefined) summary.first = column.first;
  if (column.last !== undefined) summary.last = column.last;
  if (column.stats !== undefined) summary.stats = { ...column.stats };
  return summary;
}
