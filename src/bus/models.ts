/** What the Redis Streams bus carries, and what `publish` and `serve` take and report. */
import type { Diagnostic } from '../errors.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import type { TemplateSet } from '../watch/models.js';

/** Where the bus lives: the Redis URL and the prefix of every key. */
interface BusAddress {
  /** `redis://[user:pass@]host:port[/db]`, `rediss://…`, or `unix:///path/to/redis.sock[?db=N]`. */
  url: string;
  /** Prefix of every key (default `nxlayout`). */
  prefix?: string;
}

/** The stream keys of one bus. */
export interface BusKeys {
  /** `{prefix}:runs`: one job entry per run, consumed by the writers' group. */
  jobs: string;
  /** `{prefix}:results`: one entry per job acknowledged (written, exists, incomplete, failed). */
  results: string;
  /** `{prefix}:run:{uid}`: the run's documents in order. */
  run: (uid: string) => string;
}

/** One entry of a run stream: a document (its `doc` is JSON text on the bus). */
export interface RunEntry {
  /** Redis stream entry id. */
  id: string;
  named: NamedDocument;
  /** Where a publisher read it (absent when published live). */
  at?: DocumentSource;
}

/** One entry of the job stream. */
export interface JobEntry {
  id: string;
  uid: string;
  /** The run stream key the job names. */
  stream: string;
  /** Taken over from a writer silent longer than --claim-after (XAUTOCLAIM), not delivered fresh. */
  claimed: boolean;
}

/** How a job ended, as recorded on `{prefix}:results`. */
export type JobOutcome = 'written' | 'incomplete' | 'exists' | 'failed';

export interface ServeOptions extends BusAddress {
  outRoot: string;
  /** Consumer group (default `nxlayout`). */
  group?: string;
  /** Consumer name (default HOST-PID). */
  name?: string;
  loadTemplates: () => Promise<TemplateSet>;
  /** Files or directories whose changes reload the templates (none: no hot reload). */
  templatePaths?: string[];
  /** A job pending this long with its writer silent is claimed by another (ms, default 30 s). */
  claimAfterMs?: number;
  /** A run whose stream got no entry for this long is written as incomplete (ms; off when undefined). */
  finalizeAfterMs?: number;
  /** After a run is acknowledged, trim its stream to nothing (XTRIM MAXLEN 0). Default false: nothing is deleted. */
  trimWritten?: boolean;
  /** Longest wait of one blocking read (ms; default 500): how soon a stop request is seen. */
  blockMs?: number;
  strict?: boolean;
  registry?: ConvertOptions['registry'];
  projectionNames?: ConvertOptions['projectionNames'];
}

export interface ServeStatus {
  runsWritten: number;
  runsIncomplete: number;
  runsExisting: number;
  runsFailed: number;
  /** 1 while a run is being written. */
  runsOpen: number;
  /** Jobs taken over from a silent writer. */
  jobsClaimed: number;
  connected: boolean;
}

export type ServeEvent =
  | {
      kind: 'started';
      url: string;
      group: string;
      name: string;
      outRoot: string;
      templates: string[];
      staleTempsRemoved: string[];
    }
  | { kind: 'job'; job: JobEntry }
  /** A batch of a run stream read: documents in it, and whether it held the stop. */
  | { kind: 'read'; uid: string; documents: number; stop: boolean }
  | {
      kind: 'run';
      uid: string;
      outcome: JobOutcome;
      result: RunResult;
      job: JobEntry;
      file?: string;
      stopToFileMs?: number;
    }
  | { kind: 'failed'; uid: string; job: JobEntry; diagnostic: Diagnostic }
  | { kind: 'redis-down'; error: string; retryMs: number }
  | { kind: 'redis-up' }
  | { kind: 'diagnostic'; diagnostic: Diagnostic }
  | { kind: 'templates-reloaded'; templates: string[] }
  | { kind: 'templates-rejected'; diagnostics: Diagnostic[] }
  | { kind: 'stopping'; reason: string; abandoned: string[] };

export interface ServeHooks {
  onEvent?: (e: ServeEvent) => void;
}

export interface ServeHandle {
  status(): ServeStatus;
  /** Resolves once the writer has stopped. */
  readonly done: Promise<ServeStatus>;
  /** Stop reading; the run in progress is abandoned and its job left pending (another writer claims it). */
  stop(reason?: string): Promise<ServeStatus>;
}

export interface PublishSummary {
  runs: number;
  documents: number;
  /** Documents of no run (an orphan descriptor…): reported, not published. */
  skipped: number;
  diagnostics: Diagnostic[];
}
