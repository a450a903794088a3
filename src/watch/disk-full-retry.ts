/**
 * Runs whose file could not be written because the disk was full are not recorded as failed:
 * they wait here, and once the output file system has free space again (checked every
 * `intervalMs`) their logs are read again from the start in a session of their own, which
 * writes only them. The daemon's main session is not disturbed; a run that meets a full disk
 * again simply waits for the next round. Nothing is lost across a stop either: an unrecorded
 * run is redone from its logs on the next start.
 */
import * as fs from 'node:fs';
import { ConversionSession } from '../convert/index.js';
import type { ConvertOptions, RunResult } from '../convert/models.js';
import { readDocumentLogBatches, RunDocumentLimit } from '../documents/index.js';
import { diagnostic, type Diagnostic } from '../errors.js';
import { formatDuration } from './duration.js';

export const DISK_FULL_RETRY_MS = 30_000;

/** Failures of the machine, not of the run: a full disk, a full descriptor table. */
const RESOURCE_CODES = new Set(['NEXUS_DISK_FULL', 'NEXUS_TOO_MANY_FILES']);

/** True for a failed run whose failure is a full disk or too many open files (it is retried, not recorded). */
export function failedForDiskFull(result: RunResult): boolean {
  return (
    result.status === 'failed' && result.diagnostics.some((d) => d.severity === 'error' && RESOURCE_CODES.has(d.code))
  );
}

/** Free bytes for an unprivileged writer on the file system of `dir` (undefined when it cannot be asked). */
function freeBytes(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

export interface DiskFullRetryOptions {
  outRoot: string;
  intervalMs?: number;
  /** The daemon's conversion options when a retry starts (layouts may have been reloaded). */
  convertOptions: () => ConvertOptions;
  /** Whether the journal already records the run as finished. */
  finished: (uid: string) => boolean;
  /** Every result of a retry (the daemon records it as it records its own). */
  onResult: (result: RunResult) => void;
}

/** What the daemon reports for a run that met a full disk. */
export function diskFullNotice(result: RunResult, retryMs: number | undefined): Diagnostic {
  const cause = result.diagnostics.find((d) => RESOURCE_CODES.has(d.code));
  const diskFull = cause?.code !== 'NEXUS_TOO_MANY_FILES';
  const when = diskFull ? 'as soon as the output file system has free space' : 'at the next try';
  const then =
    retryMs === undefined
      ? 'it is not recorded as failed: the next start writes it'
      : `it is written again ${when} (tried every ${formatDuration(retryMs)}); it is not recorded as failed`;
  return diagnostic(
    diskFull ? 'NEXUS_DISK_FULL' : 'NEXUS_TOO_MANY_FILES',
    'error',
    `run ${result.uid}: ${diskFull ? 'disk full' : 'too many open files'}, its file was not written (${cause?.message ?? 'no space left on the device'}); ${then}`,
    { run: result.uid, ...(result.file === undefined ? {} : { file: result.file }) },
    diskFull
      ? 'free space on the output file system (or raise the quota); no run is lost'
      : 'raise LimitNOFILE= (systemd) or ulimit -n; no run is lost',
  );
}

export class DiskFullRetry {
  readonly #options: DiskFullRetryOptions;
  /** uid → the logs the run was read from, and whether it was being written as incomplete (no stop). */
  readonly #pending = new Map<string, { logs: string[]; incomplete: boolean }>();
  readonly #timer: NodeJS.Timeout;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(options: DiskFullRetryOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.retryNow(), options.intervalMs ?? DISK_FULL_RETRY_MS);
  }

  get pending(): string[] {
    return [...this.#pending.keys()];
  }

  add(result: RunResult): void {
    this.#pending.set(result.uid, { logs: [...result.logs], incomplete: result.incomplete });
  }

  /** Reads the pending runs' logs again when there is free space (one round at a time). */
  retryNow(): Promise<void> {
    if (this.#closed || this.#running !== undefined || this.#pending.size === 0)
      return this.#running ?? Promise.resolve();
    const free = freeBytes(this.#options.outRoot);
    if (free !== undefined && free === 0) return Promise.resolve();
    this.#running = this.#round().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #round(): Promise<void> {
    const round = new Map(this.#pending);
    const uids = new Set(round.keys());
    const logs = [...new Set([...round.values()].flatMap((p) => p.logs))].sort();
    this.#pending.clear();
    const base = this.#options.convertOptions();
    const session = new ConversionSession(
      { ...base, longRunning: true, skip: (uid) => !uids.has(uid) || this.#options.finished(uid) },
      { onResult: (r) => this.#options.onResult(r) },
    );
    const limit = new RunDocumentLimit();
    for (const log of logs) {
      for await (const items of readDocumentLogBatches(log)) {
        for (const item of limit.filter(items)) {
          if (item.kind === 'problem') continue; // reported when the log was first read
          session.push(item, item.at);
        }
      }
    }
    // A run being written as incomplete (finalized without stop) is written so again; one whose
    // stop has not arrived yet (the disk filled while it was running) waits for the next round.
    for (const uid of session.openRuns) if (round.get(uid)?.incomplete === true) session.finishIncomplete(uid);
    for (const uid of session.abandonAll()) {
      const pending = round.get(uid);
      if (pending !== undefined && !this.#options.finished(uid)) this.#pending.set(uid, pending);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#running;
  }
}
