import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { diagnostic } from '../errors.js';
import { problem } from './document-shape.js';
import type { LogFormat, LogItem } from './models.js';
import { READ_CHUNK_BYTES } from './read-log.js';
import { TailDecoder } from './tail-decoder.js';

export interface LogTailOptions {
  /** Validate each document; DOC_SCHEMA problems come just before the document. */
  validate?: boolean;
  /**
   * Resume a plain JSON-lines log at this byte offset (a line boundary an
   * earlier tail reached), with the file identity it had then: a file with
   * another identity or smaller than this is `replaced`.
   */
  resume?: { offset: number; identity: FileIdentity };
}

/** Which file a path named when it was read (a log replaced under the same name has another inode). */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** Bytes read per call to `read` (the buffer is allocated per read, not kept by an idle tail). */
const READ_BYTES = READ_CHUNK_BYTES;

/**
 * Follows a document log that is still being written (for the daemon): each
 * `poll` reads from where the last one stopped towards the current end of file
 * and returns the complete items. An item cut by the end of file waits for
 * the next poll; only `finish` (giving up on the file) reports it truncated.
 * A gzipped log keeps one decompressor for its whole life.
 *
 * The file is open only during a poll: an idle tail holds no descriptor. Each
 * poll checks that the path still names the same file (device and inode) and
 * that it did not shrink; otherwise the tail stops and says so in `replaced`.
 */
export class LogTail {
  readonly path: string;
  readonly #decoder: TailDecoder;
  #identity: FileIdentity | undefined;
  #offset = 0;
  #size = 0;
  #mtimeMs = 0;
  #done = false;
  #replaced: string | undefined;
  #deleted = false;
  // Polls run one at a time even if a caller does not await the previous one.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, options: LogTailOptions = {}) {
    this.path = path;
    this.#decoder = new TailDecoder(path, { validate: options.validate === true, plain: options.resume !== undefined });
    if (options.resume !== undefined) {
      this.#offset = options.resume.offset;
      this.#size = options.resume.offset;
      this.#identity = options.resume.identity;
    }
  }

  /** Bytes of the file consumed so far (compressed bytes for a gzipped log). */
  get offset(): number {
    return this.#offset;
  }

  /** The file's size when it was last looked at: more than `offset` means a poll stopped at its byte limit. */
  get size(): number {
    return this.#size;
  }

  /** True when the last poll stopped before the end of the file (call poll again). */
  get behind(): boolean {
    return !this.#done && this.#offset < this.#size;
  }

  /** Everything read so far forms complete items: nothing waits for more bytes. */
  get atItemBoundary(): boolean {
    return this.#decoder.atItemBoundary;
  }

  /** A plain (not gzipped) log: it can be resumed at a byte offset. */
  get plain(): boolean {
    return this.#decoder.plain;
  }

  /** The file's modification time when it was last looked at. */
  get mtimeMs(): number {
    return this.#mtimeMs;
  }

  get identity(): FileIdentity | undefined {
    return this.#identity;
  }

  /** Why the path no longer names the file this tail was reading (then the tail is done). */
  get replaced(): string | undefined {
    return this.#replaced;
  }

  /** The file read before is gone from its path (then `replaced` says so too). */
  get deleted(): boolean {
    return this.#deleted;
  }

  get format(): LogFormat | undefined {
    return this.#decoder.format;
  }

  /** Reads at most `maxBytes` more of the file (default: to its end). */
  poll(maxBytes = Infinity): Promise<LogItem[]> {
    return this.#serial(() => this.#poll(maxBytes));
  }

  /** Read what is left, then end the log: an incomplete last item is DOC_TRUNCATED. */
  finish(): Promise<LogItem[]> {
    return this.#serial(async () => {
      const out = await this.#poll(Infinity);
      if (this.#done) return out;
      this.#done = true;
      out.push(...(await this.#decoder.end()));
      return out;
    });
  }

  close(): Promise<void> {
    return this.#serial(async () => {
      this.#done = true;
      this.#decoder.release();
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #poll(maxBytes: number): Promise<LogItem[]> {
    if (this.#done) return [];
    const out: LogItem[] = [];
    let handle: FileHandle | undefined;
    try {
      try {
        handle = await open(this.path, 'r');
      } catch (e) {
        // A file read before and now gone was deleted (or renamed away): not a read error.
        if (this.#identity !== undefined && (e as { code?: unknown }).code === 'ENOENT') {
          this.#deleted = true;
          return this.#replace('it was deleted');
        }
        const code = (e as { code?: unknown }).code;
        if (code === 'EMFILE' || code === 'ENFILE') {
          // No descriptor left in the process: nothing was read, the next poll tries again.
          return [
            problem(
              diagnostic(
                'DOC_IO',
                'warning',
                `too many open files (${code}): the log cannot be opened now`,
                { file: this.path, offset: this.#offset },
                'raise the descriptor limit (ulimit -n), or read fewer logs at once',
              ),
            ),
          ];
        }
        throw e;
      }
      const stats = await handle.stat();
      const identity = { dev: stats.dev, ino: stats.ino };
      if (this.#identity === undefined) this.#identity = identity;
      else if (identity.dev !== this.#identity.dev || identity.ino !== this.#identity.ino) {
        return this.#replace(`another file now has its name (inode ${this.#identity.ino} → ${identity.ino})`);
      }
      if (stats.size < this.#offset) return this.#replace(`it shrank from ${this.#offset} to ${stats.size} bytes`);
      this.#size = stats.size;
      this.#mtimeMs = stats.mtimeMs;
      const end = Math.min(stats.size, this.#offset + maxBytes);
      while (this.#offset < end) {
        const buffer = new Uint8Array(Math.min(READ_BYTES, end - this.#offset));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
        if (bytesRead === 0) break;
        this.#offset += bytesRead;
        out.push(...(await this.#decoder.feed(bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead))));
        if (this.#decoder.corrupt) this.#done = true;
        if (this.#done) break;
      }
    } catch (e) {
      this.#done = true;
      this.#decoder.release();
      const why = e instanceof Error ? e.message : String(e);
      out.push(
        problem(
          diagnostic(
            'DOC_IO',
            'error',
            `cannot read the log: ${why}`,
            { file: this.path, offset: this.#offset },
            'check that the file exists and is readable',
          ),
        ),
      );
    } finally {
      await handle?.close();
    }
    return out;
  }

  #replace(why: string): LogItem[] {
    this.#replaced = why;
    this.#done = true;
    this.#decoder.release();
    return [];
  }
}
