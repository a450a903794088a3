/**
 * Columns of event data: append one reading or a page of readings, keep
 * first/last and running stats, and hand pending rows to a writer.
 *
 * Appending is the hot path (one call per field per event), so these are
 * plain loops over plain arrays, with no per-row allocation.
 */
import type { DataKey } from '../documents/models.js';
import type { Column, ColumnKey, ColumnStats } from './models.js';

/** A column as the accumulator holds it: only run/ appends to it and lets its rows go. */
export type MutableColumn = Omit<{ -readonly [K in keyof Column]: Column[K] }, 'rows' | 'stats'> & {
  rows: unknown[];
  stats?: ColumnStats;
};

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

export function appendOne(column: MutableColumn, value: unknown): void {
  if (column.length === 0) column.first = value;
  column.last = value;
  column.length++;
  column.rows.push(value);
  if (column.stats !== undefined) addStat(column.stats, value);
}

/** Appends a page of readings (an event_page's column array) as rows. */
export function appendMany(column: MutableColumn, values: readonly unknown[]): void {
  const n = values.length;
  if (n === 0) return;
  if (column.length === 0) column.first = values[0];
  column.last = values[n - 1];
  column.length += n;
  const rows = column.rows;
  for (let i = 0; i < n; i++) rows.push(values[i]);
  const stats = column.stats;
  if (stats !== undefined) for (let i = 0; i < n; i++) addStat(stats, values[i]);
}

/** Appends `n` copies of `value` (`undefined` pads a reading an event lacks). */
export function appendFill(column: MutableColumn, value: unknown, n: number): void {
  if (n <= 0) return;
  if (column.length === 0) column.first = value;
  column.last = value;
  column.length += n;
  const rows = column.rows;
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
  column.rows = n >= column.rows.length ? [] : column.rows.slice(n);
  column.offset += n;
}

/** Row `i` of a column, when still held (undefined when released, or out of range). */
export function columnRow(column: Column, i: number): unknown {
  const k = i - column.offset;
  return k >= 0 && k < column.rows.length ? column.rows[k] : undefined;
}
