/**
 * The Node shell's conversion: logs read from files (on worker threads for big
 * logs: see logBatches) are pushed into a ConversionSession whose files go to disk.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { defaultDecodeThreads, JsonlDecodePool, readDocumentLogBatches, RunDocumentLimit } from '../documents/index.js';
import { DECODE_THREADS_MIN_BYTES } from '../documents/jsonl-decode-pool.js';
import { LogThread } from '../documents/log-thread.js';
import { packedBatches } from '../documents/packed-batches.js';
import type { LogItem } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import { diskOutput } from '../nexus/index.js';
import { expandLogPaths } from '../run/index.js';
import type { ConvertOptions, ConvertProgress, RunResult } from './models.js';
import { ConversionSession as CoreSession, eventsIn, type ConversionHooks } from './session.js';

/** A ConversionSession whose files go to disk unless `options.output` says otherwise. */
export class ConversionSession extends CoreSession {
  /**
   * The session reads `options` live (a daemon swaps `layouts` on a template reload), so the object
   * given is the one used: `output` is filled in on it when missing, never on a copy.
   */
  constructor(options: ConvertOptions, hooks: ConversionHooks = {}) {
    options.output ??= diskOutput;
    super(options, hooks);
  }
}

/** Where the logs of one convertLogs call are decoded: what logBatches needs besides the log. */
interface Decoding {
  /** ConvertOptions.decodeThreads (undefined: by size and cores). */
  readonly threads: number | undefined;
  readonly minBytes: number;
  readonly signal: AbortSignal | undefined;
  /** A log's thread started before the call (ConvertOptions.logThread). */
  readonly early: LogThread | undefined;
  /** --max-documents, applied to every log's items in order (RunDocumentLimit). */
  readonly runLimit: RunDocumentLimit;
  pool: JsonlDecodePool | undefined;
}

/**
 * A log's items in batches: from the thread already decoding it; on this
 * thread (a log under `minBytes`, or no threads), packed as the threads pack; on one thread of its own
 * (LogThread: the whole log in order, any format); or, with two threads or
 * more, in parts on the pool (plain jsonl; other formats on this thread).
 */
function logBatches(log: string, size: number, d: Decoding): AsyncGenerator<LogItem[]> {
  const threads = d.threads ?? defaultDecodeThreads(size);
  const read = d.signal === undefined ? {} : { signal: d.signal };
  if (d.early !== undefined && d.early.log === path.resolve(log)) return limited(d.early.batches(d.signal), d.runLimit);
  if (threads === 0 || size < d.minBytes) return packedHere(limited(readDocumentLogBatches(log, read), d.runLimit));
  if (threads === 1) return limited(new LogThread(log).batches(d.signal), d.runLimit);
  d.pool ??= new JsonlDecodePool({ threads });
  return limited(d.pool.readBatches(log, read), d.runLimit);
}

/** The batches less what --max-documents skips (empty batches left out). */
async function* limited(batches: AsyncGenerator<LogItem[]>, runLimit: RunDocumentLimit): AsyncGenerator<LogItem[]> {
  for await (const batch of batches) {
    const items = runLimit.filter(batch);
    if (items.length > 0) yield items;
  }
}

/**
 * A log read on this thread, packed as a thread packs it (validated, events in pages with typed
 * columns): the run then appends whole typed columns, not one reading at a time. The document
 * limit applies before packing, event by event, so a run is cut at exactly its limit.
 */
async function* packedHere(batches: AsyncGenerator<LogItem[]>): AsyncGenerator<LogItem[]> {
  for await (const { items } of packedBatches(batches, HERE_PAGE_EVENTS)) yield items;
}

/**
 * Events per page packed on this thread: the events of a page live until it is built, and 1024 of
 * them survived into V8's old generation. S1 whole processes, 4 rounds under load: peak RSS 126 MB
 * with 256 (145 MB with 1024; 136 MB routing event by event), the CPU within the noise.
 */
const HERE_PAGE_EVENTS = 256;

async function sizeOf(log: string): Promise<number> {
  try {
    return (await fs.stat(log)).size;
  } catch {
    return 0; // the reader reports why it cannot be read
  }
}

/** Converts finished logs: every run found gets its file (runs without a stop are written as incomplete). */
export async function convertLogs(
  paths: readonly string[],
  options: ConvertOptions,
  hooks: ConversionHooks & { onProgress?: (p: ConvertProgress) => void } = {},
): Promise<{ results: RunResult[]; diagnostics: Diagnostic[] }> {
  const session = new ConversionSession(options, hooks);
  const { logs, diagnostics } = await expandLogPaths(paths);
  for (const d of diagnostics) session.report(d);
  const decoding: Decoding = {
    threads: options.decodeThreads,
    minBytes: options.decodeThreadsMinBytes ?? DECODE_THREADS_MIN_BYTES,
    signal: options.signal,
    early: options.logThread,
    runLimit: new RunDocumentLimit(),
    pool: undefined,
  };
  try {
    for (let i = 0; i < logs.length; i++) {
      const log = logs[i];
      const batches = logBatches(log, await sizeOf(log), decoding);
      let documents = 0;
      let reported = 0;
      for await (const items of batches) {
        for (const item of items) {
          if (item.kind === 'problem') {
            session.report(item.diagnostic);
            continue;
          }
          session.push(item, item.at, item.validation);
          // A page counts as its events, so progress comes as often whether or not events were packed.
          documents += eventsIn(item);
        }
        const last = items[items.length - 1];
        if (hooks.onProgress !== undefined && documents - reported >= 1024 && last.kind === 'document') {
          reported = documents;
          hooks.onProgress({ log, logIndex: i, logCount: logs.length, documents, offset: last.at.offset });
        }
      }
    }
  } finally {
    await decoding.pool?.close();
    await options.logThread?.close();
  }
  for (const uid of session.openRuns) {
    if (options.writeIncomplete ?? true) session.finishIncomplete(uid);
  }
  session.abandonAll();
  return { results: session.results, diagnostics: session.diagnostics };
}
