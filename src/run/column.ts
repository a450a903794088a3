/**
 * Columns of event data: append one reading or a page of readings, keep
 * first/last and running stats, and hand pending rows to a writer.
 *
 * Appending is the hot path (one call per field per event), so these are
 * plain loops over plain arrays, with no per-row allocation. A page whose
 * column came typed (a Float64Array from a decoding thread) is kept typed:
 * copied into the column's own growing Float64Array, `rows` a view of it,
 * and written out as it is. The first append of anything else (a single
 * event's reading, a missing reading) turns the column into a plain array
 * for good.
 */
import type { DataKey } from '../documents/models.js';
import type { Column, ColumnKey, ColumnStats } from './models.js';

/** A column as the accumulator holds it: only run/ appends to it and lets its rows go. */
export type MutableColumn = Omit<{ -readonly [K in keyof Column]: Column[K] }, 'rows' | 'stats'> & {
  rows: unknown[] | Float64Array;
  /** The typed rows' storage (`rows` is its first rows); undefined while rows are a plain array. */
  store: Float64Array | undefined;
  stats?: ColumnStats;
};

/** Rows a typed column first makes room for. */
const TYPED_MIN_ROWS = 1024;

/** The part of a stream a column holds (layout's ColumnPart, restated: run/ does not import layout/). */
export type ColumnPartName = 'values' | 'timestamps' | 'time' | 'seq_num';

/** One key per run column: a stream's time and seq_num columns are the same whatever field names them. */
export function columnKeyOf(stream: string, field: string, part: ColumnPartName): ColumnKey {
  return `${stream}\u0000${part === 'time' || part === 'seq_num' ? '' : field}\u0000${part}`;
}

/** Data keys whose readings are single numbers keep running stats. */
export function isNumericScalar(dataKey: DataKey | undefined): boolean {
  if (dataKey === undefined) return false;
  if (dataKey.dtype !== 'number' && dataKey.dtype !== 'integer') return false;
  return !Array.isArray(dataKey.shape) || dataKey.shape.length === 0;
}

export function newColumn(name: string, options: { dataKey?: DataKey; stats: boolean }): MutableColumn {
  // One object shape for every column (same keys, same order) keeps the append path monomorphic.
  return {
    name,
    dataKey: options.dataKey,
    length: 0,
    offset: 0,
    rows: [],
    store: undefined,
    first: undefined,
    last: undefined,
    stats: options.stats ? { count: 0, min: Infinity, max: -Infinity, sum: 0 } : undefined,
  };
}

function addStat(stats: ColumnStats, value: unknown): void {
  // NaN and non-numbers (a missing reading) would poison min/max/sum.
  if (typeof value !== 'number' || Number.isNaN(value)) return;
  stats.count++;
  if (value < stats.min) stats.min = value;
  if (value > stats.max) stats.max = value;
  stats.sum += value;
}

/** The column's rows as a plain array from now on (a typed column is copied once). */
function plainRows(column: MutableColumn): unknown[] {
  if (column.store !== undefined) {
    column.rows = Array.from(column.rows);
    column.store = undefined;
  }
  return column.rows as unknown[];
}

export function appendOne(column: MutableColumn, value: unknown): void {
  const rows = column.store === undefined ? (column.rows as unknown[]) : plainRows(column);
  if (column.length === 0) column.first = value;
  column.last = value;
  column.length++;
  rows.push(value);
  if (column.stats !== undefined) addStat(column.stats, value);
}

/** Appends a page of readings (an event_page's column array, or its typed column) as rows. */
export function appendMany(column: MutableColumn, values: ArrayLike<unknown>): void {
  const n = values.length;
  if (n === 0) return;
  if (column.length === 0) column.first = values[0];
  column.last = values[n - 1];
  column.length += n;
  if (values instanceof Float64Array && (column.store !== undefined || column.rows.length === 0)) {
    appendTyped(column, values);
    return;
  }
  const rows = plainRows(column);
  for (let i = 0; i < n; i++) rows.push(values[i]);
  const stats = column.stats;
  if (stats !== undefined) for (let i = 0; i < n; i++) addStat(stats, values[i]);
}

function appendTyped(column: MutableColumn, values: Float64Array): void {
  const held = column.rows.length;
  const n = values.length;
  let store = column.store;
  if (store === undefined || store.length < held + n) {
    // Grown by half again (as V8 grows an array): a column kept whole to the end is not held at twice its size.
    const grown = new Float64Array(Math.max(TYPED_MIN_ROWS, held + n + ((held + n) >> 1)));
    if (store !== undefined) grown.set(store.subarray(0, held));
    store = grown;
    column.store = store;
  }
  store.set(values, held);
  column.rows = store.subarray(0, held + n);
  const stats = column.stats;
  if (stats === undefined) return;
  let { count, min, max, sum } = stats;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  stats.count = count;
  stats.min = min;
  stats.max = max;
  stats.sum = sum;
}

/** Appends `n` copies of `value` (`undefined` pads a reading an event lacks). */
export function appendFill(column: MutableColumn, value: unknown, n: number): void {
  if (n <= 0) return;
  const rows = plainRows(column);
  if (column.length === 0) column.first = value;
  column.last = value;
  column.length += n;
  for (let i = 0; i < n; i++) rows.push(value);
  if (column.stats !== undefined) for (let i = 0; i < n; i++) addStat(column.stats, value);
}

/**
 * Lets the rows before row `upTo` go (all held rows when `upTo` is the
 * length): afterwards `offset` is `upTo`; first, last and stats stay. Called
 * by the accumulator's row release only (row-release.ts), never by a writer.
 */
export function letRowsGo(column: MutableColumn, upTo: number): void {
  const n = Math.min(upTo, column.length) - column.offset;
  if (n <= 0) return;
  if (column.store !== undefined) {
    // The rows kept move to the front of the storage: it does not grow with the rows let go.
    const kept = column.rows.length - n;
    column.store.copyWithin(0, n, column.rows.length);
    column.rows = column.store.subarray(0, Math.max(0, kept));
  } else {
    column.rows = n >= column.rows.length ? [] : (column.rows as unknown[]).slice(n);
  }
  column.offset += n;
}

/** Row `i` of a column, when still held (undefined when released, or out of range). */
export function columnRow(column: Column, i: number): unknown {
  const k = i - column.offset;
  return k >= 0 && k < column.rows.length ? column.rows[k] : undefined;
}
