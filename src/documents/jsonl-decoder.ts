import { diagnostic } from '../errors.js';
import { ByteQueue, decodeUtf8 } from './byte-queue.js';
import { parseJsonText } from './json-text.js';
import { problem, sourceLocation, toLogItem } from './document-shape.js';
import { jsonDepthExceeded, limitProblem, resolveLimits, TextDepthCheck, type DecodeLimits } from './limits.js';
import type { DocumentSource, LogItem } from './models.js';
import type { PushDecoder } from './push-decoder.js';

const NEWLINE = 0x0a;

/** True when bytes[start, end) hold only spaces, tabs and carriage returns. */
export function isBlankLine(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

/** Where a decoder starts in its log: lines and items before it, and the byte offset of its first byte. */
export interface JsonlStart {
  line: number;
  item: number;
  offset: number;
}

/**
 * One JSON value a line: suitcase-jsonl `["name", {...}]` or `{"name", "doc"}`.
 * A bad line is reported and skipped; the next line is read as usual. Blank
 * lines are skipped; `item` counts the non-blank lines, `line` counts all.
 */
export class JsonlDecoder implements PushDecoder {
  readonly format = 'jsonl' as const;
  readonly #log: string;
  readonly #queue: ByteQueue;
  /** How far into the queue we already know there is no newline. */
  #scanned = 0;
  #line: number;
  #item: number;
  readonly #limits: DecodeLimits;
  /** A line longer than the limit being skipped: where it started and how many bytes it had so far. */
  #skipping: { offset: number; bytes: number } | undefined;

  /** `start`: for a part of a log (a decoding thread's share), where that part begins. */
  constructor(log: string, start: JsonlStart = { line: 0, item: 0, offset: 0 }, limits?: Partial<DecodeLimits>) {
    this.#log = log;
    this.#line = start.line;
    this.#item = start.item;
    this.#queue = new ByteQueue(start.offset);
    this.#limits = resolveLimits(limits);
  }

  get pendingBytes(): number {
    return this.#queue.length;
  }

  push(chunk: Uint8Array): LogItem[] {
    const out: LogItem[] = [];
    this.#queue.append(chunk);
    if (this.#skipping === undefined) this.#asciiLines(out, chunk);
    for (;;) {
      const bytes = this.#queue.bytes;
      const nl = bytes.indexOf(NEWLINE, this.#scanned);
      if (this.#skipping !== undefined) {
        // The rest of a line past the limit: dropped as it comes, up to its newline.
        this.#skipping.bytes += nl < 0 ? bytes.length : nl;
        if (nl < 0) {
          this.#queue.consume(bytes.length);
          return out;
        }
        this.#line++;
        out.push(this.#tooLong());
        this.#queue.consume(nl + 1);
        continue;
      }
      if (nl < 0) {
        this.#scanned = bytes.length;
        if (bytes.length > this.#limits.maxLineBytes) {
          this.#skipping = { offset: this.#queue.offset, bytes: bytes.length };
          this.#queue.consume(bytes.length);
          this.#scanned = 0;
        }
        return out;
      }
      if (nl > this.#limits.maxLineBytes) {
        this.#skipping = { offset: this.#queue.offset, bytes: 0 };
        continue; // counted and reported by the skipping branch
      }
      this.#line++;
      const item = this.#decodeLine(bytes.subarray(0, nl), this.#queue.offset, false);
      if (item !== undefined) out.push(item);
      this.#queue.consume(nl + 1);
      this.#scanned = 0;
    }
  }

  /**
   * The fast path, for the complete lines queued when they are all ASCII (almost every log): one
   * decode for them all instead of one a line, lines cut and depth-checked in the string
   * (TextDepthCheck), byte offsets equal to character offsets. Anything else (a byte above 0x7f, a
   * line longer than the limit) is left to the line-by-line loop, which reads it exactly as before.
   */
  #asciiLines(out: LogItem[], chunk: Uint8Array): void {
    // The queue held no complete line before `chunk` (each push reads them all): a newline can only
    // be in it. Searched there alone, so a long line arriving in many chunks is not rescanned.
    const inChunk = chunk.lastIndexOf(NEWLINE);
    if (inChunk < 0) return;
    const bytes = this.#queue.bytes;
    const last = bytes.length - chunk.length + inChunk;
    if (last <= 0 || last > this.#limits.maxLineBytes) return;
    let text: string;
    try {
      text = decodeUtf8(bytes.subarray(0, last));
    } catch {
      return; // invalid UTF-8 somewhere: each line is decoded (and reported) on its own
    }
    // Valid UTF-8 gives one character per byte only when every byte is ASCII (a multi-byte sequence gives fewer).
    if (text.length !== last) return;
    const base = this.#queue.offset;
    const depth = new TextDepthCheck(text, this.#limits.maxDepth);
    let start = 0;
    while (start <= last) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = last;
      this.#line++;
      const item = this.#textLine(text, start, end, base, depth);
      if (item !== undefined) out.push(item);
      start = end + 1;
    }
    this.#queue.consume(last + 1);
    this.#scanned = 0;
  }

  #textLine(text: string, start: number, end: number, base: number, depth: TextDepthCheck): LogItem | undefined {
    let first = start;
    while (first < end && isBlankCode(text.charCodeAt(first))) first++;
    if (first === end) {
      depth.exceeded(start, end); // keeps its cursors in step
      return undefined;
    }
    this.#item++;
    const at: DocumentSource = { log: this.#log, item: this.#item, line: this.#line, offset: base + start };
    const deep = depth.exceeded(start, end);
    if (deep >= 0)
      return limitProblem('depth', `line ${this.#line}`, this.#limits, {
        ...sourceLocation(at),
        offset: base + start + deep,
      });
    let value: unknown;
    try {
      value = parseJsonText(text.slice(start, end));
    } catch (e) {
      return this.#notJson(e, at);
    }
    return toLogItem(value, at);
  }

  #notJson(e: unknown, at: DocumentSource): LogItem {
    const why = e instanceof Error ? e.message : String(e);
    return problem(
      diagnostic(
        'DOC_PARSE',
        'error',
        `line ${this.#line} is not JSON: ${why}`,
        sourceLocation(at),
        'each line of a jsonl log must be one JSON document; this line was skipped',
      ),
    );
  }

  end(): LogItem[] {
    if (this.#skipping !== undefined) {
      this.#line++;
      return [this.#tooLong()];
    }
    const bytes = this.#queue.bytes;
    if (bytes.length === 0) return [];
    this.#line++;
    // A last line without its newline is complete when it parses: many writers omit the final newline.
    const item = this.#decodeLine(bytes, this.#queue.offset, true);
    this.#queue.consume(bytes.length);
    return item === undefined ? [] : [item];
  }

  #tooLong(): LogItem {
    const skipped = this.#skipping!;
    this.#skipping = undefined;
    this.#scanned = 0;
    this.#item++;
    return limitProblem(
      'bytes',
      `line ${this.#line}`,
      this.#limits,
      { file: this.#log, item: this.#item, line: this.#line, offset: skipped.offset },
      skipped.bytes,
    );
  }

  #decodeLine(bytes: Uint8Array, offset: number, last: boolean): LogItem | undefined {
    if (isBlankLine(bytes)) return undefined;
    this.#item++;
    const at: DocumentSource = { log: this.#log, item: this.#item, line: this.#line, offset };
    const deep = jsonDepthExceeded(bytes, this.#limits.maxDepth);
    if (deep >= 0)
      return limitProblem('depth', `line ${this.#line}`, this.#limits, {
        ...sourceLocation(at),
        offset: offset + deep,
      });
    let value: unknown;
    try {
      value = parseJsonText(decodeUtf8(bytes));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      if (last) {
        return problem(
          diagnostic(
            'DOC_TRUNCATED',
            'error',
            `the last line is incomplete (${bytes.length} bytes, ${why})`,
            sourceLocation(at),
            'the log ends in the middle of a document: was it copied while still being written?',
          ),
        );
      }
      return this.#notJson(e, at);
    }
    return toLogItem(value, at);
  }
}

function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}
