import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { diagnostic } from '../errors.js';
import { validateDocument } from './validate.js';
import { problem } from './document-shape.js';
import { GunzipPump } from './gunzip-pump.js';
import type { LogFormat, LogItem } from './models.js';
import { READ_CHUNK_BYTES } from './read-log.js';
import { SniffingDecoder } from './sniffing-decoder.js';

export interface LogTailOptions {
  /** Validate each document; DOC_SCHEMA problems come just before the document. */
  validate?: boolean;
}

/**
 * Follows a document log that is still being written (for the daemon): each
 * `poll` reads from where the last one stopped to the current end of file
 * and returns the complete items. An item cut by the end of file waits for
 * the next poll; only `finish` (giving up on the file) reports it truncated.
 * A gzipped log keeps one decompressor for its whole life.
 */
export class LogTail {
  readonly path: string;
  readonly #options: LogTailOptions;
  readonly #decoder: SniffingDecoder;
  readonly #buffer = new Uint8Array(READ_CHUNK_BYTES);
  #handle: FileHandle | undefined;
  #offset = 0;
  #head: Uint8Array = new Uint8Array(0);
  #gzip: GunzipPump | undefined;
  #plain = false;
  #done = false;
  // Polls run one at a time even if a caller does not await the previous one.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: LogTailOptions = {}) {
    this.path = path;
    this.#options = options;
    this.#decoder = new SniffingDecoder(path);
  }

  /** Bytes of the file consumed so far (compressed bytes for a gzipped log). */
  get offset(): number {
    return this.#offset;
  }

  get format(): LogFormat | undefined {
    return this.#decoder.format;
  }

  poll(): Promise<LogItem[]> {
    return this.#serial(() => this.#poll());
  }

  /** Read what is left, then end the log: an incomplete last item is DOC_TRUNCATED. Closes the file. */
  finish(): Promise<LogItem[]> {
    return this.#serial(async () => {
      const out = await this.#poll();
      if (this.#done) return out;
      this.#done = true;
      if (!this.#plain && this.#gzip === undefined && this.#head.length > 0) out.push(...this.#check(this.#decoder.push(this.#head)));
      if (this.#gzip !== undefined) {
        for (const chunk of await this.#gzip.end()) out.push(...this.#check(this.#decoder.push(chunk)));
      }
      out.push(...this.#check(this.#decoder.end()));
      await this.#release();
      return out;
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      this.#done = true;
      await this.#release();
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #poll(): Promise<LogItem[]> {
    if (this.#done) return [];
    const out: LogItem[] = [];
    try {
      this.#handle ??= await open(this.path, 'r');
      const { size } = await this.#handle.stat();
      if (size < this.#offset) {
        this.#done = true;
        await this.#release();
        return [problem(diagnostic('DOC_IO', 'error', `the log shrank from ${this.#offset} to ${size} bytes while being followed`,
          { file: this.path, offset: size }, 'a log must only grow; it was truncated or replaced, so it is no longer read'))];
      }
      while (this.#offset < size) {
        const { bytesRead } = await this.#handle.read(this.#buffer, 0, Math.min(this.#buffer.length, size - this.#offset), this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        out.push(...await this.#feed(this.#buffer.slice(0, bytesRead)));
      }
    } catch (e) {
      this.#done = true;
      await this.#release();
      const why = e instanceof Error ? e.message : String(e);
      out.push(problem(diagnostic('DOC_IO', 'error', `cannot read the log: ${why}`, { file: this.path, offset: this.#offset },
        'check that the file exists and is readable')));
    }
    return out;
  }

  async #feed(raw: Uint8Array): Promise<LogItem[]> {
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

  async #inflate(compressed: Uint8Array): Promise<LogItem[]> {
    const gzip = this.#gzip as GunzipPump;
    const out: LogItem[] = [];
    for (const chunk of await gzip.write(compressed)) out.push(...this.#check(this.#decoder.push(chunk)));
    if (gzip.error !== undefined) {
      this.#done = true;
      await this.#release();
      out.push(problem(diagnostic('DOC_PARSE', 'error', `the gzip data is corrupt (${gzip.error.message})`, { file: this.path },
        'the documents before the corruption were read; the rest of the log is not')));
    }
    return out;
  }

  #check(items: LogItem[]): LogItem[] {
    if (this.#options.validate !== true) return items;
    return items.flatMap((item) => item.kind === 'document' ? [...validateDocument(item, item.at).map(problem), item] : [item]);
  }

  async #release(): Promise<void> {
    this.#gzip?.destroy();
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}
