/**
 * The safety net's walk of the spool: the logs under it that the daemon does
 * not know (a watcher event lost, e.g. when the kernel's event queue
 * overflowed). A folder's change time moves whenever an entry is added to it,
 * removed or renamed in it (and whenever its times are set, as by `rsync -a`),
 * so a folder whose device, inode, modification and change times are those of
 * its last listing holds the same entries: it is not listed again, only its
 * subfolders are visited. A walk thus costs a `stat` per folder, plus a
 * listing of the folders that changed; what is kept is a few numbers and the
 * subfolder names per folder, nothing per log. A listing made while its
 * folder's change time was recent (within CHANGE_MARGIN_MS: the clock that
 * stamps it is coarse) is not trusted, and every `fullEveryMs` every folder
 * is listed again anyway.
 *
 * Links to folders are not followed, each real folder is entered once per walk
 * (device and inode), FIFOs, sockets and devices are never logs (the spool
 * filter warns about them), and a folder that cannot be read is skipped (and
 * tried again at the next walk), as in log discovery (documents/find-logs.ts).
 */
import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import * as path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isLogFileName } from '../documents/index.js';

/** A listing is trusted once its folder's change time is at least this old (kernel timestamps are coarse). */
export const CHANGE_MARGIN_MS = 2_000;
/** Every folder is listed again at least this often. */
const FULL_SCAN_MS = 10 * 60_000;
/** Folders stat'ed or entries looked at between two turns of the event loop. */
const SLICE = 500;

interface Listing {
  dev: number;
  ino: number;
  mtimeMs: number;
  ctimeMs: number;
  /** The folder's subfolders (names) at its listing. */
  subfolders: string[];
}

export interface SpoolScanOptions {
  spool: string;
  /** Folders not to enter (the output root, the state directory). */
  skipDir: (dir: string) => boolean;
  /** The daemon knows this log already. */
  known: (log: string) => boolean;
  fullEveryMs?: number;
  now?: () => number;
}

export class SpoolScan {
  readonly #o: SpoolScanOptions;
  readonly #fullEveryMs: number;
  readonly #now: () => number;
  /** Trusted listings by folder path (only folders, never logs). */
  #listings = new Map<string, Listing>();
  #lastFull = -Infinity;
  /** Folders and entries looked at (the event loop turns every SLICE). */
  #steps = 0;
  /** Folders listed by the last walk (for the tests and the docs' figures). */
  listed = 0;

  constructor(options: SpoolScanOptions) {
    this.#o = options;
    this.#fullEveryMs = options.fullEveryMs ?? FULL_SCAN_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The folders the walk keeps a listing of. */
  get folders(): number {
    return this.#listings.size;
  }

  /** Walks the spool; returns the logs under it the daemon does not know, in name order per folder. */
  async unknownLogs(): Promise<string[]> {
    const now = this.#now();
    const full = now - this.#lastFull >= this.#fullEveryMs;
    if (full) this.#lastFull = now;
    const walk: Walk = { full, now, found: [], seen: new Set(), next: new Map() };
    this.listed = 0;
    await this.#visit(path.resolve(this.#o.spool), walk);
    // Folders gone since the last walk are forgotten.
    this.#listings = walk.next;
    return walk.found;
  }

  async #visit(dir: string, w: Walk): Promise<void> {
    if (++this.#steps % SLICE === 0) await nextTurn();
    let info: Stats;
    try {
      info = statSync(dir);
    } catch {
      return;
    }
    const id = `${info.dev}:${info.ino}`;
    if (!info.isDirectory() || w.seen.has(id)) return;
    w.seen.add(id);
    const before = this.#listings.get(dir);
    let subfolders: string[];
    if (!w.full && before !== undefined && unchanged(before, info)) subfolders = before.subfolders;
    else {
      const listed = await this.#list(dir, w);
      if (listed === undefined) return;
      subfolders = listed;
      this.listed++;
    }
    // A listing of a folder that had just changed is not trusted: it is made again at the next walk.
    if (w.now - info.ctimeMs >= CHANGE_MARGIN_MS)
      w.next.set(dir, { dev: info.dev, ino: info.ino, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, subfolders });
    for (const name of subfolders) {
      const sub = path.join(dir, name);
      if (!this.#o.skipDir(sub)) await this.#visit(sub, w);
    }
  }

  /** Lists DIR: its unknown logs go to `w.found`; returns its subfolders (undefined when it cannot be read). */
  async #list(dir: string, w: Walk): Promise<string[] | undefined> {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subfolders: string[] = [];
    for (const entry of entries) {
      if (++this.#steps % SLICE === 0) await nextTurn();
      if (entry.isDirectory()) {
        subfolders.push(entry.name);
        continue;
      }
      if (!isLogFileName(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (this.#o.known(full)) continue;
      if (entry.isFile() || isFileLink(entry, full)) w.found.push(full);
    }
    return subfolders;
  }
}

interface Walk {
  full: boolean;
  now: number;
  found: string[];
  /** Folders entered in this walk (device:inode). */
  seen: Set<string>;
  next: Map<string, Listing>;
}

function unchanged(before: Listing, now: Stats): boolean {
  return (
    before.dev === now.dev && before.ino === now.ino && before.mtimeMs === now.mtimeMs && before.ctimeMs === now.ctimeMs
  );
}

/** A symlink to a regular file (a link to a folder is not followed; FIFOs and devices are never logs). */
function isFileLink(entry: Dirent, full: string): boolean {
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(full, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}
