/** Messages between LogThread (log-thread.ts) and its worker (log-thread-worker.ts). */
import type { ErrorCode, Location } from '../errors.js';
import type { DecodeLimits } from './limits.js';
import type { LogItem } from './models.js';

/** What the worker is started with (its workerData). */
export interface LogThreadStart {
  log: string;
  limits: DecodeLimits;
  /** Most log bytes decoded ahead of what the reader has taken. */
  aheadBytes: number;
}

/** Worker → reader. */
export type LogThreadMessage =
  /** Items decoded (pages' number columns moved as Float64Arrays); `upTo`: log bytes they cover. */
  | { kind: 'items'; items: LogItem[]; upTo: number }
  | { kind: 'end' }
  /** The read failed with an NxlError (rebuilt on the reader's side) or anything else (`code` absent). */
  | { kind: 'failed'; message: string; stack?: string; code?: ErrorCode; location?: Location; hint?: string };

/** Reader → worker: the reader took the items up to `upTo` log bytes. */
export interface LogThreadAck {
  taken: number;
}
