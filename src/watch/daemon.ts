/**
 * The spool daemon: every log under the spool is followed as it grows and fed,
 * document by document, into ONE ConversionSession (the pipeline `write` uses),
 * so runs spanning logs and interleaved runs work; a run's file is written when
 * its stop arrives. The state journal makes that happen once per run across
 * crashes and restarts.
 */
import { ConversionSession } from '../convert/index.js';
import { RunDocumentLimit } from '../documents/index.js';
import { toDiagnostic, type Diagnostic } from '../errors.js';
import { DiskFullRetry } from './disk-full-retry.js';
import { Followers } from './followers.js';
import { IdleCollector } from './idle-collector.js';
import { Intake } from './intake.js';
import type {
  JournalRecord,
  WatchEvent,
  WatchHandle,
  WatchHooks,
  WatchOptions,
  WatchStatus,
  WatchSummary,
} from './models.js';
import { openState } from './open-state.js';
import { RunActivity } from './run-activity.js';
import { runResultHandler } from './run-results.js';
import { SafetyNet } from './safety-net.js';
import { sessionOptions } from './session-options.js';
import { spoolFilter } from './spool-filter.js';
import { SpoolWatcher } from './spool-watcher.js';
import { Tally } from './tally.js';
import { startTemplateReload, type TemplateReloader } from './template-reload.js';
import { WorkQueue } from './work-queue.js';

const DEFAULT_STATUS_MS = 60_000;
const DEFAULT_POLL_MS = 5_000;

/**
 * Checks ROOT, SPOOL and the templates (throws NxlError before watching anything),
 * then follows the spool until `stop` (or, with `once`, until the logs present are read).
 */
export async function startWatch(options: WatchOptions, hooks: WatchHooks = {}): Promise<WatchHandle> {
  const tally = new Tally();
  const emit = (e: WatchEvent): void => {
    tally.note(e);
    hooks.onEvent?.(e);
  };
  const { outRoot, spool, stateDir, templates, journal, unlock } = await openState(options, emit);

  const followers = new Followers(journal.logMarks);
  const activity = new RunActivity();
  let fatal: Diagnostic | undefined;
  // Set the moment a stop is asked for: reading ends after the chunk in hand.
  let stopRequested = false;

  // Without its journal the daemon cannot keep its promise: it stops, and the run is redone on restart.
  const journalFailed = (e: unknown): void => {
    fatal ??= toDiagnostic(e);
    emit({ kind: 'diagnostic', diagnostic: fatal });
    void handle.stop('the state journal cannot be written');
  };
  const append = (record: JournalRecord, sync = true): boolean => {
    try {
      journal.append(record, sync);
      return true;
    } catch (e) {
      journalFailed(e);
      return false;
    }
  };
  // A record's fsync is deferred (journal.ts): when it fails, the daemon stops as when a write fails.
  journal.onSyncError = journalFailed;

  let retry: DiskFullRetry | undefined;
  const onResult = runResultHandler({
    activity,
    tally,
    emit,
    append,
    retry: () => retry,
    ...(options.diskFullRetryMs === undefined ? {} : { diskFullRetryMs: options.diskFullRetryMs }),
  });

  // The session reads layouts and fallback from this object whenever a run starts: a reload swaps them here.
  const convertOptions = sessionOptions(outRoot, templates, options, (uid) => {
    if (journal.finished(uid) === undefined) return false;
    tally.skipped(uid);
    return true;
  });
  const session = new ConversionSession(convertOptions, { onResult });
  const runLimit = new RunDocumentLimit();
  if (options.once !== true) {
    retry = new DiskFullRetry({
      outRoot,
      convertOptions: () => convertOptions,
      finished: (uid) => journal.finished(uid) !== undefined,
      onResult,
      ...(options.diskFullRetryMs === undefined ? {} : { intervalMs: options.diskFullRetryMs }),
    });
  }

  const intake = new Intake({
    session,
    followers,
    activity,
    emit,
    append,
    recorded: (uid) => journal.finished(uid) !== undefined,
    stopping: () => stopRequested,
    filter: (log, items) => {
      hooks.onItems?.(log, items);
      return runLimit.filter(items);
    },
  });

  const finalizeIdle = async (): Promise<void> => {
    if (options.finalizeAfterMs === undefined) return;
    const idle = activity.idle(session.openRuns, Date.now(), options.finalizeAfterMs);
    for (const uid of idle) session.finishIncomplete(uid);
    if (idle.length > 0) await intake.settle();
  };

  // The daemon gives V8's memory back after each burst of work, and keeps it in bounds during one.
  const collector = new IdleCollector();
  const work = <T>(task: () => Promise<T>): Promise<T> => collector.around(task);
  const queue = new WorkQueue(
    (log, final, next) => work(() => intake.read(log, final, next)),
    () => work(finalizeIdle),
    (e, log) => emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, log === undefined ? {} : { file: log }) }),
  );
  const isIgnored = spoolFilter({
    spool,
    exclude: [stateDir, outRoot],
    onSkipped: (d) => emit({ kind: 'diagnostic', diagnostic: d }),
  });

  const status = (): WatchStatus => tally.status(followers, session.openRuns.length, watcher?.watchedPaths ?? 0);

  let watcher: SpoolWatcher | undefined;
  let reloader: TemplateReloader | undefined;
  let net: SafetyNet | undefined;
  const timers: NodeJS.Timeout[] = [];
  let stopping: Promise<WatchSummary> | undefined;
  let resolveDone!: (s: WatchSummary) => void;
  const done = new Promise<WatchSummary>((resolve) => (resolveDone = resolve));

  const handle: WatchHandle = {
    stateDir,
    status,
    done,
    stop(reason = 'stop requested') {
      stopRequested = true;
      stopping ??= (async () => {
        for (const t of timers) clearInterval(t);
        net?.close();
        collector.close();
        // Reading ends after the chunk in hand (a stop in it writes its file); nothing new starts.
        // The watchers close meanwhile (one per spool folder; one per file with --polling).
        await Promise.all([watcher?.close(), reloader?.close(), queue.close(), retry?.close()]);
        const abandoned = session.abandonAll();
        await followers.closeAll();
        const { warningsByCode, errorsByCode } = tally.counts();
        const summary: WatchSummary = {
          ...status(),
          runsOpen: 0,
          abandoned,
          warningsByCode,
          errorsByCode,
          ...(fatal === undefined ? {} : { error: fatal }),
        };
        try {
          journal.close(); // fsyncs the records still waiting for it
        } catch (e) {
          fatal ??= toDiagnostic(e);
          summary.error = fatal;
          emit({ kind: 'diagnostic', diagnostic: fatal });
        }
        emit({ kind: 'stopping', reason, abandoned });
        emit({ kind: 'summary', summary });
        unlock();
        resolveDone(summary);
        return summary;
      })();
      return stopping;
    },
  };

  try {
    if (options.templatePaths !== undefined && options.templatePaths.length > 0 && options.once !== true) {
      reloader = await startTemplateReload(
        options.templatePaths,
        options.loadTemplates,
        convertOptions,
        emit,
        options.usePolling ?? false,
      );
    }
    const started = await SpoolWatcher.start({
      spool,
      isIgnored,
      // --once reads what is there and closes the watcher; --polling must watch each file (see spool-watcher.ts).
      mode: options.once === true || options.usePolling === true ? 'files' : 'folders',
      usePolling: options.usePolling ?? false,
      onLog: (log) => queue.add(log),
      known: (log) => followers.knows(log),
      onError: (e) => emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, { file: spool }) }),
    });
    watcher = started.watcher;
    // Logs present at start are read in name order, so a run continued in a later log is met in order.
    const initial = started.initial;
    if (options.once === true) {
      await watcher.close();
      watcher = undefined;
      for (const [i, log] of initial.entries()) {
        if (stopRequested) break;
        await queue.run(log, true, initial[i + 1]);
      }
      if (!stopRequested) await queue.finalizeNow();
      void handle.stop('--once: every log present was read');
      return handle;
    }
    for (const log of initial) queue.add(log);
    net = new SafetyNet({
      spool,
      skipDir: (dir) => isIgnored(dir),
      followers,
      add: (log) => queue.add(log),
      work,
      pollMs: options.pollIntervalMs ?? DEFAULT_POLL_MS,
      // Watching folders, a change to a put-aside log (even a file renamed over it) is the folder's event.
      statEveryPoll: started.mode === 'files',
    });
    if (options.finalizeAfterMs !== undefined)
      timers.push(
        setInterval(() => queue.requestFinalize(), Math.min(1000, Math.max(50, options.finalizeAfterMs / 4))),
      );
    const statusMs = options.statusIntervalMs ?? DEFAULT_STATUS_MS;
    if (statusMs > 0) timers.push(setInterval(() => emit({ kind: 'status', status: status() }), statusMs));
  } catch (e) {
    await handle.stop('start failed');
    throw e;
  }
  return handle;
}
