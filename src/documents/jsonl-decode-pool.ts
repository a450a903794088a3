/**
 * Decodes a plain jsonl log on worker threads: the log is read in parts cut
 * at newlines, each part is parsed, validated and packed on a worker (parts
 * go round the workers), and the items come back in log order. Parsing — the
 * largest cost of a big log — then runs beside the writing, on every core.
 *
 * What it yields is what readDocumentLogBatches yields, with two differences
 * that change no outcome: every document arrives validated
 * (`item.validation`), and runs of consecutive events arrive as event_page
 * documents (EventPacker). A log that is not plain jsonl (gzip, msgpack, a
 * JSON array) is read on the calling thread as usual.
 */
import { availableParallelism } from 'node:os';
import type * as fs from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { NxlError } from '../errors.js';
import { threadFailure, type ChunkJob, type ChunkResult } from './decode-thread-protocol.js';
import { openPlainJsonl, PART_BYTES, partsOf } from './jsonl-parts.js';
import { resolveLimits, type DecodeLimits } from './limits.js';
import type { LogItem } from './models.js';
import { readDocumentLogBatches, readProblem } from './read-log.js';

/** Logs at least this big are parsed on worker threads (when the decode threads allow: ConvertOptions.decodeThreads). */
export const DECODE_THREADS_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Decode workers for a plain-jsonl log of `logBytes` on `cores` cores: one per core but the
 * caller's, at most 4; none on 2 cores or fewer, whatever the size. Measured on 2 shared cores
 * (whole processes, paired, this branch): one worker against none took, for S1 (100,000 events,
 * 60 MB, 5 pairs), 1.30× the CPU, 1.28× the wall and 231 vs 151 MiB peak RSS; for S2 (1,000,000
 * events, 602 MB, 3 pairs), 1.47× the CPU, 2.6× the wall and 321 vs 186 MiB. The worker competes
 * with the writer for the second core and adds its own heap and the pages in flight.
 * `--decode-threads N` still asks for N.
 */
export function defaultDecodeThreads(_logBytes: number, cores: number = availableParallelism()): number {
  if (cores <= 2) return 0;
  return Math.max(1, Math.min(4, cores - 1));
}

export interface JsonlDecodePoolOptions {
  /** Workers to decode on (default: one per core but the caller's, at least 1, at most 4). */
  threads?: number;
  /** Bytes read per part (default 1 MiB); small values are for tests. */
  partBytes?: number;
  /** Limits on one document (default: the process defaults, see limits.ts). */
  limits?: Partial<DecodeLimits>;
}

export class JsonlDecodePool {
  readonly #size: number;
  readonly #partBytes: number;
  readonly #limits: DecodeLimits;
  #workers: Worker[] = [];
  #busy = false;

  constructor(options: JsonlDecodePoolOptions = {}) {
    this.#size = Math.max(1, options.threads ?? Math.min(4, availableParallelism() - 1));
    this.#partBytes = Math.max(1, options.partBytes ?? PART_BYTES);
    this.#limits = resolveLimits(options.limits);
  }

  /** The items of one log in batches, decoded on the workers when it is plain jsonl. */
  async *readBatches(log: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<LogItem[]> {
    const file = await openPlainJsonl(log);
    if (file === undefined) {
      // Not plain jsonl, or not readable: the usual reader says which.
      yield* readDocumentLogBatches(log, { ...options, limits: this.#limits });
      return;
    }
    try {
      yield* this.#decode(file, log, options.signal);
    } catch (e) {
      if (e instanceof NxlError || (e instanceof Error && e.name === 'AbortError')) throw e;
      // The file is open already: a read error here (EIO…) gets the general hint.
      yield [readProblem(log, e)];
    } finally {
      await file.close();
    }
  }

  async *#decode(file: fs.FileHandle, log: string, signal: AbortSignal | undefined): AsyncGenerator<LogItem[]> {
    if (this.#busy) throw new NxlError('INTERNAL', 'JsonlDecodePool reads one log at a time', { file: log });
    this.#busy = true;
    const workers = this.#start();
    const results = new Map<number, ChunkResult>();
    let wake: (() => void) | undefined;
    let crashed: string | undefined;
    const resume = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onResult = (result: ChunkResult): void => {
      results.set(result.seq, result);
      resume();
    };
    const onError = (e: Error): void => {
      crashed ??= e.stack ?? e.message;
      resume();
    };
    const onExit = (code: number): void => {
      crashed ??= `a decoding thread exited with code ${code}`;
      resume();
    };
    for (const w of workers) w.on('message', onResult).on('error', onError).on('exit', onExit);
    signal?.addEventListener('abort', resume);
    // Two parts per worker in flight: one being decoded, one queued, so no worker waits for the reader.
    const window = 2 * workers.length;
    const parts = partsOf(file, log, this.#partBytes, this.#limits);
    let sent = 0;
    let next = 0;
    let eof = false;
    let clean = false;
    try {
      for (;;) {
        while (!eof && sent - next < window) {
          const part = await parts.next();
          if (part.done) {
            eof = true;
            break;
          }
          const job: ChunkJob = { seq: sent, ...part.value };
          workers[sent % workers.length].postMessage(job, [job.bytes.buffer as ArrayBuffer]);
          sent++;
        }
        if (eof && next === sent) break;
        signal?.throwIfAborted();
        const result = results.get(next);
        if (result === undefined) {
          if (crashed !== undefined) throw threadFailure(log, crashed);
          await new Promise<void>((r) => (wake = r));
          continue;
        }
        results.delete(next);
        next++;
        if ('failed' in result) throw threadFailure(log, result.failed);
        if (result.items.length > 0) yield result.items;
      }
      clean = true;
    } finally {
      for (const w of workers) w.off('message', onResult).off('error', onError).off('exit', onExit);
      signal?.removeEventListener('abort', resume);
      this.#busy = false;
      // Stopped early (an abort, a consumer that broke off, a failure): parts may still be queued; start afresh next time.
      if (!clean) await this.close();
    }
  }

  #start(): Worker[] {
    if (this.#workers.length === 0) {
      const url = new URL('./decode-thread-worker.js', import.meta.url);
      // A larger young generation than a worker's default: parsing makes short-lived objects fast, and
      // scavenging them in a small nursery cost more than the parsing itself.
      this.#workers = Array.from(
        { length: this.#size },
        () => new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: 64 } }),
      );
    }
    return this.#workers;
  }

  /** Stops the workers (reading again starts new ones). */
  async close(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
