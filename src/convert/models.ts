/** What converting runs to files takes and gives. */
import type { LogThread } from '../documents/log-thread.js';
import type { Diagnostic } from '../errors.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import type { NexusPlan } from '../evaluate/models.js';
import type { Layout } from '../layout/models.js';
import type { OutputHost } from '../nexus/models.js';

export interface ConvertOptions {
  /** Output root: every file is written under it. */
  outRoot: string;
  /** Where files go: required by the core's ConversionSession; the Node shell's session and convertLogs default to the disk (`diskOutput`). */
  output?: OutputHost;
  /** Candidate templates; the best match for each run is used. */
  layouts: readonly Layout[];
  /**
   * Used when no candidate matches (the shipped default template), and when a
   * run's template fails for it and names no `fallback` of its own (not with `strict`).
   */
  fallback?: Layout;
  overwrite?: boolean;
  /**
   * A bad document fails its run instead of being skipped, and a template that
   * fails for a run fails it instead of giving way to its fallback.
   */
  strict?: boolean;
  /** Plan only: evaluate every run and return its plan, write nothing. */
  dryRun?: boolean;
  /** Runs that end without a stop document are still written (write: yes; watch decides per run). */
  writeIncomplete?: boolean;
  registry?: CalculationRegistry;
  /**
   * Start-document projection names applied (the command line's `--projections`);
   * default: each template's `start_projections.names`, else nexus, nxlayout, nxsas.
   */
  projectionNames?: readonly string[];
  signal?: AbortSignal;
  /** Runs not to write (their documents are still read): the daemon's runs already finished before a restart. */
  skip?: (uid: string) => boolean;
  /**
   * A daemon's session: each run is forgotten once its file is finished (its
   * documents, columns and result are released; a late copy of its documents
   * is ignored), and `results` is not kept. Default false.
   */
  longRunning?: boolean;
  /**
   * Worker threads that parse a big plain-jsonl log beside the writing
   * (default: one per core but the main thread's, at least 1, at most 4; 0: parse on the main thread only).
   */
  decodeThreads?: number;
  /** Logs smaller than this are parsed on the main thread (default DECODE_THREADS_MIN_BYTES). */
  decodeThreadsMinBytes?: number;
  /** A log already being decoded on a thread (started before the session, to overlap start-up): used for that log. */
  logThread?: LogThread;
}

export type RunStatus = 'written' | 'planned' | 'failed';

/** The outcome of one run. */
export interface RunResult {
  uid: string;
  scanId?: number;
  status: RunStatus;
  /** Template used (name@version). */
  layout?: string;
  layoutSha256?: string;
  /** Set when the run was written with a fallback template: the template tried first (name@version). */
  fallbackFrom?: string;
  /** Absolute path of the file written (or that would be, for a dry run). */
  file?: string;
  /** Events read, all streams. */
  events: number;
  /** Wall milliseconds from the run's first document (its start, as read) to its file in place (or its failure). */
  ms: number;
  /** True when the run had no stop document. */
  incomplete: boolean;
  /**
   * What the file is (also recorded in it, `nxlayout_provenance/status`):
   * complete; incomplete (no stop, no event, no frame); partial (documents or readings dropped or replaced).
   */
  completeness?: 'complete' | 'incomplete' | 'partial';
  /** Logs the run was read from. */
  logs: string[];
  diagnostics: Diagnostic[];
  plan?: NexusPlan;
}

/** Progress through the logs (for a progress bar). */
export interface ConvertProgress {
  log: string;
  logIndex: number;
  logCount: number;
  /** Documents read so far in this log. */
  documents: number;
  /** Bytes of this log consumed (decompressed offset for gzip). */
  offset: number;
}
