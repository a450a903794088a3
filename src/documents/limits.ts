/**
 * Limits on one document of a log, so that hostile or broken input (a 4 GiB line behind a
 * 4 MB gzip, JSON nested 100,000 levels deep) is one located error and not a crash:
 * - `maxLineBytes`: the bytes of one document (a jsonl line, a JSON-array element, a
 *   msgpack item). Enforced while reading: the bytes past the limit are never held; the
 *   reader skips to the document's end (the next newline) and goes on.
 * - `maxDepth`: nesting of arrays and objects in one document. Checked on the bytes before
 *   parsing (a bracket scan that skips strings), so nothing deep reaches the recursive code
 *   that follows parsing (validation, writing, cloning to the main thread).
 *
 * - `maxDocuments`: documents in one run, checked by RunDocumentLimit (run-limit.ts) where runs
 *   are assembled from logs.
 *
 * The decoders call these functions and build the problem with `limitProblem`; the CLI's
 * `--max-line-bytes`, `--max-depth` and `--max-documents` raise them.
 */
import { diagnostic, type Location } from '../errors.js';
import { problem } from './document-shape.js';
import type { LogItem } from './models.js';

export interface DecodeLimits {
  /** Most bytes in one document (a line, an array element, a msgpack item). */
  maxLineBytes: number;
  /** Most levels of nested arrays and objects in one document. */
  maxDepth: number;
  /** Most documents in one run, events and datums counted one by one (run-limit.ts). */
  maxDocuments: number;
}

export const DEFAULT_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxLineBytes: 64 * 1024 * 1024,
  maxDepth: 100,
  maxDocuments: 10_000_000,
});

let processDefaults: DecodeLimits = { ...DEFAULT_LIMITS };

/**
 * Sets the limits used where none are passed (the daemon's log tails): the CLI calls this
 * once with its options. Returns the limits in force.
 */
export function setDefaultLimits(limits: Partial<DecodeLimits>): DecodeLimits {
  processDefaults = resolveLimits(limits, DEFAULT_LIMITS);
  return processDefaults;
}

/** `limits` completed with the defaults in force. */
export function resolveLimits(
  limits: Partial<DecodeLimits> | undefined,
  defaults: DecodeLimits = processDefaults,
): DecodeLimits {
  return {
    maxLineBytes: limits?.maxLineBytes ?? defaults.maxLineBytes,
    maxDepth: limits?.maxDepth ?? defaults.maxDepth,
    maxDocuments: limits?.maxDocuments ?? defaults.maxDocuments,
  };
}

const QUOTE = 0x22,
  BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b,
  CLOSE_ARRAY = 0x5d,
  OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d;

/**
 * The offset (from `start`) of the first bracket that nests deeper than `maxDepth` in the JSON
 * text bytes[start, end), or -1. Brackets inside strings do not count; invalid JSON is left to
 * the parser.
 */
export function jsonDepthExceeded(bytes: Uint8Array, maxDepth: number, start = 0, end = bytes.length): number {
  // Fast path: nesting deeper than maxDepth needs more than maxDepth opening brackets, and most
  // documents have a handful; counted by native searches, without looking at every byte.
  if (openingBrackets(bytes, start, end, maxDepth) <= maxDepth) return -1;
  let depth = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b === QUOTE) {
      // To the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        const q = bytes.indexOf(QUOTE, i + 1);
        if (q < 0 || q >= end) return -1;
        let k = q - 1;
        while (k > i && bytes[k] === BACKSLASH) k--;
        i = q;
        if ((q - 1 - k) % 2 === 0) break;
      }
    } else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > maxDepth) return i - start;
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
      depth--;
    }
  }
  return -1;
}

/**
 * jsonDepthExceeded for the lines of one ASCII text, called line by line in order: it keeps where the
 * next `{` and `[` are, so each character of the text is searched once whatever the number of lines
 * (instead of two scans of every line), with String#indexOf. A line of at most `maxDepth`
 * characters cannot nest deeper and costs nothing beyond moving the cursors past it.
 */
export class TextDepthCheck {
  readonly #text: string;
  readonly #maxDepth: number;
  #nextObject = -1;
  #nextArray = -1;

  constructor(text: string, maxDepth: number) {
    this.#text = text;
    this.#maxDepth = maxDepth;
  }

  /** The offset (from `start`) of the first bracket deeper than the limit in text[start, end), or -1. Lines in order. */
  exceeded(start: number, end: number): number {
    const text = this.#text;
    let n = 0;
    if (this.#nextObject < start && this.#nextObject !== -2) this.#nextObject = text.indexOf('{', start);
    while (this.#nextObject >= 0 && this.#nextObject < end) {
      n++;
      this.#nextObject = text.indexOf('{', this.#nextObject + 1);
    }
    if (this.#nextObject < 0) this.#nextObject = -2; // none left in the text
    if (this.#nextArray < start && this.#nextArray !== -2) this.#nextArray = text.indexOf('[', start);
    while (this.#nextArray >= 0 && this.#nextArray < end) {
      n++;
      this.#nextArray = text.indexOf('[', this.#nextArray + 1);
    }
    if (this.#nextArray < 0) this.#nextArray = -2;
    if (n <= this.#maxDepth) return -1;
    // Rare (a line with more brackets than the limit): the exact scan, strings skipped.
    const bytes = new Uint8Array(end - start);
    for (let i = 0; i < bytes.length; i++) bytes[i] = text.charCodeAt(start + i);
    return jsonDepthExceeded(bytes, this.#maxDepth);
  }
}

/** Opening brackets in bytes[start, end), counted up to `atMost + 1` (strings included: an upper bound). */
function openingBrackets(bytes: Uint8Array, start: number, end: number, atMost: number): number {
  let n = 0;
  for (const open of [OPEN_ARRAY, OPEN_OBJECT]) {
    for (let i = bytes.indexOf(open, start); i >= 0 && i < end; i = bytes.indexOf(open, i + 1)) {
      if (++n > atMost) return n;
    }
  }
  return n;
}

/** The problem for a document past a limit: where it starts, which limit, and how to raise it. */
export function limitProblem(
  kind: 'bytes' | 'depth',
  what: string,
  limits: DecodeLimits,
  location: Location,
  size?: number,
): LogItem {
  if (kind === 'bytes') {
    const seen = size === undefined ? 'more than' : `${size} bytes, more than`;
    return problem(
      diagnostic(
        'DOC_LIMIT',
        'error',
        `${what} is too long (${seen} the limit of ${limits.maxLineBytes} bytes per document); it was skipped, the rest of the log is read`,
        location,
        'a document this large is most likely corrupt; if it is genuine, raise the limit with --max-line-bytes',
      ),
    );
  }
  return problem(
    diagnostic(
      'DOC_LIMIT',
      'error',
      `${what} nests arrays and objects more than ${limits.maxDepth} levels deep; it was skipped, the rest of the log is read`,
      location,
      'Bluesky documents nest a few levels; if this one is genuine, raise the limit with --max-depth',
    ),
  );
}
