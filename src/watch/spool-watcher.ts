/**
 * How the daemon learns that a log under the spool appeared, grew, was
 * replaced or was deleted. Two modes:
 *
 * - `folders` (the long-running default): chokidar watches the spool's
 *   folders only (one inotify watch per folder, nothing per file). A change to
 *   a file inside a folder arrives as the folder's raw event, named; a new
 *   folder is walked for the logs it already holds. The logs present at start
 *   are found by a walk once the watches are in place. So what the watcher
 *   keeps does not grow with the number of logs the spool has held, only with
 *   its folders.
 * - `files` (--once, --polling): chokidar watches every log itself (with
 *   polling, a folder's mtime does not change when a file in it grows).
 *
 * Either way the daemon's safety-net poll also stats each known log, so a
 * change no event reported (a file renamed over a log) is still seen.
 */
import { lstat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { findLogsUnder } from '../documents/index.js';

export interface SpoolWatcherOptions {
  spool: string;
  /** The spool filter (chokidar's `ignored`): true for what is never read. */
  isIgnored: (p: string, stats?: Stats) => boolean;
  mode: 'folders' | 'files';
  usePolling?: boolean;
  /** A log that may have changed: new, grown, replaced or deleted (called after `ready`). */
  onLog: (log: string) => void;
  /** The daemon knows this path as a log (a deletion of it matters). */
  known: (log: string) => boolean;
  onError: (e: unknown) => void;
}

export class SpoolWatcher {
  readonly #o: SpoolWatcherOptions;
  readonly #watcher: FSWatcher;
  /** Raw events whose path is being checked (each path once at a time). */
  readonly #checking = new Set<string>();
  #ready = false;

  private constructor(o: SpoolWatcherOptions, watcher: FSWatcher) {
    this.#o = o;
    this.#watcher = watcher;
  }

  /** Starts watching; resolves once the watches are in place, with the logs present (in name order). */
  static async start(
    o: SpoolWatcherOptions,
  ): Promise<{ watcher: SpoolWatcher; initial: string[]; mode: 'folders' | 'files' }> {
    const folders = o.mode === 'folders';
    const ignored = folders
      ? (p: string, st?: Stats): boolean => o.isIgnored(p, st) || (st !== undefined && !st.isDirectory())
      : o.isIgnored;
    // spool + '/': a spool path that is itself a symlink is entered although links are not followed below it.
    const fsw = watch(o.spool + path.sep, {
      ignored,
      followSymlinks: false,
      ignoreInitial: folders,
      persistent: true,
      usePolling: o.usePolling ?? false,
      interval: 200,
    });
    const self = new SpoolWatcher(o, fsw);
    const initial: string[] = [];
    const log = (p: string): void => (self.#ready ? o.onLog(path.resolve(p)) : void initial.push(path.resolve(p)));
    if (folders) {
      fsw.on('raw', (_event, name: string | null | undefined, details) =>
        self.#raw((details as { watchedPath?: string } | undefined)?.watchedPath, name),
      );
      // A new folder: the logs written into it before its watch was in place gave no event.
      fsw.on('addDir', (dir: string) => void self.#walk(path.resolve(dir)));
    } else {
      fsw.on('add', log);
      fsw.on('change', (p: string) => o.onLog(path.resolve(p)));
      // A deleted log: its follower lets go of it (a file created under its name is then a replacement).
      fsw.on('unlink', (p: string) => (self.#ready ? o.onLog(path.resolve(p)) : undefined));
    }
    fsw.on('error', (e: unknown) => o.onError(e));
    await new Promise<void>((resolve) => fsw.once('ready', () => resolve()));
    if (folders) initial.push(...(await self.#find(o.spool)));
    self.#ready = true;
    initial.sort();
    return { watcher: self, initial, mode: o.mode };
  }

  /** Paths chokidar watches (folders, plus files in `files` mode). */
  get watchedPaths(): number {
    let n = 0;
    for (const entries of Object.values(this.#watcher.getWatched())) n += entries.length;
    return n;
  }

  close(): Promise<void> {
    this.#ready = false;
    return this.#watcher.close();
  }

  /** A folder's raw event about one of its entries: a log to look at, when it is one (or was). */
  #raw(folder: string | undefined, name: string | null | undefined): void {
    if (!this.#ready || folder === undefined) return;
    if (name === null || name === undefined || name === '') {
      // No name (the kernel's event queue overflowed): the folder is walked.
      void this.#walk(path.resolve(folder));
      return;
    }
    const full = path.resolve(folder, name);
    if (this.#o.known(full)) {
      this.#o.onLog(full);
      return;
    }
    if (this.#checking.has(full)) return;
    this.#checking.add(full);
    lstat(full)
      .then(
        (st) => {
          // A folder is chokidar's (it reports it as addDir); anything else passes the spool filter first.
          if (this.#ready && !st.isDirectory() && !this.#o.isIgnored(full, st)) this.#o.onLog(full);
        },
        () => undefined,
      )
      .finally(() => this.#checking.delete(full));
  }

  async #walk(dir: string): Promise<void> {
    for (const log of await this.#find(dir)) if (this.#ready) this.#o.onLog(log);
  }

  async #find(dir: string): Promise<string[]> {
    try {
      // Its warnings (FIFOs, folder links…) are given by the spool filter, which chokidar calls for each entry.
      return (await findLogsUnder(dir, { skipDir: (d) => this.#o.isIgnored(d) })).logs;
    } catch (e) {
      this.#o.onError(e);
      return [];
    }
  }
}
