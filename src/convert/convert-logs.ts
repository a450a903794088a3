/**
 * The Node shell's conversion: logs read from files (worker threads for big
 * plain-jsonl logs) are pushed into a ConversionSession whose files go to disk.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { defaultDecodeThreads, JsonlDecodePool, readDocumentLogBatches, RunDocumentLimit } from '../documents/index.js';
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

/** Logs at least this big are parsed on worker threads (when ConvertOptions.decodeThreads allows). */
export const DECODE_THREADS_MIN_BYTES = 4 * 1024 * 1024;

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
  const read = options.signal === undefined ? {} : { signal: options.signal };
  // Undefined: by the log's size and the cores (defaultDecodeThreads), then the pool's own default.
  const threads = options.decodeThreads;
  const minBytes = options.decodeThreadsMinBytes ?? DECODE_THREADS_MIN_BYTES;
  let pool: JsonlDecodePool | undefined;
  const runLimit = new RunDocumentLimit();
  try {
    for (let i = 0; i < logs.length; i++) {
      const log = logs[i];
      const size = await sizeOf(log);
      const useThreads = threads ?? defaultDecodeThreads(size);
      const early = options.logThread;
      const batches =
        early !== undefined && early.log === path.resolve(log)
          ? early.batches(options.signal)
          : useThreads !== 0 && size >= minBytes
          ? (pool ??= new JsonlDecodePool(threads === undefined ? {} : { threads })).readBatches(log, read)
          : readDocumentLogBatches(log, read);
      let documents = 0;
      let reported = 0;
      for await (const batch of batches) {
        const items = runLimit.filter(batch);
        if (items.length === 0) continue;
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
    await pool?.close();
    await options.logThread?.close();
  }
  for (const uid of session.openRuns) {
    if (options.writeIncomplete ?? true) session.finishIncomplete(uid);
  }
  session.abandonAll();
  return { results: session.results, diagnostics: session.diagnostics };
}
