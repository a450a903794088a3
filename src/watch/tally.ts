/** What the daemon did, counted from the events it reports: for the status line and the summary at the end. */
import type { Diagnostic } from '../errors.js';
import type { WatchEvent, WatchStatus } from './models.js';

export interface TallyCounts {
  runsWritten: number;
  runsIncomplete: number;
  runsFailed: number;
  runsSkipped: number;
  logsReplaced: number;
  warningsByCode: Record<string, number>;
  errorsByCode: Record<string, number>;
}

function sorted(m: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class Tally {
  #written = 0;
  #incomplete = 0;
  #failed = 0;
  #replaced = 0;
  readonly #skipped = new Set<string>();
  readonly #warnings = new Map<string, number>();
  readonly #errors = new Map<string, number>();

  /** A run already recorded by the journal was met again (counted once per run). */
  skipped(uid: string): void {
    this.#skipped.add(uid);
  }

  /** A run that failed without a journal record (a full disk under --once: the next start writes it). */
  failedUnrecorded(): void {
    this.#failed++;
  }

  /** Counts what one reported event says. */
  note(e: WatchEvent): void {
    switch (e.kind) {
      case 'run':
      case 'recovered':
        if (e.record.status === 'failed') this.#failed++;
        else if (e.record.status === 'incomplete') this.#incomplete++;
        else this.#written++;
        if (e.kind === 'run') for (const d of e.result.diagnostics) this.#count(d);
        return;
      case 'diagnostic':
      case 'log-rejected':
        this.#count(e.diagnostic);
        return;
      case 'log-replaced':
        this.#replaced++;
        return;
      default:
        return;
    }
  }

  counts(): TallyCounts {
    return {
      runsWritten: this.#written,
      runsIncomplete: this.#incomplete,
      runsFailed: this.#failed,
      runsSkipped: this.#skipped.size,
      logsReplaced: this.#replaced,
      warningsByCode: sorted(this.#warnings),
      errorsByCode: sorted(this.#errors),
    };
  }

  #count(d: Diagnostic): void {
    const m = d.severity === 'warning' ? this.#warnings : d.severity === 'error' ? this.#errors : undefined;
    m?.set(d.code, (m.get(d.code) ?? 0) + 1);
  }

  /** The daemon's status: these counts with the logs' (`followers`), the runs open and the paths watched. */
  status(
    followers: { readonly followed: number; readonly done: number; readonly rejected: number },
    runsOpen: number,
    pathsWatched: number,
  ): WatchStatus {
    const n = this.counts();
    return {
      logsFollowed: followers.followed,
      logsDone: followers.done,
      logsRejected: followers.rejected,
      logsReplaced: n.logsReplaced,
      runsOpen,
      runsWritten: n.runsWritten,
      runsIncomplete: n.runsIncomplete,
      runsFailed: n.runsFailed,
      runsSkipped: n.runsSkipped,
      pathsWatched,
    };
  }
}
