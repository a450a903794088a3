import { diagnostic } from '../errors.js';
import { problem } from './document-shape.js';
import { JsonArrayDecoder } from './json-array-decoder.js';
import { JsonlDecoder } from './jsonl-decoder.js';
import { resolveLimits, type DecodeLimits } from './limits.js';
import type { LogFormat, LogItem } from './models.js';
import { MsgpackDecoder } from './msgpack-decoder.js';
import type { PushDecoder } from './push-decoder.js';
import { sniffFormat } from './sniff-format.js';

function createDecoder(format: LogFormat, log: string, limits?: Partial<DecodeLimits>): PushDecoder {
  switch (format) {
    case 'jsonl':
      return new JsonlDecoder(log, undefined, limits);
    case 'json-array':
      return new JsonArrayDecoder(log, limits);
    case 'msgpack':
      return new MsgpackDecoder(log, limits);
  }
}

const HEX = (b: number) => `0x${b.toString(16).padStart(2, '0')}`;

/**
 * A decoder for (already decompressed) bytes of unknown format: holds the
 * first bytes until they decide the format, then hands everything to that
 * format's decoder. Unrecognised content is one DOC_FORMAT problem; a log
 * with no item at all is DOC_EMPTY.
 */
export class SniffingDecoder implements PushDecoder {
  readonly #log: string;
  #head: Uint8Array[] = [];
  #headLength = 0;
  #inner: PushDecoder | undefined;
  #rejected = false;
  #items = 0;
  readonly #limits: DecodeLimits;

  constructor(log: string, limits?: Partial<DecodeLimits>) {
    this.#log = log;
    this.#limits = resolveLimits(limits);
  }

  get format(): LogFormat | undefined {
    return this.#inner?.format;
  }

  get pendingBytes(): number {
    return this.#inner?.pendingBytes ?? this.#headLength;
  }

  push(chunk: Uint8Array): LogItem[] {
    if (this.#inner !== undefined) return this.#count(this.#inner.push(chunk));
    if (this.#rejected || chunk.length === 0) return [];
    this.#head.push(chunk);
    this.#headLength += chunk.length;
    return this.#count(this.#decide(false));
  }

  end(): LogItem[] {
    if (this.#rejected) return [];
    const out = this.#inner === undefined ? this.#decide(true) : [];
    if (this.#inner !== undefined) out.push(...this.#inner.end());
    this.#count(out);
    if (this.#items === 0) {
      out.push(
        problem(
          diagnostic(
            'DOC_EMPTY',
            'error',
            'the log holds no documents',
            { file: this.#log },
            'an empty log usually means the run has not started writing yet, or the file was created by mistake',
          ),
        ),
      );
    }
    return out;
  }

  #decide(atEnd: boolean): LogItem[] {
    const head = this.#head.length === 1 ? this.#head[0] : Buffer.concat(this.#head);
    const sniffed = sniffFormat(head, atEnd);
    if (sniffed.kind === 'undecided') {
      this.#head = [head];
      return [];
    }
    this.#head = [];
    this.#headLength = 0;
    if (sniffed.kind === 'format') {
      this.#inner = createDecoder(sniffed.format, this.#log, this.#limits);
      return this.#inner.push(head);
    }
    this.#rejected = true;
    const what =
      sniffed.kind === 'gzip'
        ? 'gzip data where decompressed bytes were expected (gzipped twice?)'
        : `not a document log (it starts with byte ${HEX(sniffed.firstByte)})`;
    return [
      problem(
        diagnostic(
          'DOC_FORMAT',
          'error',
          `the log is ${what}`,
          { file: this.#log, offset: 0 },
          'a document log is JSON lines, a JSON array of [name, doc] pairs, or a msgpack stream (optionally gzipped)',
        ),
      ),
    ];
  }

  #count(items: LogItem[]): LogItem[] {
    this.#items += items.length;
    return items;
  }
}
