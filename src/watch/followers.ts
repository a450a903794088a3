/**
 * Which logs the daemon follows, and what it remembers of the others. Memory
 * and descriptors are bounded by the work in flight, not by the history of the
 * spool:
 * - a log being read, or feeding a run still open, has a LogFollower (which
 *   holds no descriptor between reads);
 * - a log read to its end whose runs are all recorded as finished (written or
 *   incomplete) is put aside: only its
 *   mark (inode, size, mtime, offset) is kept, here and in the journal. While
 *   the file is unchanged it is not opened again (not after a restart either);
 *   a log that grew is resumed at its mark; a file with another inode, or
 *   smaller than its mark, is a new log read from its start;
 * - a rejected log keeps its identity only, and is tried again once replaced;
 * - a followed log that was deleted keeps its identity, so that a file created
 *   under its name is reported as a replacement.
 */
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { LogFollower } from './log-follower.js';
import type { LogMark } from './models.js';

/** What to do with a log that changed (or may have). */
export type Lookup =
  | { kind: 'follow'; follower: LogFollower; replaced?: string }
  | { kind: 'unchanged' }
  | { kind: 'rejected' }
  | { kind: 'gone' };

interface Known {
  dev: number;
  ino: number;
  size: number;
}

async function statOf(log: string): Promise<{ dev: number; ino: number; size: number } | undefined> {
  try {
    const s = await stat(log);
    return { dev: s.dev, ino: s.ino, size: s.size };
  } catch {
    return undefined;
  }
}

/** Put-aside logs stat'ed between two turns of the event loop (a few ms). */
const STAT_SLICE = 500;

function statSyncOf(log: string): { dev: number; ino: number; size: number } | undefined {
  try {
    return statSync(log, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function sameFile(a: Known, b: Known): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

export class Followers {
  readonly #active = new Map<string, LogFollower>();
  readonly #marks: Map<string, LogMark>;
  readonly #rejected = new Map<string, Known>();
  readonly #gone = new Map<string, Known>();

  /** `marks`: the logs the journal knows as read (kept up to date here). */
  constructor(marks: Map<string, LogMark>) {
    this.#marks = marks;
  }

  get followed(): number {
    return this.#active.size;
  }

  get rejected(): number {
    return this.#rejected.size;
  }

  /** Logs read to their end and put aside. */
  get done(): number {
    return this.#marks.size;
  }

  /** The log is known (followed, put aside, rejected or deleted). */
  knows(log: string): boolean {
    return this.#active.has(log) || this.#marks.has(log) || this.#rejected.has(log) || this.#gone.has(log);
  }

  /** The logs being followed (polled as a safety net). */
  activeLogs(): string[] {
    return [...this.#active.keys()];
  }

  /**
   * Put-aside and rejected logs whose file changed (another inode, another
   * size): the safety net for a change event the watcher missed (a file
   * renamed over a log may give none). Costs a stat per log, no descriptor.
   */
  async changed(): Promise<string[]> {
    const out: string[] = [];
    // Synchronous stats in slices (a promise per stat kept a spool's worth of requests alive across
    // the event loop's turns: ~10 MB of young garbage surviving each sweep of 10,000 logs, which made
    // V8 grow its young generation; this way each stat's garbage dies at once).
    let n = 0;
    for (const known of [this.#marks, this.#rejected])
      for (const [log, was] of known) {
        if (++n % STAT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        const now = statSyncOf(log);
        if (now !== undefined && (!sameFile(now, was) || now.size !== was.size)) out.push(log);
      }
    return out;
  }

  /** The follower to read `log` with, or why there is nothing to read. */
  async lookup(log: string): Promise<Lookup> {
    const active = this.#active.get(log);
    if (active !== undefined) return { kind: 'follow', follower: active };
    const rejected = this.#rejected.get(log);
    if (rejected !== undefined) {
      const now = await statOf(log);
      if (now === undefined) return { kind: 'gone' };
      if (sameFile(now, rejected) && now.size >= rejected.size) return { kind: 'rejected' };
      this.#rejected.delete(log);
      return { kind: 'follow', follower: this.#start(log), replaced: replacement(rejected, now) };
    }
    const gone = this.#gone.get(log);
    if (gone !== undefined) {
      const now = await statOf(log);
      if (now === undefined) return { kind: 'gone' };
      this.#gone.delete(log);
      return {
        kind: 'follow',
        follower: this.#start(log),
        ...(sameFile(gone, now) ? {} : { replaced: replacement(gone, now) }),
      };
    }
    const mark = this.#marks.get(log);
    if (mark === undefined) return { kind: 'follow', follower: this.#start(log) };
    const now = await statOf(log);
    if (now === undefined) return { kind: 'gone' };
    if (sameFile(now, mark) && now.size === mark.size) return { kind: 'unchanged' };
    this.#marks.delete(log);
    if (sameFile(now, mark) && now.size > mark.size) return { kind: 'follow', follower: this.#start(log, mark) };
    return { kind: 'follow', follower: this.#start(log), replaced: replacement(mark, now) };
  }

  /** The file under `log` is no longer the one followed: the next lookup starts it as a new log. */
  async replaced(log: string): Promise<void> {
    await this.#active.get(log)?.close();
    this.#active.delete(log);
    this.#marks.delete(log);
    this.#rejected.delete(log);
  }

  /** A rejected log: not read again until the file is replaced. */
  async reject(follower: LogFollower): Promise<void> {
    await follower.close();
    this.#active.delete(follower.path);
    // A file never opened (unreadable) is known by its stat: it is tried again only once replaced.
    this.#rejected.set(
      follower.path,
      follower.identity ?? (await statOf(follower.path)) ?? { dev: -1, ino: -1, size: 0 },
    );
  }

  /** The followed log was deleted: only its identity is kept (its open runs keep what they read). */
  async removed(log: string): Promise<void> {
    const f = this.#active.get(log);
    if (f === undefined) return;
    await f.close();
    this.#active.delete(log);
    const id = f.identity;
    if (id !== undefined) this.#gone.set(log, id);
  }

  /**
   * Puts aside every settled follower all of whose runs are `recorded` as
   * finished (a failed run is not: its log is read again at the next start, so
   * that a corrected template can write it), but `except`; returns them with their marks.
   */
  async retire(
    recorded: (uid: string) => boolean,
    /** A log read ahead of its turn: its documents are not pushed yet, so its runs are not known. */
    except?: string,
  ): Promise<{ log: string; mark: LogMark; runs: string[] }[]> {
    const retired: { log: string; mark: LogMark; runs: string[] }[] = [];
    for (const [log, f] of this.#active) {
      if (log === except || !f.settled || [...f.runs].some((uid) => !recorded(uid))) continue;
      const mark = f.mark();
      if (mark === undefined) continue;
      await f.close();
      this.#active.delete(log);
      this.#marks.set(log, mark);
      retired.push({ log, mark, runs: [...f.runs] });
    }
    return retired;
  }

  async closeAll(): Promise<void> {
    for (const f of this.#active.values()) await f.close();
    this.#active.clear();
  }

  #start(log: string, resume?: LogMark): LogFollower {
    const f = new LogFollower(log, resume);
    this.#active.set(log, f);
    return f;
  }
}

/** Why a known path is now another log (for the report). */
function replacement(before: Known, now: Known): string {
  if (!sameFile(before, now)) return `another file now has its name (inode ${before.ino} → ${now.ino})`;
  return `it shrank from ${before.size} to ${now.size} bytes`;
}
