/**
 * One log read and decoded on a worker thread from the moment it is started:
 * a command starts it first and loads everything else meanwhile, so parsing
 * overlaps start-up. The items come back in log order, validated, with runs
 * of events packed into pages whose number columns are moved, not copied;
 * the worker stays at most `aheadBytes` of log ahead of the reader.
 */
import { Worker } from 'node:worker_threads';
import { NxlError } from '../errors.js';
import { threadFailure } from './decode-thread-protocol.js';
import { resolveLimits, type DecodeLimits } from './limits.js';
import type { LogThreadAck, LogThreadMessage, LogThreadStart } from './log-thread-protocol.js';
import type { LogItem } from './models.js';

/** Default read-ahead: enough for a 100,000-event scan to be decoded before the writer is ready. */
export const LOG_THREAD_AHEAD_BYTES = 64 * 1024 * 1024;

export interface LogThreadOptions {
  limits?: Partial<DecodeLimits>;
  aheadBytes?: number;
}

export class LogThread {
  readonly log: string;
  readonly #worker: Worker;
  readonly #received: LogThreadMessage[] = [];
  #wake: (() => void) | undefined;
  #crashed: string | undefined;
  #taken = false;
  #count = 0;
  #done = false;

  constructor(log: string, options: LogThreadOptions = {}) {
    this.log = log;
    const start: LogThreadStart = {
      log,
      limits: resolveLimits(options.limits),
      aheadBytes: options.aheadBytes ?? LOG_THREAD_AHEAD_BYTES,
    };
    this.#worker = new Worker(new URL('./log-thread-worker.js', import.meta.url), { workerData: start });
    this.#worker.on('message', (m: LogThreadMessage) => {
      this.#count++;
      if (m.kind !== 'items') this.#done = true;
      this.#received.push(m);
      this.#resume();
    });
    this.#worker.on('error', (e: Error) => {
      this.#crashed ??= e.stack ?? e.message;
      this.#resume();
    });
    this.#worker.on('exit', (code: number) => {
      this.#crashed ??= `the decoding thread exited with code ${code}`;
      this.#resume();
    });
    // It keeps the process alive only while a reader waits for it: a command that fails before
    // reading the log (a broken template…) still exits.
    this.#worker.unref();
  }

  /** Messages received from the thread so far (read or not). */
  get received(): number {
    return this.#count;
  }

  /** True once its batches were asked for (a thread is read once). */
  get taken(): boolean {
    return this.#taken;
  }

  /** True once the thread said it reached the end of the log, or failed. */
  get done(): boolean {
    return this.#done;
  }

  /** The log's items in batches; once only. */
  async *batches(signal?: AbortSignal): AsyncGenerator<LogItem[]> {
    if (this.#taken) throw new NxlError('INTERNAL', 'a LogThread is read once', { file: this.log });
    this.#taken = true;
    const onAbort = (): void => this.#resume();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        signal?.throwIfAborted();
        const m = this.#received.shift();
        if (m === undefined) {
          if (this.#crashed !== undefined) throw threadFailure(this.log, this.#crashed);
          this.#worker.ref();
          await new Promise<void>((r) => (this.#wake = r));
          this.#worker.unref();
          continue;
        }
        if (m.kind === 'end') return;
        if (m.kind === 'failed') {
          if (m.code !== undefined)
            throw new NxlError(m.code, m.message, m.location, m.hint === undefined ? {} : { hint: m.hint });
          throw threadFailure(this.log, m.stack ?? m.message);
        }
        this.#worker.postMessage({ taken: m.upTo } satisfies LogThreadAck);
        yield m.items;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.close();
    }
  }

  /** Stops the worker (whatever it has not posted is dropped). */
  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #resume(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }
}
