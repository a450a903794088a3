/** What the spool daemon takes, reports and records. */
import type { Diagnostic } from '../errors.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import type { Layout } from '../layout/models.js';
import type { LogItem } from '../documents/models.js';

/** The templates in service: candidates chosen by `match`, and the fallback. */
export interface TemplateSet {
  layouts: Layout[];
  fallback?: Layout;
  diagnostics: Diagnostic[];
}

export interface WatchOptions {
  /** The spool directory: every log under it (recursively) is followed. */
  spool: string;
  /** Output root: must exist and be writable. */
  outRoot: string;
  /** State directory (journal, pid lock); default `<outRoot>/.nxlayout-state`. */
  stateDir?: string;
  /**
   * Loads the templates (at start and on every change of `templatePaths`);
   * throws an NxlError when they do not validate. The CLI passes its template choice.
   */
  loadTemplates: () => Promise<TemplateSet>;
  /** Files or directories whose changes reload the templates (none: no hot reload). */
  templatePaths?: string[];
  /** A run without stop whose documents stopped arriving this long ago is written as incomplete (ms; off when undefined). */
  finalizeAfterMs?: number;
  /** Process the logs present, then stop (for cron and CI). */
  once?: boolean;
  /** Period of the `status` event (ms; 0 = none). Default 60 s. */
  statusIntervalMs?: number;
  /** Safety-net poll of every followed log (ms), in case a change event was missed. Default 5 s. */
  pollIntervalMs?: number;
  /** Use chokidar's polling (network file systems). */
  usePolling?: boolean;
  /** How often runs that met a full disk are tried again once there is free space (ms). Default 30 s. */
  diskFullRetryMs?: number;
  strict?: boolean;
  registry?: ConvertOptions['registry'];
  /** Start-document projection names applied (`--projections`; default: each template's, else nexus, nxlayout, nxsas). */
  projectionNames?: ConvertOptions['projectionNames'];
}

export type JournalStatus = 'written' | 'incomplete' | 'failed' | 'rejected-log' | 'log-read';

/**
 * A log read to its end whose runs have all been recorded: which file it was
 * (device, inode), how big and when modified, and where a resumed read starts
 * (a line boundary of a plain JSON-lines log; 0 = read again from the start).
 */
export interface LogMark {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
}

/** One line of the state journal (`journal.jsonl`). */
export interface JournalRecord {
  status: JournalStatus;
  /** Run uid (absent for a rejected log). */
  uid?: string;
  /** The log the run started in (or the rejected log). */
  log: string;
  /** Every log the run was read from, when more than one. */
  logs?: string[];
  /** Output file (absolute). */
  file?: string;
  /** Template name@version and its sha256. */
  template?: string;
  templateSha256?: string;
  events?: number;
  /** Why: failure code and message, or how a finished file was recovered. */
  reason?: string;
  /** ISO 8601 time of the record. */
  time: string;
  /** `log-read`: the log's identity and extent when it was put aside (see LogMark). */
  mark?: LogMark;
  /** `log-read`: the runs the log held (every one recorded above this line). */
  runs?: string[];
}

/** A snapshot for the periodic status line. */
export interface WatchStatus {
  /** Logs being read or feeding an open run (no descriptor is held between reads). */
  logsFollowed: number;
  /** Logs read to their end whose runs are all recorded: not opened again while unchanged. */
  logsDone: number;
  logsRejected: number;
  /** Logs deleted and recreated, or replaced by another file, since the start. */
  logsReplaced: number;
  runsOpen: number;
  runsWritten: number;
  runsIncomplete: number;
  runsFailed: number;
  runsSkipped: number;
  /** Paths the file watcher holds a watch on: the spool's folders (and each log with --polling). */
  pathsWatched: number;
}

/** What the daemon reports; the CLI turns each into a log line. */
export type WatchEvent =
  | {
      kind: 'started';
      spool: string;
      outRoot: string;
      stateDir: string;
      journalRecords: number;
      finishedRuns: number;
      staleTempsRemoved: string[];
      templates: string[];
    }
  | { kind: 'run'; record: JournalRecord; result: RunResult }
  | { kind: 'recovered'; record: JournalRecord }
  | { kind: 'log-rejected'; record: JournalRecord; diagnostic: Diagnostic }
  | { kind: 'log-replaced'; log: string; reason: string }
  | { kind: 'diagnostic'; diagnostic: Diagnostic }
  | { kind: 'templates-reloaded'; templates: string[] }
  | { kind: 'templates-rejected'; diagnostics: Diagnostic[] }
  | { kind: 'status'; status: WatchStatus }
  | { kind: 'stopping'; reason: string; abandoned: string[] }
  | { kind: 'summary'; summary: WatchSummary };

export interface WatchHooks {
  onEvent?: (event: WatchEvent) => void;
  /** Every batch of items read from a log, before it is processed (for metrics: documents read, stops seen). */
  onItems?: (log: string, items: readonly LogItem[]) => void;
}

/** The outcome when the daemon stops. */
export interface WatchSummary extends WatchStatus {
  /** Runs left open at the end (abandoned: nothing written, redone on the next start). */
  abandoned: string[];
  /** Warnings reported (runs' own and the logs'), by code. */
  warningsByCode: Record<string, number>;
  /** Errors reported (failed runs, rejected logs, unreadable items), by code. */
  errorsByCode: Record<string, number>;
  /** Why the daemon stopped by itself (the journal could not be written). */
  error?: Diagnostic;
}

export interface WatchHandle {
  readonly stateDir: string;
  status(): WatchStatus;
  /** Resolves when the daemon has stopped (after `stop`, or by itself with `once`). */
  readonly done: Promise<WatchSummary>;
  /** Stop intake, settle what is in flight, abandon open runs cleanly, close the watchers. */
  stop(reason?: string): Promise<WatchSummary>;
}
