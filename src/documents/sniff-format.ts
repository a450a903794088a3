import type { LogFormat } from './models.js';

/**
 * What the first bytes of a log say about its format. Recognition is by
 * content, never by file name: spool directories hold whatever the writer
 * chose to call its files.
 */
export type Sniffed =
  | { kind: 'format'; format: LogFormat }
  | { kind: 'gzip' }
  /** Only whitespace (or `[` and whitespace) so far: more bytes decide. */
  | { kind: 'undecided' }
  | { kind: 'unknown'; firstByte: number };

const GZIP_MAGIC = [0x1f, 0x8b] as const;
// A [name, doc] pair as msgpack: fixarray of 2, or the array16/array32 headers.
const MSGPACK_ARRAY_HEADS = new Set([0x92, 0xdc, 0xdd]);

function isJsonWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Index of the first byte that is not JSON whitespace (or a UTF-8 BOM), from `from`. */
function skipWhitespace(head: Uint8Array, from: number): number {
  let i = from;
  if (i === 0 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) i = 3;
  while (i < head.length && isJsonWhitespace(head[i])) i++;
  return i;
}

/**
 * Decide the format from the first bytes of a (decompressed or raw) stream.
 * `atEnd` says no more bytes will come, so an undecided head is final.
 */
export function sniffFormat(head: Uint8Array, atEnd = false): Sniffed {
  if (head.length >= 1 && head[0] === GZIP_MAGIC[0]) {
    if (head.length < 2 && !atEnd) return { kind: 'undecided' };
    if (head[1] === GZIP_MAGIC[1]) return { kind: 'gzip' };
  }
  if (head.length >= 1 && MSGPACK_ARRAY_HEADS.has(head[0])) return { kind: 'format', format: 'msgpack' };

  const first = skipWhitespace(head, 0);
  if (first >= head.length) return { kind: 'undecided' };
  const c = head[first];
  if (c === 0x7b /* { */) return { kind: 'format', format: 'jsonl' };
  if (c !== 0x5b /* [ */) return { kind: 'unknown', firstByte: c };

  const second = skipWhitespace(head, first + 1);
  if (second >= head.length) return atEnd ? { kind: 'unknown', firstByte: c } : { kind: 'undecided' };
  const d = head[second];
  // suitcase-jsonl: every line is `["name", {...}]`, so a string comes right after the `[`.
  if (d === 0x22 /* " */) return { kind: 'format', format: 'jsonl' };
  // `]`: an empty array, decoded as such (and then reported as an empty log).
  if (d === 0x5b || d === 0x7b || d === 0x5d) return { kind: 'format', format: 'json-array' };
  return { kind: 'unknown', firstByte: c };
}
