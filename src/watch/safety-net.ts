/**
 * The daemon's safety nets for watcher events that never came, on one timer.
 * Every poll the logs being followed are read again. Every `rescanMs` (every
 * poll when the watcher watches each file) the put-aside logs are checked with
 * a `stat` (a change to one, even a file renamed over it, is normally its
 * folder's event), and the spool is walked for logs nobody announced: only the
 * folders that changed since the last walk are listed (SpoolScan), so the walk
 * of a spool that held 10,000 logs costs a `stat` per folder, and makes no
 * garbage per log.
 */
import type { Followers } from './followers.js';
import { SpoolScan } from './spool-scan.js';

/** How often the spool is walked for logs the watcher missed, and put-aside logs are checked. */
const RESCAN_MS = 30_000;

export interface SafetyNetOptions {
  spool: string;
  /** Folders not to enter (the output root, the state directory). */
  skipDir: (dir: string) => boolean;
  followers: Followers;
  /** Queues a log to be read. */
  add: (log: string) => void;
  /** Runs a walk as the daemon's work (its idle collections follow it). */
  work: (task: () => Promise<void>) => Promise<void>;
  pollMs: number;
  /** Check the put-aside logs every poll (the watcher watches each file, with polling). */
  statEveryPoll: boolean;
  rescanMs?: number;
  /** The spool walk's listing cadence (SpoolScan's `fullEveryMs`). */
  fullScanMs?: number;
}

export class SafetyNet {
  readonly #o: SafetyNetOptions;
  readonly #scan: SpoolScan;
  readonly #timer: NodeJS.Timeout;
  #sweeping = false;
  /**
   * The first tick walks the spool: a log created while the watcher was setting
   * up may have given no event, and should not wait a whole `rescanMs`.
   */
  #lastWalk = -Infinity;

  constructor(options: SafetyNetOptions) {
    this.#o = options;
    this.#scan = new SpoolScan({
      spool: options.spool,
      skipDir: options.skipDir,
      known: (log) => options.followers.knows(log),
      ...(options.fullScanMs === undefined ? {} : { fullEveryMs: options.fullScanMs }),
    });
    this.#timer = setInterval(() => this.#tick(), options.pollMs);
  }

  /** Folders the walk keeps a listing of, and how many the last walk listed. */
  get folders(): { kept: number; listed: number } {
    return { kept: this.#scan.folders, listed: this.#scan.listed };
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    const o = this.#o;
    for (const log of o.followers.activeLogs()) o.add(log);
    if (this.#sweeping) return;
    const walk = Date.now() - this.#lastWalk >= (o.rescanMs ?? RESCAN_MS);
    if (!walk && !o.statEveryPoll) return;
    if (walk) this.#lastWalk = Date.now();
    this.#sweeping = true;
    const sweep = async (): Promise<void> => {
      for (const log of await o.followers.changed()) o.add(log);
      if (walk) for (const log of await this.#scan.unknownLogs()) o.add(log);
    };
    void o
      .work(sweep)
      .catch(() => undefined)
      .finally(() => (this.#sweeping = false));
  }
}
