/**
 * The spool daemon: every log under the spool is followed as it grows and fed,
 * document by document, into ONE ConversionSession (the pipeline `write` uses),
 * so runs spanning logs and interleaved runs work; a run's file is written when
 * its stop arrives. The state journal makes that happen once per run across
 * crashes and restarts.
 */
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { ConversionSession } from '../convert/index.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import { RunDocumentLimit } from '../documents/index.js';
import { removeStaleTemps } from '../nexus/index.js';
import { toDiagnostic, type Diagnostic } from '../errors.js';
import { StateJournal } from './journal.js';
import { LogFollower } from './log-follower.js';
import type { JournalRecord, WatchEvent, WatchHandle, WatchHooks, WatchOptions, WatchStatus, WatchSummary } from './models.js';
import { checkOutputRoot, checkSpool, checkSpoolOutsideOutput } from './preflight.js';
import { recoveredRecord, rejectedLogRecord, runRecord } from './records.js';
import { ownExistingFile } from './recover.js';
import { DISK_FULL_RETRY_MS, DiskFullRetry, diskFullNotice, failedForDiskFull } from './disk-full-retry.js';
import { RunActivity } from './run-activity.js';
import { spoolFilter } from './spool-filter.js';
import { lockStateDir } from './lock.js';
import { TemplateReloader } from './template-reload.js';
import { templateNames, WorkQueue } from './work-queue.js';

export const DEFAULT_STATE_DIR = '.nxlayout-state';
const DEFAULT_STATUS_MS = 60_000;
const DEFAULT_POLL_MS = 5_000;

/**
 * Checks ROOT, SPOOL and the templates (throws NxlError before watching anything),
 * then follows the spool until `stop` (or, with `once`, until the logs present are read).
 */
export async function startWatch(options: WatchOptions, hooks: WatchHooks = {}): Promise<WatchHandle> {
  const emit = (e: WatchEvent): void => hooks.onEvent?.(e);
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
  emit({ kind: 'started', spool, outRoot, stateDir, journalRecords: journal.size, finishedRuns: journal.finishedCount, staleTempsRemoved, templates: templateNames(templates) });

  const counts = { written: 0, incomplete: 0, failed: 0 };
  const skipped = new Set<string>();
  const followers = new Map<string, LogFollower>();
  const activity = new RunActivity();
  let fatal: Diagnostic | undefined;
  let reported = 0;

  const append = (record: JournalRecord): boolean => {
    try {
      journal.append(record);
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
      if (retry === undefined) counts.failed++;
      emit({ kind: 'diagnostic', diagnostic: diskFullNotice(result, retry === undefined ? undefined : options.diskFullRetryMs ?? DISK_FULL_RETRY_MS) });
      return;
    }
    const own = ownExistingFile(result);
    const record = own === undefined ? runRecord(result) : recoveredRecord(result, own);
    if (!append(record)) return;
    if (record.status === 'failed') counts.failed++;
    else if (record.status === 'incomplete') counts.incomplete++;
    else counts.written++;
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
      skipped.add(uid);
      return true;
    },
  };
  const session = new ConversionSession(convertOptions, { onResult });
  const runLimit = new RunDocumentLimit();
  if (options.once !== true) {
    retry = new DiskFullRetry({ outRoot, convertOptions: () => convertOptions, finished: (uid) => journal.finished(uid) !== undefined, onResult, ...(options.diskFullRetryMs === undefined ? {} : { intervalMs: options.diskFullRetryMs }) });
  }

  const readLog = async (log: string, final: boolean): Promise<void> => {
    let follower = followers.get(log);
    if (follower === undefined) {
      follower = new LogFollower(log);
      followers.set(log, follower);
    }
    if (follower.rejected !== undefined) return;
    const batch = await follower.read(final);
    hooks.onItems?.(log, batch.items);
    for (const item of runLimit.filter(batch.items)) {
      if (item.kind === 'problem') {
        session.report(item.diagnostic);
        continue;
      }
      activity.note(item, batch.mtimeMs);
      session.push(item, item.at);
    }
    // Problems that belong to no run (unreadable items, orphan documents): reported as they come.
    const found = session.diagnostics;
    for (; reported < found.length; reported++) emit({ kind: 'diagnostic', diagnostic: found[reported] });
    if (batch.rejected !== undefined) {
      const record = rejectedLogRecord(log, batch.rejected);
      if (append(record)) emit({ kind: 'log-rejected', record, diagnostic: batch.rejected });
    }
  };

  const finalizeIdle = (): void => {
    if (options.finalizeAfterMs === undefined) return;
    for (const uid of activity.idle(session.openRuns, Date.now(), options.finalizeAfterMs)) session.finishIncomplete(uid);
  };

  const queue = new WorkQueue(readLog, finalizeIdle, (e, log) => emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, log === undefined ? {} : { file: log }) }));
  const isIgnored = spoolFilter({ spool, exclude: [stateDir, outRoot], onSkipped: (d) => emit({ kind: 'diagnostic', diagnostic: d }) });

  const status = (): WatchStatus => ({
    logsFollowed: [...followers.values()].filter((f) => f.rejected === undefined).length,
    logsRejected: [...followers.values()].filter((f) => f.rejected !== undefined).length,
    runsOpen: session.openRuns.length,
    runsWritten: counts.written,
    runsIncomplete: counts.incomplete,
    runsFailed: counts.failed,
    runsSkipped: skipped.size,
  });

  let watcher: FSWatcher | undefined;
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
      stopping ??= (async () => {
        for (const t of timers) clearInterval(t);
        await watcher?.close();
        await reloader?.close();
        // What is being read now is pushed to the end (a stop in it writes its file); nothing new starts.
        await queue.close();
        await retry?.close();
        const abandoned = session.abandonAll();
        for (const f of followers.values()) await f.close();
        emit({ kind: 'stopping', reason, abandoned });
        journal.close();
        unlock();
        const summary: WatchSummary = { ...status(), runsOpen: 0, abandoned, ...(fatal === undefined ? {} : { error: fatal }) };
        resolveDone(summary);
        return summary;
      })();
      return stopping;
    },
  };

  try {
    if (options.templatePaths !== undefined && options.templatePaths.length > 0 && options.once !== true) {
      reloader = new TemplateReloader(options.templatePaths, {
        load: options.loadTemplates,
        onLoaded: (set) => {
          convertOptions.layouts = set.layouts;
          if (set.fallback !== undefined) convertOptions.fallback = set.fallback;
          emit({ kind: 'templates-reloaded', templates: templateNames(set) });
        },
        onRejected: (diagnostics) => emit({ kind: 'templates-rejected', diagnostics }),
      }, options.usePolling ?? false);
      await reloader.ready();
    }
    const initial: string[] = [];
    let ready = false;
    // spool + '/': a spool path that is itself a symlink is entered although links are not followed below it.
    watcher = watch(spool + path.sep, { ignored: isIgnored, followSymlinks: false, ignoreInitial: false, persistent: true, usePolling: options.usePolling ?? false, interval: 200 });
    watcher.on('add', (p) => (ready ? queue.add(path.resolve(p)) : initial.push(path.resolve(p))));
    watcher.on('change', (p) => queue.add(path.resolve(p)));
    watcher.on('error', (e) => emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, { file: spool }) }));
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
    ready = true;
    // Logs present at start are read in name order, so a run continued in a later log is met in order.
    initial.sort();
    if (options.once === true) {
      await watcher.close();
      watcher = undefined;
      for (const log of initial) await queue.run(log, true);
      queue.finalizeNow();
      void handle.stop('--once: every log present was read');
      return handle;
    }
    for (const log of initial) queue.add(log);
    timers.push(setInterval(() => {
      for (const [log, f] of followers) if (f.rejected === undefined) queue.add(log);
    }, options.pollIntervalMs ?? DEFAULT_POLL_MS));
    if (options.finalizeAfterMs !== undefined) timers.push(setInterval(() => queue.requestFinalize(), Math.min(1000, Math.max(50, options.finalizeAfterMs / 4))));
    const statusMs = options.statusIntervalMs ?? DEFAULT_STATUS_MS;
    if (statusMs > 0) timers.push(setInterval(() => emit({ kind: 'status', status: status() }), statusMs));
  } catch (e) {
    await handle.stop('start failed');
    throw e;
  }
  return handle;
}
