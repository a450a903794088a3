import type { LogFormat, LogItem } from './models.js';

/**
 * A decoder fed by whoever has the bytes (a file stream, a tail poll, a
 * test): `push` returns the items completed by the chunk, `end` says no more
 * bytes come and reports what is left over. Offsets count decompressed bytes.
 */
export interface PushDecoder {
  readonly format: LogFormat | undefined;
  push(chunk: Uint8Array): LogItem[];
  end(): LogItem[];
  /** Bytes held for an item that is not complete yet. */
  readonly pendingBytes: number;
}
