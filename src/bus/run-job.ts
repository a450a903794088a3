/**
 * One job: the run's stream is read from its first entry with blocking reads
 * (events are written as they arrive, as `watch` does) into a fresh
 * ConversionSession (the pipeline of `write` and `watch`), until the run's
 * file is finished. A run whose file is already in place with the same run
 * uid and template (a writer died between the rename and its acknowledgement)
 * is not written again: its outcome is `exists`.
 */
import type { Redis } from 'ioredis';
import { ConversionSession } from '../convert/index.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import { diagnostic, type Diagnostic } from '../errors.js';
import { ownExistingFile } from '../watch/recover.js';
import { parseRunEntry, type RawEntry } from './entries.js';
import type { JobEntry, JobOutcome } from './models.js';

export type JobRun =
  | {
      kind: 'result';
      result: RunResult;
      outcome: JobOutcome;
      file?: string;
      stopToFileMs?: number;
      diagnostics: Diagnostic[];
    }
  | { kind: 'failed'; diagnostic: Diagnostic; diagnostics: Diagnostic[] }
  /** A stop was requested: nothing written, the job stays pending. */
  | { kind: 'abandoned' };

export interface RunJobContext {
  /** The connection the blocking reads use. */
  reader: Redis;
  /** Read when the job starts (a template reload applies to the next run). */
  convertOptions: () => ConvertOptions;
  blockMs: number;
  finalizeAfterMs?: number;
  stopping: () => boolean;
  /** Each batch read: documents, and whether the stop was among them. */
  onRead?: (documents: number, stop: boolean) => void;
  /** Entries read per reply. */
  count?: number;
}

/**
 * The outcome of a finished result: written / incomplete, or exists (its own
 * file already in place, found by the check `watch` uses after a crash), or failed; and its file.
 */
function outcomeOf(result: RunResult): { outcome: JobOutcome; file?: string } {
  const file = result.file === undefined ? {} : { file: result.file };
  if (result.status !== 'failed') return { outcome: result.incomplete ? 'incomplete' : 'written', ...file };
  const existing = ownExistingFile(result, { sameTemplate: true });
  return existing === undefined ? { outcome: 'failed', ...file } : { outcome: 'exists', file: existing };
}

type XReadReply = [string, RawEntry[]][] | null;

export async function runJob(job: JobEntry, c: RunJobContext): Promise<JobRun> {
  let result: RunResult | undefined;
  const session = new ConversionSession(
    { ...c.convertOptions(), overwrite: false, writeIncomplete: false, dryRun: false },
    {
      onResult: (r) => {
        if (r.uid === job.uid) result = r;
      },
    },
  );
  let last = '0-0';
  let index = 0;
  let lastEntryAt = Date.now();
  let stopAt: number | undefined;
  try {
    while (result === undefined) {
      if (c.stopping()) {
        session.abandonAll();
        return { kind: 'abandoned' };
      }
      const reply = (await c.reader.xread(
        'COUNT',
        c.count ?? 512,
        'BLOCK',
        c.blockMs,
        'STREAMS',
        job.stream,
        last,
      )) as XReadReply;
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) {
        if (index === 0 && (await c.reader.exists(job.stream)) === 0) {
          return {
            kind: 'failed',
            diagnostic: diagnostic(
              'BUS_ENTRY',
              'error',
              `run ${job.uid}: its stream ${job.stream} does not exist (trimmed or never published)`,
              { file: job.stream, run: job.uid },
              'publish the run again (nxlayout publish LOG) or drop the job',
            ),
            diagnostics: [],
          };
        }
        if (c.finalizeAfterMs !== undefined && Date.now() - lastEntryAt >= c.finalizeAfterMs) {
          session.finishIncomplete(job.uid);
          if (result === undefined) {
            session.abandonAll();
            return {
              kind: 'failed',
              diagnostic: diagnostic(
                'BUS_ENTRY',
                'error',
                `run ${job.uid}: no usable start document in ${job.stream} after ${c.finalizeAfterMs} ms`,
                { file: job.stream, run: job.uid },
                "the run stream must begin with the run's start document",
              ),
              diagnostics: session.diagnostics,
            };
          }
        }
        continue;
      }
      lastEntryAt = Date.now();
      const stopBefore = stopAt;
      try {
        for (const raw of entries) {
          index++;
          last = raw[0];
          const entry = parseRunEntry(job.stream, index, raw);
          if (!('named' in entry)) {
            session.abandonAll();
            return {
              kind: 'failed',
              diagnostic: { ...entry, location: { ...entry.location, run: job.uid } },
              diagnostics: session.diagnostics,
            };
          }
          if (entry.named.name === 'stop') stopAt = Date.now();
          session.push(entry.named, entry.at ?? { log: job.stream, item: index, offset: 0 });
          if (result !== undefined) break;
          if (entry.named.name === 'start' && !session.openRuns.includes(job.uid)) {
            // No writer for the run (a start the schema rejects, no template): it can only fail.
            const why =
              session.diagnostics.find((d) => d.severity === 'error') ??
              diagnostic(
                'BUS_ENTRY',
                'error',
                `run ${job.uid}: its start document (entry ${entry.id}) opens no run`,
                { file: job.stream, item: index, run: job.uid },
                "check the start document against event-model's schema",
              );
            session.abandonAll();
            return { kind: 'failed', diagnostic: why, diagnostics: session.diagnostics };
          }
        }
      } finally {
        c.onRead?.(entries.length, stopAt !== stopBefore);
      }
    }
  } catch (e) {
    session.abandonAll();
    throw e;
  }
  session.abandonAll();
  return {
    kind: 'result',
    result,
    ...outcomeOf(result),
    ...(stopAt === undefined ? {} : { stopToFileMs: Date.now() - stopAt }),
    diagnostics: session.diagnostics,
  };
}
