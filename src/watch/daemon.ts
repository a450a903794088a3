/**
 * The spool daemon: every log under the spool is followed as it grows and fed,
 * document by document, into ONE ConversionSession (the pipeline `write` uses),
 * so runs spanning logs and interleaved runs work; a run's file is written when
 * its stop arrives. The state journal makes that happen once per run across
 * crashes and restarts.
 */
import * as path from 'node:path';
import { ConversionSession } from '../convert/index.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import { findLogsUnder, RunDocumentLimit } from '../documents/index.js';
import { removeStaleTemps } from '../nexus/index.js';
import { toDiagnostic, type Diagnostic } from '../errors.js';
import { Followers } from './followers.js';
import { IdleCollector } from './idle-collector.js';
import { Intake } from './intake.js';
import { StateJournal } from './journal.js';
import type {
  JournalRecord,
  WatchEvent,
  WatchHandle,
  WatchHooks,
  WatchOptions,
  WatchStatus,
  WatchSummary,
} from './models.js';
import { checkOutputRoot, checkSpool, checkSpoolOutsideOutput } from './preflight.js';
import { recoveredRecord, runRecord } from './records.js';
import { ownExistingFile } from './recover.js';
import { DISK_FULL_RETRY_MS, DiskFullRetry, diskFullNotice, failedForDiskFull } from './disk-full-retry.js';
import { RunActivity } from './run-activity.js';
import { spoolFilter } from './spool-filter.js';
import { SpoolWatcher } from './spool-watcher.js';
import { lockStateDir } from './lock.js';
import { Tally } from './tally.js';
import { startTemplateReload, type TemplateReloader } from './template-reload.js';
import { templateNames, WorkQueue } from './work-queue.js';

const DEFAULT_STATE_DIR = '.nxlayout-state';
const DEFAULT_STATUS_MS = 60_000;
const DEFAULT_POLL_MS = 5_000;
/** How often the spool is walked for logs the watcher missed. */
const RESCAN_MS = 30_000;

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
  const outRoot = path.resolve(options.outRoot);
  const spool = path.resolve(options.spool);
  checkOutputRoot(outRoot);
  checkSpool(spool);
  checkSpoolOutsideOutput(spool, outRoot);
  const templates = await options.loadTemplates();
  const stateDir = path.resolve(options.stateDir ?? path.join(outRoot, DEFAULT_STATE_DIR));
  const unlock = lockStateDir(stateDir);
  let opened: ReturnType<typeof StateJournal.open>;
  try {
    opened = StateJournal.open(stateDir);
  } catch (e) {
    unlock();
    throw e;
  }
  const journal = opened.journal;
  for (const d of opened.diagnostics) emit({ kind: 'diagnostic', diagnostic: d });
  const staleTempsRemoved = removeStaleTemps(outRoot);
  emit({
    kind: 'started',
    spool,
    outRoot,
    stateDir,
    journalRecords: journal.size,
    finishedRuns: journal.finishedCount,
    staleTempsRemoved,
    templates: templateNames(templates),
  });

  const followers = new Followers(journal.logMarks);
  const activity = new RunActivity();
  let fatal: Diagnostic | undefined;
  // Set the moment a stop is asked for: reading ends after the chunk in hand.
  let stopRequested = false;

  const append = (record: JournalRecord, sync = true): boolean => {
    try {
      journal.append(record, sync);
      return true;
    } catch (e) {
      // Without its journal the daemon cannot keep its promise: it stops, and the run is redone on restart.
      fatal ??= toDiagnostic(e);
      emit({ kind: 'diagnostic', diagnostic: fatal });
      void handle.stop('the state journal cannot be written');
      return false;
    }
  };

  let retry: DiskFullRetry | undefined;
  const onResult = (result: RunResult): void => {
    activity.forget(result.uid);
    if (failedForDiskFull(result)) {
      // Not recorded: written again when space returns (or on the next start after --once).
      retry?.add(result);
      if (retry === undefined) tally.failedUnrecorded();
      emit({
        kind: 'diagnostic',
        diagnostic: diskFullNotice(
          result,
          retry === undefined ? undefined : (options.diskFullRetryMs ?? DISK_FULL_RETRY_MS),
        ),
      });
      return;
    }
    const own = ownExistingFile(result);
    const record = own === undefined ? runRecord(result) : recoveredRecord(result, own);
    if (!append(record)) return;
    emit(own === undefined ? { kind: 'run', record, result } : { kind: 'recovered', record });
  };

  // The session reads layouts and fallback from this object whenever a run starts: a reload swaps them here.
  const convertOptions: ConvertOptions = {
    outRoot,
    layouts: templates.layouts,
    ...(templates.fallback === undefined ? {} : { fallback: templates.fallback }),
    overwrite: false,
    strict: options.strict ?? false,
    longRunning: true,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.projectionNames === undefined ? {} : { projectionNames: options.projectionNames }),
    skip: (uid) => {
      if (journal.finished(uid) === undefined) return false;
      tally.skipped(uid);
      return true;
    },
  };
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
    (log, final) => work(() => intake.read(log, final)),
    () => work(finalizeIdle),
    (e, log) => emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, log === undefined ? {} : { file: log }) }),
  );
  const isIgnored = spoolFilter({
    spool,
    exclude: [stateDir, outRoot],
    onSkipped: (d) => emit({ kind: 'diagnostic', diagnostic: d }),
  });

  const status = (): WatchStatus => {
    const n = tally.counts();
    return {
      logsFollowed: followers.followed,
      logsDone: followers.done,
      logsRejected: followers.rejected,
      logsReplaced: n.logsReplaced,
      runsOpen: session.openRuns.length,
      runsWritten: n.runsWritten,
      runsIncomplete: n.runsIncomplete,
      runsFailed: n.runsFailed,
      runsSkipped: n.runsSkipped,
      pathsWatched: watcher?.watchedPaths ?? 0,
    };
  };

  let watcher: SpoolWatcher | undefined;
  let reloader: TemplateReloader | undefined;
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
        emit({ kind: 'stopping', reason, abandoned });
        emit({ kind: 'summary', summary });
        journal.close();
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
      for (const log of initial) {
        if (stopRequested) break;
        await queue.run(log, true);
      }
      if (!stopRequested) await queue.finalizeNow();
      void handle.stop('--once: every log present was read');
      return handle;
    }
    for (const log of initial) queue.add(log);
    // Safety nets: followed logs are read again, put-aside logs are checked for a change, and
    // (less often) the spool is walked for logs the watcher never announced. Watching folders,
    // a change to a put-aside log (even a file renamed over it) is the folder's event: its stat
    // check is a net for lost events, done with the walk (a stat per log the spool ever held).
    const sweepEveryPoll = started.mode === 'files';
    let sweeping = false;
    // The first tick walks the spool: a log created while the watcher was setting up may have
    // given no event, and should not wait a whole RESCAN_MS for the next walk.
    let lastWalk = 0;
    timers.push(
      setInterval(() => {
        for (const log of followers.activeLogs()) queue.add(log);
        if (sweeping) return;
        sweeping = true;
        const walk = Date.now() - lastWalk >= RESCAN_MS;
        if (walk) lastWalk = Date.now();
        const sweep = async (): Promise<void> => {
          if (walk || sweepEveryPoll) for (const log of await followers.changed()) queue.add(log);
          // The walk's warnings (FIFOs, folder links…) were given by the watcher's filter already.
          if (walk)
            for (const log of (await findLogsUnder(spool, { skipDir: (dir) => isIgnored(dir) })).logs)
              if (!followers.knows(log)) queue.add(log);
        };
        void (walk || sweepEveryPoll ? work(sweep) : sweep()).catch(() => undefined).finally(() => (sweeping = false));
      }, options.pollIntervalMs ?? DEFAULT_POLL_MS),
    );
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
