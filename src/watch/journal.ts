/**
 * The state journal: an append-only JSON-lines file, one record per finished
 * run (or rejected log). A record is written when its run is finished (after
 * its file was fsynced, renamed into place and its directory fsynced) and
 * fsynced at most JOURNAL_SYNC_MS later, with the records of the runs that
 * finished meanwhile (one fsync for a burst, not one a run). A crash in that
 * window loses only records whose files are already durable in place: such a
 * run is read again and recorded as recovered (recover.ts), never written
 * twice; a process killed (not a machine crashing) loses nothing, the lines
 * being written at once. It is the
 * daemon's memory across crashes: a run recorded as written or incomplete is
 * never written again. A `log-read` record marks a log read to its end whose
 * runs are all recorded (its inode, size, mtime): while the file is unchanged
 * it is not read again, and a log that grew is resumed where it was left.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, NxlError, type Diagnostic } from '../errors.js';
import type { JournalRecord, JournalStatus, LogMark } from './models.js';

export const JOURNAL_FILE = 'journal.jsonl';

/** The longest a record waits for its fsync (the records of the runs finished meanwhile share it). */
const JOURNAL_SYNC_MS = 200;

export interface JournalOptions {
  /** How long a record may wait for its fsync (0: each record is fsynced before append returns). */
  syncDelayMs?: number;
}

const STATUSES: readonly JournalStatus[] = ['written', 'incomplete', 'failed', 'rejected-log', 'log-read'];

/** Statuses after which a run is never written again. */
export function isFinished(status: JournalStatus): boolean {
  return status === 'written' || status === 'incomplete';
}

/**
 * On disk every key is snake_case (`template_sha256`, `mark.mtime_ms`), as in
 * every JSON nxlayout prints; journals written before (camelCase
 * `templateSha256`, `mtimeMs`) are read as well, so an upgrade loses nothing.
 */
const DISK_KEYS: Readonly<Record<string, string>> = { templateSha256: 'template_sha256', mtimeMs: 'mtime_ms' };
const MEMORY_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(DISK_KEYS).map(([k, v]) => [v, k]),
);

function renameKeys(v: unknown, names: Readonly<Record<string, string>>): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [names[k] ?? k, k === 'mark' ? renameKeys(x, names) : x]),
  );
}

/** One journal line (without its newline) for a record. */
function journalLine(record: JournalRecord): string {
  return JSON.stringify(renameKeys(record, DISK_KEYS));
}

function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    STATUSES.includes(r.status as JournalStatus) &&
    typeof r.log === 'string' &&
    typeof r.time === 'string' &&
    (r.uid === undefined || typeof r.uid === 'string') &&
    (r.status !== 'log-read' || isMark(r.mark))
  );
}

function isMark(v: unknown): v is LogMark {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  return ['dev', 'ino', 'size', 'mtimeMs', 'offset'].every((k) => typeof m[k] === 'number' && Number.isFinite(m[k]));
}

/** Parses journal text; a torn or foreign line is reported and skipped (a crash may cut the last one). */
export function parseJournal(text: string, file: string): { records: JournalRecord[]; diagnostics: Diagnostic[] } {
  const records: JournalRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = renameKeys(JSON.parse(line), MEMORY_KEYS);
    } catch {
      value = undefined;
    }
    if (isRecord(value)) records.push(value);
    else {
      const last = i === lines.length - 1;
      diagnostics.push(
        diagnostic(
          'WATCH_STATE',
          'warning',
          last
            ? 'the last journal line is incomplete (cut by a crash): ignored'
            : 'a journal line is not a record: ignored',
          { file, line: i + 1 },
          last
            ? 'nothing to do: the run it was about is redone'
            : 'the journal is written by nxlayout only; do not edit it',
        ),
      );
    }
  });
  return { records, diagnostics };
}

export class StateJournal {
  readonly file: string;
  readonly #fd: number;
  /**
   * Finished runs by uid, with their status only (true: written, false:
   * incomplete): a journal lives for years, and each run costs the daemon's
   * memory its uid and a flag, not its record.
   */
  readonly #finished = new Map<string, boolean>();
  /** The latest mark of each log read to its end (see LogMark). */
  readonly logMarks = new Map<string, LogMark>();
  /** A deferred fsync failed: the records may not survive a crash (the daemon stops). */
  onSyncError: ((e: NxlError) => void) | undefined;
  readonly #syncDelayMs: number;
  #count = 0;
  /** Records written since the last fsync. */
  #unsynced = false;
  #syncTimer: NodeJS.Timeout | undefined;

  private constructor(file: string, fd: number, records: JournalRecord[], options: JournalOptions) {
    this.file = file;
    this.#fd = fd;
    this.#syncDelayMs = options.syncDelayMs ?? JOURNAL_SYNC_MS;
    for (const r of records) this.#remember(r);
  }

  /** Opens (creating) the journal in `dir`: returns it with what reading it found. */
  static open(dir: string, options: JournalOptions = {}): { journal: StateJournal; diagnostics: Diagnostic[] } {
    const file = path.join(dir, JOURNAL_FILE);
    try {
      fs.mkdirSync(dir, { recursive: true });
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const { records, diagnostics } = parseJournal(text, file);
      const fd = fs.openSync(file, 'a');
      // A line cut by a crash must not glue itself to the next record.
      if (text.length > 0 && !text.endsWith('\n')) {
        fs.writeSync(fd, '\n');
        fs.fsyncSync(fd);
      }
      const journal = new StateJournal(file, fd, records, options);
      return { journal, diagnostics };
    } catch (e) {
      throw new NxlError(
        'WATCH_STATE',
        `cannot open the state journal ${file}: ${(e as Error).message}`,
        { file },
        { hint: 'check that the --state directory exists or can be created and is writable', cause: e },
      );
    }
  }

  /** Records read and appended. */
  get size(): number {
    return this.#count;
  }

  get finishedCount(): number {
    return this.#finished.size;
  }

  /** The run is recorded as written or incomplete (never written again). */
  finished(uid: string): { uid: string; status: 'written' | 'incomplete' } | undefined {
    const written = this.#finished.get(uid);
    return written === undefined ? undefined : { uid, status: written ? 'written' : 'incomplete' };
  }

  /**
   * Appends one record; its fsync follows within the sync delay (at once with a delay of 0, and then
   * a failed fsync is thrown here). `sync: false` (a log mark, which only saves work) waits for the
   * next record's fsync; losing it costs a re-read, never a run.
   */
  append(record: JournalRecord, sync = true): void {
    try {
      fs.writeSync(this.#fd, journalLine(record) + '\n');
    } catch (e) {
      throw this.#failure(e);
    }
    this.#remember(record);
    if (!sync) return;
    this.#unsynced = true;
    if (this.#syncDelayMs <= 0) this.sync();
    else this.#syncTimer ??= setTimeout(() => this.#deferredSync(), this.#syncDelayMs).unref();
  }

  /** Fsyncs the records written since the last fsync (nothing when there are none). */
  sync(): void {
    if (this.#syncTimer !== undefined) clearTimeout(this.#syncTimer);
    this.#syncTimer = undefined;
    if (!this.#unsynced) return;
    this.#unsynced = false;
    try {
      fs.fsyncSync(this.#fd);
    } catch (e) {
      throw this.#failure(e);
    }
  }

  /** Fsyncs what is pending, then closes the file (the descriptor is closed even when the fsync fails). */
  close(): void {
    try {
      this.sync();
    } finally {
      fs.closeSync(this.#fd);
    }
  }

  #deferredSync(): void {
    this.#syncTimer = undefined;
    try {
      this.sync();
    } catch (e) {
      this.onSyncError?.(e as NxlError);
    }
  }

  #failure(e: unknown): NxlError {
    return new NxlError(
      'WATCH_STATE',
      `cannot append to the state journal ${this.file}: ${(e as Error).message}`,
      { file: this.file },
      { hint: 'check the free space of the state directory', cause: e },
    );
  }

  #remember(record: JournalRecord): void {
    this.#count++;
    if (record.status === 'log-read' && record.mark !== undefined) this.logMarks.set(record.log, record.mark);
    else if (record.status === 'rejected-log') this.logMarks.delete(record.log);
    if (record.uid !== undefined && isFinished(record.status) && !this.#finished.has(record.uid))
      this.#finished.set(record.uid, record.status === 'written');
  }
}
