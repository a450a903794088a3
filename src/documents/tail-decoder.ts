/**
 * The bytes of a followed log → items, for LogTail: the format is sniffed
 * from the first bytes (gzip: one decompressor for the log's whole life), and
 * each document is validated when asked (its DOC_SCHEMA problems just before
 * it). No file access: LogTail reads the file, this decodes what it read.
 */
import { diagnostic } from '../errors.js';
import { problem } from './document-shape.js';
import { GunzipPump } from './gunzip-pump.js';
import type { LogFormat, LogItem } from './models.js';
import { SniffingDecoder } from './sniffing-decoder.js';
import { validateDocument } from './validate.js';

export class TailDecoder {
  readonly #path: string;
  readonly #validate: boolean;
  readonly #decoder: SniffingDecoder;
  #head: Uint8Array = new Uint8Array(0);
  #gzip: GunzipPump | undefined;
  #plain: boolean;
  #corrupt = false;

  /** `plain`: the log is known to be plain (a tail resumed at a byte offset). */
  constructor(path: string, options: { validate: boolean; plain: boolean }) {
    this.#path = path;
    this.#validate = options.validate;
    this.#plain = options.plain;
    this.#decoder = new SniffingDecoder(path);
  }

  /** A plain (not gzipped) log. */
  get plain(): boolean {
    return this.#plain;
  }

  get format(): LogFormat | undefined {
    return this.#decoder.format;
  }

  /** Everything fed so far forms complete items: nothing waits for more bytes. */
  get atItemBoundary(): boolean {
    return this.#head.length === 0 && this.#decoder.pendingBytes === 0;
  }

  /** The gzip data proved corrupt (a DOC_PARSE problem said so): the rest of the log cannot be decoded. */
  get corrupt(): boolean {
    return this.#corrupt;
  }

  /** The complete items of the bytes read so far, with `raw`, the next ones. */
  async feed(raw: Uint8Array): Promise<LogItem[]> {
    if (this.#plain) return this.#check(this.#decoder.push(raw));
    if (this.#gzip !== undefined) return this.#inflate(raw);
    // The gzip magic is two bytes: decide once both are here.
    const head = new Uint8Array(this.#head.length + raw.length);
    head.set(this.#head);
    head.set(raw, this.#head.length);
    if (head.length < 2) {
      this.#head = head;
      return [];
    }
    this.#head = new Uint8Array(0);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      this.#gzip = new GunzipPump();
      return this.#inflate(head);
    }
    this.#plain = true;
    return this.#check(this.#decoder.push(head));
  }

  /** The log ends: what is left, an incomplete last item DOC_TRUNCATED; the decompressor is released. */
  async end(): Promise<LogItem[]> {
    const out: LogItem[] = [];
    if (!this.#plain && this.#gzip === undefined && this.#head.length > 0)
      out.push(...this.#check(this.#decoder.push(this.#head)));
    if (this.#gzip !== undefined) {
      for (const chunk of await this.#gzip.end()) out.push(...this.#check(this.#decoder.push(chunk)));
    }
    out.push(...this.#check(this.#decoder.end()));
    this.release();
    return out;
  }

  /** Frees the decompressor (the tail is done with the log). */
  release(): void {
    this.#gzip?.destroy();
    this.#gzip = undefined;
  }

  async #inflate(compressed: Uint8Array): Promise<LogItem[]> {
    const gzip = this.#gzip as GunzipPump;
    const out: LogItem[] = [];
    for (const chunk of await gzip.write(compressed)) out.push(...this.#check(this.#decoder.push(chunk)));
    if (gzip.error !== undefined) {
      this.#corrupt = true;
      this.release();
      out.push(
        problem(
          diagnostic(
            'DOC_PARSE',
            'error',
            `the gzip data is corrupt (${gzip.error.message})`,
            { file: this.#path },
            'the documents before the corruption were read; the rest of the log is not',
          ),
        ),
      );
    }
    return out;
  }

  #check(items: LogItem[]): LogItem[] {
    if (!this.#validate) return items;
    return items.flatMap((item) =>
      item.kind === 'document' ? [...validateDocument(item, item.at).map(problem), item] : [item],
    );
  }
}
