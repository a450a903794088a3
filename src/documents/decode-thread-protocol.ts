/** Messages between JsonlDecodePool and its workers (decode-thread-worker.ts). */
import { NxlError } from '../errors.js';
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
 * more than parsing them did), and stay typed on the other side: the run's
 * columns keep them as they are (run/column.ts) and the writer copies them
 * into the file a block at a time.
 */
type PageColumn = unknown[] | Float64Array;

function toWire(values: PageColumn, transfer: ArrayBuffer[]): PageColumn {
  // A page the packer built has its typed columns already (buildTypedEventPage): they are moved as they are.
  if (values instanceof Float64Array) {
    transfer.push(values.buffer as ArrayBuffer);
    return values;
  }
  // A page read from the log may be invalid (its validation says so): what is not an array goes as it is.
  if (!Array.isArray(values)) return values;
  const n = values.length;
  for (let i = 0; i < n; i++) if (typeof values[i] !== 'number') return values;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = values[i] as number;
  transfer.push(packed.buffer);
  return packed;
}

/** The columns with each packed; rebuilt with own data properties, so that a field named "__proto__" stays a field. */
function packColumns<C extends PageColumn>(columns: Record<string, C>, transfer: ArrayBuffer[]): Record<string, C> {
  if (typeof columns !== 'object' || columns === null) return columns;
  return Object.fromEntries(Object.entries(columns).map(([key, values]) => [key, toWire(values, transfer) as C]));
}

/** Packs the pages of a batch for posting (in place); returns the buffers to transfer. */
export function pagesToWire(items: LogItem[]): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const item of items) {
    if (item.kind !== 'document' || item.name !== 'event_page') continue;
    const page = item.doc;
    if (page.seq_num !== undefined) page.seq_num = toWire(page.seq_num, transfer) as Float64Array;
    if (page.time !== undefined) page.time = toWire(page.time, transfer) as Float64Array;
    if (page.data !== undefined) page.data = packColumns(page.data, transfer);
    if (page.timestamps !== undefined) page.timestamps = packColumns(page.timestamps, transfer);
  }
  return transfer;
}

/** A decoding thread that failed (a bug: the log was not decoded), as the reader reports it. */
export function threadFailure(log: string, why: string): NxlError {
  return new NxlError(
    'INTERNAL',
    `a decoding thread failed while reading the log: ${why}`,
    { file: log },
    { hint: 'this is a bug in nxlayout: please report it; meanwhile `--decode-threads 0` reads logs without threads' },
  );
}
