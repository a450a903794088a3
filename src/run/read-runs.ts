/**
 * Reads document logs (files, or directories searched recursively) and
 * returns the runs they hold. Logs are read one after the other, so a run
 * may continue from one log into the next.
 */
import { stat } from 'node:fs/promises';
import { findLogsUnder, readDocumentLog, RunDocumentLimit } from '../documents/index.js';
import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../errors.js';
import type { Run } from './models.js';
import { RunRouter } from './router.js';
import type { RunRouterOptions } from './router.js';

export interface ReadRunsOptions extends Pick<RunRouterOptions, 'validate' | 'onRunComplete' | 'onRunFailed'> {
  strict?: boolean;
  signal?: AbortSignal;
}

/** The logs named by `paths`: a file as given, a directory as every log file under it (see findLogsUnder for what is skipped). */
export async function expandLogPaths(paths: readonly string[]): Promise<{ logs: string[]; diagnostics: Diagnostic[] }> {
  const logs: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const p of paths) {
    try {
      const info = await stat(p);
      if (info.isDirectory()) {
        const { logs: under, diagnostics: skipped } = await findLogsUnder(p);
        diagnostics.push(...skipped);
        if (under.length === 0) {
          diagnostics.push(
            diagnostic('DOC_EMPTY', 'warning', `no document log (*.jsonl, *.msgpack, *.json, maybe .gz) under ${p}`, {
              file: p,
            }),
          );
        }
        logs.push(...under);
      } else {
        logs.push(p);
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      diagnostics.push(
        diagnostic(
          'DOC_IO',
          'error',
          `cannot read ${p}: ${message}`,
          { file: p },
          'check the path and its permissions',
        ),
      );
    }
  }
  return { logs, diagnostics };
}

export async function readRuns(
  paths: readonly string[],
  options: ReadRunsOptions = {},
): Promise<{ runs: Run[]; diagnostics: Diagnostic[] }> {
  const { logs, diagnostics } = await expandLogPaths(paths);
  const router = new RunRouter(options);
  for (const d of diagnostics) router.report(d);
  const runLimit = new RunDocumentLimit();
  for (const log of logs) {
    options.signal?.throwIfAborted();
    for await (const read of readDocumentLog(log, { signal: options.signal })) {
      const [item] = runLimit.filter([read]);
      if (item === undefined) continue;
      if (item.kind === 'problem') router.report(item.diagnostic);
      else router.push(item, item.at);
    }
  }
  router.finish();
  return { runs: router.runs(), diagnostics: router.diagnostics };
}
