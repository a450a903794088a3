import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../errors.js';
import { ByteQueue, decodeUtf8 } from './byte-queue.js';
import { parseJsonText } from './json-text.js';
import { problem, toLogItem } from './document-shape.js';
import { limitProblem, resolveLimits, type DecodeLimits } from './limits.js';
import type { DocumentSource, LogItem } from './models.js';
import type { PushDecoder } from './push-decoder.js';

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  COMMA = 0x2c,
  NL = 0x0a;
const OPEN_ARRAY = 0x5b,
  CLOSE_ARRAY = 0x5d,
  OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d;

type Phase = 'open' | 'between' | 'item' | 'closed' | 'failed';

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09;
}

/**
 * A JSON array of documents, decoded one element at a time: a scanner finds
 * each element's end at depth 1 (outside strings), and only that element is
 * JSON.parse'd, so a large array never has to be held whole. An element that
 * does not parse is reported and skipped; a broken array structure stops it.
 */
export class JsonArrayDecoder implements PushDecoder {
  readonly format = 'json-array' as const;
  readonly #log: string;
  readonly #queue = new ByteQueue();
  #phase: Phase = 'open';
  #expectItem = false;
  #first = true;
  #pos = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #scalar = false;
  #itemStart = 0;
  #itemLine = 0;
  #line = 1;
  #item = 0;
  readonly #limits: DecodeLimits;
  /** The current element passed a limit: its bytes are no longer kept, it is reported at its end. */
  #overLimit: 'bytes' | 'depth' | undefined;
  #itemOffset = 0;
  #itemBytes = 0;

  constructor(log: string, limits?: Partial<DecodeLimits>) {
    this.#log = log;
    this.#limits = resolveLimits(limits);
  }

  get pendingBytes(): number {
    return this.#phase === 'item' ? this.#queue.length : 0;
  }

  push(chunk: Uint8Array): LogItem[] {
    const out: LogItem[] = [];
    this.#queue.append(chunk);
    const bytes = this.#queue.bytes;
    const n = bytes.length;
    for (let i = this.#pos; i < n; i++) {
      const b = bytes[i];
      if (b === NL) this.#line++;
      if (this.#phase === 'item') {
        if (this.#inString) {
          if (this.#escaped) this.#escaped = false;
          else if (b === BACKSLASH) this.#escaped = true;
          else if (b === QUOTE) {
            this.#inString = false;
            if (this.#scalar && this.#depth === 0) this.#emit(bytes, i + 1, out);
          }
        } else if (b === QUOTE) this.#inString = true;
        else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
          if (++this.#depth > this.#limits.maxDepth) this.#overLimit ??= 'depth';
        } else if ((b === CLOSE_ARRAY || b === CLOSE_OBJECT) && this.#depth > 0) {
          if (--this.#depth === 0) this.#emit(bytes, i + 1, out);
        } else if ((b === COMMA || b === CLOSE_ARRAY) && this.#depth === 0) {
          // A bare scalar ends at the separator, which is then read as one.
          this.#emit(bytes, i, out);
          i--;
        }
        continue;
      }
      if (isWhitespace(b) || this.#phase === 'failed') continue;
      if (this.#phase === 'open') {
        if (i + this.#queue.offset < 3 && (b === 0xef || b === 0xbb || b === 0xbf)) continue; // UTF-8 BOM
        if (b === OPEN_ARRAY) {
          this.#phase = 'between';
          this.#expectItem = true;
        } else this.#fail(out, i, `expected "[" but found ${JSON.stringify(String.fromCharCode(b))}`);
      } else if (this.#phase === 'between') {
        if (b === COMMA && !this.#expectItem) this.#expectItem = true;
        else if (b === CLOSE_ARRAY && (!this.#expectItem || this.#first)) this.#phase = 'closed';
        else if (this.#expectItem && b !== COMMA && b !== CLOSE_ARRAY && b !== CLOSE_OBJECT) this.#startItem(b, i);
        else this.#fail(out, i, `unexpected ${JSON.stringify(String.fromCharCode(b))} between array elements`);
      } else {
        this.#fail(out, i, 'data after the end of the array');
      }
    }
    // Keep only the bytes of an unfinished element (none once it passed a limit).
    if (this.#phase === 'item') {
      if (this.#overLimit === undefined && n - this.#itemStart > this.#limits.maxLineBytes) this.#overLimit = 'bytes';
      if (this.#overLimit !== undefined) {
        this.#itemBytes += n - this.#itemStart;
        this.#itemStart = n;
      }
    }
    const keep = this.#phase === 'item' ? this.#itemStart : n;
    this.#queue.consume(keep);
    this.#itemStart -= keep;
    this.#pos = n - keep;
    return out;
  }

  end(): LogItem[] {
    const offset = this.#queue.offset;
    if (this.#phase === 'item') {
      return [
        problem(
          diagnostic(
            'DOC_TRUNCATED',
            'error',
            `element ${this.#item + 1} is incomplete: the log ends inside it`,
            { file: this.#log, item: this.#item + 1, line: this.#itemLine, offset },
            'the log ends in the middle of a document: was it copied while still being written?',
          ),
        ),
      ];
    }
    if (this.#phase === 'open' || this.#phase === 'between') {
      return [
        problem(
          diagnostic(
            'DOC_TRUNCATED',
            'error',
            'the JSON array is not closed: the log ends without "]"',
            { file: this.#log, line: this.#line, offset: offset + this.#pos },
            'the log may have been copied while still being written',
          ),
        ),
      ];
    }
    return [];
  }

  #startItem(b: number, i: number): void {
    this.#phase = 'item';
    this.#expectItem = false;
    this.#first = false;
    this.#itemStart = i;
    this.#itemLine = this.#line;
    this.#itemOffset = this.#queue.offset + i;
    this.#itemBytes = 0;
    this.#overLimit = undefined;
    this.#inString = b === QUOTE;
    this.#escaped = false;
    this.#scalar = b !== OPEN_ARRAY && b !== OPEN_OBJECT;
    this.#depth = this.#scalar ? 0 : 1;
  }

  #emit(bytes: Uint8Array, end: number, out: LogItem[]): void {
    this.#phase = 'between';
    this.#item++;
    const at: DocumentSource = { log: this.#log, item: this.#item, line: this.#itemLine, offset: this.#itemOffset };
    if (this.#overLimit !== undefined) {
      const kind = this.#overLimit;
      this.#overLimit = undefined;
      out.push(
        limitProblem(
          kind,
          `element ${this.#item}`,
          this.#limits,
          { file: at.log, item: at.item, line: at.line, offset: at.offset },
          kind === 'bytes' ? this.#itemBytes + end - this.#itemStart : undefined,
        ),
      );
      return;
    }
    let value: unknown;
    try {
      value = parseJsonText(decodeUtf8(bytes.subarray(this.#itemStart, end)));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      out.push(
        problem(
          diagnostic(
            'DOC_PARSE',
            'error',
            `element ${this.#item} is not valid JSON: ${why}`,
            { file: at.log, item: at.item, line: at.line, offset: at.offset },
            'this element was skipped; fix or remove it',
          ),
        ),
      );
      return;
    }
    out.push(toLogItem(value, at));
  }

  #fail(out: LogItem[], i: number, message: string): void {
    this.#phase = 'failed';
    const d: Diagnostic = diagnostic(
      'DOC_PARSE',
      'error',
      `not a JSON array of documents: ${message}`,
      { file: this.#log, line: this.#line, offset: this.#queue.offset + i },
      'a JSON log must be one array of [name, document] pairs or {"name", "doc"} objects; the rest of the log was not read',
    );
    out.push(problem(d));
  }
}
