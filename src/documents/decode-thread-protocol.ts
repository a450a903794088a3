/** Messages between JsonlDecodePool and its workers (decode-thread-worker.ts). */
import type { JsonlStart } from './jsonl-decoder.js';
import type { DecodeLimits } from './limits.js';
import type { LogItem } from './models.js';

/** Most events in one page. */
export const PAGE_EVENTS = 1024;

/** A part of a jsonl log, cut at a newline, to decode as if the log had been read up to `start`. */
export interface ChunkJob {
  seq: number;
  log: string;
  bytes: Uint8Array;
  start: JsonlStart;
  /** The log's last part: its last line may lack its newline (or be cut short). */
  final: boolean;
  limits: DecodeLimits;
  /** Instead of bytes: one line longer than `limits.maxLineBytes` (this many bytes), skipped unread at `start`. */
  tooLong?: number;
}

export type ChunkResult =
  | { seq: number; items: LogItem[] }
  /** The worker itself failed (a bug): the part was not decoded. */
  | { seq: number; failed: string };

/**
 * A page's all-number columns cross the thread boundary as Float64Arrays in a
 * transfer list (moved, not copied: cloning a million numbers one by one costs
 * more than parsing them did); the reader turns them back into arrays.
 */
type WireColumn = unknown[] | Float64Array;

function toWire(values: unknown[], transfer: ArrayBuffer[]): WireColumn {
  // A page read from the log may be invalid (its validation says so): what is not an array goes as it is.
  if (!Array.isArray(values)) return values;
  const n = values.length;
  for (let i = 0; i < n; i++) if (typeof values[i] !== 'number') return values;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = values[i] as number;
  transfer.push(packed.buffer);
  return packed;
}

function fromWire<T>(column: unknown): T[] {
  if (!(column instanceof Float64Array)) return column as T[];
  const n = column.length;
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = column[i];
  return values as T[];
}

/** The columns with each mapped; rebuilt with own data properties, so that a field named "__proto__" stays a field. */
function mapColumns<T>(columns: Record<string, T[]>, map: (values: T[]) => T[]): Record<string, T[]> {
  if (typeof columns !== 'object' || columns === null) return columns;
  return Object.fromEntries(Object.entries(columns).map(([key, values]) => [key, map(values)]));
}

/** Maps every column of every page of a batch (in place); what a page lacks stays absent. */
function mapPages(items: LogItem[], map: <T>(values: T[]) => T[]): void {
  for (const item of items) {
    if (item.kind !== 'document' || item.name !== 'event_page') continue;
    const page = item.doc;
    if (page.seq_num !== undefined) page.seq_num = map(page.seq_num);
    if (page.time !== undefined) page.time = map(page.time);
    if (page.data !== undefined) page.data = mapColumns(page.data, map);
    if (page.timestamps !== undefined) page.timestamps = mapColumns(page.timestamps, map);
  }
}

/** Packs the pages of a batch for posting (in place); returns the buffers to transfer. */
export function pagesToWire(items: LogItem[]): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  mapPages(items, <T>(values: T[]): T[] => toWire(values, transfer) as T[]);
  return transfer;
}

/** Undoes pagesToWire on a received batch (in place). */
export function pagesFromWire(items: LogItem[]): void {
  mapPages(items, fromWire);
}
