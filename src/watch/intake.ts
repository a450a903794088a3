/**
 * Reading one log into the session, a bounded chunk at a time: each chunk's
 * documents are pushed (the run writers append them to their files) before
 * the next chunk is read, so memory is bounded by the chunk, not the log, and
 * a stop request is honoured between two chunks. After a read, the logs
 * whose runs are all recorded are put aside (Followers.retire).
 *
 * With --once the logs come one after the other: the first chunk of the next
 * log is read while the runs of the one in hand are written (readAhead), so
 * its file system round trips overlap that work instead of following it.
 * Nothing of it reaches the session before its turn, and a log read ahead is
 * not put aside before its documents were pushed.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ConversionSession } from '../convert/index.js';
import type { LogItem } from '../documents/models.js';
import type { Followers, Lookup } from './followers.js';
import type { FollowedBatch, LogFollower } from './log-follower.js';
import type { JournalRecord, WatchEvent } from './models.js';
import { rejectedLogRecord } from './records.js';
import type { RunActivity } from './run-activity.js';

/** Bytes of a log read per step (compressed bytes for a gzipped log). */
const INTAKE_CHUNK_BYTES = 256 * 1024;

export interface IntakeContext {
  session: ConversionSession;
  followers: Followers;
  activity: RunActivity;
  emit: (e: WatchEvent) => void;
  /** Appends to the journal; false when it cannot be written (the daemon is stopping). */
  append: (record: JournalRecord, sync?: boolean) => boolean;
  /** The run is recorded as finished (written or incomplete) in the journal. */
  recorded: (uid: string) => boolean;
  /** True once a stop was requested: reading ends after the chunk in hand. */
  stopping: () => boolean;
  chunkBytes?: number;
  /** Sees each chunk's items first and returns those to push (the per-run document limit, metrics). */
  filter?: (log: string, items: LogItem[]) => LogItem[];
}

/** A log whose lookup and first chunk were asked for before its turn. */
interface ReadAhead {
  log: string;
  final: boolean;
  found: Promise<{ found: Lookup; first?: FollowedBatch }>;
}

export class Intake {
  readonly #c: IntakeContext;
  /** Problems of the session already reported. */
  #reported = 0;
  #ahead: ReadAhead | undefined;

  constructor(context: IntakeContext) {
    this.#c = context;
  }

  /**
   * Reads what is new in `log` (`final`: to its end, then ends it, for --once). `next`: the log read
   * after this one, whose first chunk is read ahead while this one's documents are pushed.
   */
  async read(log: string, final: boolean, next?: string): Promise<void> {
    const c = this.#c;
    const ahead = this.#ahead?.log === log && this.#ahead.final === final ? this.#ahead : undefined;
    this.#ahead = undefined;
    const { found, first } = ahead === undefined ? { found: await c.followers.lookup(log) } : await ahead.found;
    if (found.kind !== 'follow') return;
    if (found.replaced !== undefined) c.emit({ kind: 'log-replaced', log, reason: found.replaced });
    await this.#drain(found.follower, final, first, next);
    await this.settle();
  }

  /** Puts aside the logs whose runs are all recorded, and records their marks. */
  async settle(): Promise<void> {
    const c = this.#c;
    const ahead = this.#ahead?.log;
    for (const { log, mark, runs } of await c.followers.retire(c.recorded, ahead)) {
      if (!c.append({ status: 'log-read', log, mark, runs, time: new Date().toISOString() }, false)) return;
    }
  }

  /** Starts the lookup and the first read of `log`, to be taken by read(log, final). */
  #readAhead(log: string, final: boolean): void {
    const c = this.#c;
    const found = (async () => {
      const found = await c.followers.lookup(log);
      if (found.kind !== 'follow') return { found };
      return { found, first: await found.follower.read(final, c.chunkBytes ?? INTAKE_CHUNK_BYTES) };
    })();
    // Its failure is met when its turn comes (or never, when the daemon stops first).
    found.catch(() => undefined);
    this.#ahead = { log, final, found };
  }

  async #drain(follower: LogFollower, final: boolean, first?: FollowedBatch, next?: string): Promise<void> {
    const c = this.#c;
    let pending = first;
    for (;;) {
      if (c.stopping()) return;
      const batch = pending ?? (await follower.read(final, c.chunkBytes ?? INTAKE_CHUNK_BYTES));
      pending = undefined;
      // The last chunk of this log is in hand: the next log is read while its documents are pushed.
      if (next !== undefined && !batch.more && batch.deleted !== true && batch.replaced === undefined)
        this.#readAhead(next, final);
      if (batch.deleted === true) {
        await c.followers.removed(follower.path);
        return;
      }
      if (batch.replaced !== undefined) {
        // Another file under the same name: read it from its start, as a new log.
        await c.followers.replaced(follower.path);
        c.emit({ kind: 'log-replaced', log: follower.path, reason: batch.replaced });
        const again = await c.followers.lookup(follower.path);
        if (again.kind === 'follow') await this.#drain(again.follower, final, undefined, next);
        return;
      }
      for (const item of c.filter === undefined ? batch.items : c.filter(follower.path, batch.items)) {
        if (item.kind === 'problem') {
          c.session.report(item.diagnostic);
          continue;
        }
        const uid = c.activity.note(item, batch.mtimeMs);
        if (uid !== undefined) follower.runs.add(uid);
        c.session.push(item, item.at);
      }
      this.#reportSession();
      if (batch.rejected !== undefined) {
        await c.followers.reject(follower);
        const record = rejectedLogRecord(follower.path, batch.rejected);
        if (c.append(record)) c.emit({ kind: 'log-rejected', record, diagnostic: batch.rejected });
        return;
      }
      if (!batch.more) return;
      // Signals, timers and change events get their turn between two chunks.
      await nextTurn();
    }
  }

  /** Problems that belong to no run (unreadable items, orphan documents): reported as they come. */
  #reportSession(): void {
    const found = this.#c.session.diagnostics;
    for (; this.#reported < found.length; this.#reported++)
      this.#c.emit({ kind: 'diagnostic', diagnostic: found[this.#reported] });
  }
}
