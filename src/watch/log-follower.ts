/**
 * One followed log: its LogTail, the runs it fed, and whether it was
 * rejected. A log is rejected (reported once, then no longer read) when it
 * cannot be read, is not a document log, or its first item is not a
 * document: Bluesky logs open with a start document, so such a file is
 * garbage, not a log in progress. Later bad items are reported and skipped,
 * as `write` does. The follower holds no file descriptor between reads.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { LogTail } from '../documents/index.js';
import type { LogItem } from '../documents/models.js';
import type { LogMark } from './models.js';

/** Problems after which nothing more can be read from the log. */
const FATAL = new Set(['DOC_IO', 'DOC_FORMAT', 'DOC_EMPTY']);

export interface FollowedBatch {
  /** Documents and problems, in log order (up to the rejection, if any). */
  items: LogItem[];
  /** Why the log was rejected in this batch. */
  rejected?: Diagnostic;
  /** Why the path no longer names the file being followed (deleted, replaced, truncated): nothing was read. */
  replaced?: string;
  /** The file is gone from its path (deleted or renamed away). */
  deleted?: boolean;
  /** The log's modification time when it was read. */
  mtimeMs: number;
  /** The read stopped at its byte limit: there is more to read now. */
  more: boolean;
}

/** The tail could not open the log for want of a descriptor (EMFILE, ENFILE): not the log's fault. */
function tooManyOpenFiles(d: Diagnostic): boolean {
  return d.code === 'DOC_IO' && d.severity === 'warning' && /\b(EMFILE|ENFILE)\b|too many open files/i.test(d.message);
}

function tooManyFilesWarning(log: string, d: Diagnostic): Diagnostic {
  return diagnostic(
    'DOC_IO',
    'warning',
    `too many open files: ${log} cannot be opened now (${d.message}); it is tried again at each poll, not rejected`,
    { file: log },
    "raise the daemon's descriptor limit (LimitNOFILE= in the systemd unit, or ulimit -n)",
  );
}

export class LogFollower {
  readonly path: string;
  /** Uids of the runs this log fed documents to (the daemon notes them). */
  readonly runs = new Set<string>();
  readonly #tail: LogTail;
  #documents = 0;
  #rejected: Diagnostic | undefined;
  #ended = false;
  /** When ended: the end fell on an item boundary (nothing truncated). */
  #cleanEnd = false;
  /** The last read could not open the file (no descriptor left): it is read again at the next poll. */
  #waiting = false;
  /** "too many open files" was reported for this log (once, until it is read). */
  #toldTooManyFiles = false;

  /** `resume`: continue a plain log known from an earlier read at its mark's offset. */
  constructor(path: string, resume?: LogMark) {
    this.path = path;
    this.#tail = new LogTail(
      path,
      resume === undefined || resume.offset === 0
        ? {}
        : { resume: { offset: resume.offset, identity: { dev: resume.dev, ino: resume.ino } } },
    );
    // A resumed log already gave documents: a bad item now is not "a first item".
    if (resume !== undefined && resume.offset > 0) this.#documents = 1;
  }

  get rejected(): Diagnostic | undefined {
    return this.#rejected;
  }

  get documents(): number {
    return this.#documents;
  }

  /** Read to the current end of the file, at an item boundary, and not rejected: nothing is pending. */
  get settled(): boolean {
    if (this.#rejected !== undefined || this.#tail.replaced !== undefined || this.#waiting) return false;
    return this.#ended ? this.#cleanEnd : !this.#tail.behind && this.#tail.atItemBoundary;
  }

  /** What the journal keeps of a settled log (undefined before the file was read). */
  mark(): LogMark | undefined {
    const id = this.#tail.identity;
    if (id === undefined) return undefined;
    const resumable = this.#tail.plain && this.#tail.format === 'jsonl' && (!this.#ended || this.#cleanEnd);
    return {
      dev: id.dev,
      ino: id.ino,
      size: this.#tail.size,
      mtimeMs: this.#tail.mtimeMs,
      offset: resumable ? this.#tail.offset : 0,
    };
  }

  /**
   * The complete items of at most `maxBytes` more of the file; `final` also
   * ends the log once it is read to its end (an incomplete last item is reported).
   */
  async read(final = false, maxBytes = Infinity): Promise<FollowedBatch> {
    if (this.#rejected !== undefined || this.#ended) return { items: [], mtimeMs: 0, more: false };
    let items = await this.#tail.poll(maxBytes);
    const blocked = items.find((i) => i.kind === 'problem' && tooManyOpenFiles(i.diagnostic));
    this.#waiting = blocked !== undefined;
    if (blocked !== undefined && blocked.kind === 'problem') {
      // Not the log's fault: nothing was read, and it is opened again at the next poll (reported once).
      const told = this.#toldTooManyFiles;
      this.#toldTooManyFiles = true;
      return {
        items: told ? [] : [{ kind: 'problem', diagnostic: tooManyFilesWarning(this.path, blocked.diagnostic) }],
        mtimeMs: Date.now(),
        more: false,
      };
    }
    if (this.#tail.replaced !== undefined)
      return {
        items: [],
        replaced: this.#tail.replaced,
        deleted: this.#tail.deleted,
        mtimeMs: this.#tail.mtimeMs,
        more: false,
      };
    if (final && !this.#tail.behind) {
      this.#cleanEnd = this.#tail.atItemBoundary;
      items = [...items, ...(await this.#tail.finish())];
      this.#ended = true;
    }
    const mtimeMs = this.#tail.mtimeMs || Date.now();
    const kept: LogItem[] = [];
    for (const item of items) {
      if (item.kind === 'document') {
        this.#documents++;
        kept.push(item);
        continue;
      }
      const d = item.diagnostic;
      const fatal =
        d.severity === 'error' && (FATAL.has(d.code) || (d.code === 'DOC_PARSE' && d.location.item === undefined));
      if (fatal || (this.#documents === 0 && d.severity === 'error')) {
        this.#rejected =
          this.#documents === 0 && !fatal
            ? diagnostic(
                d.code,
                'error',
                `not a document log: its first item is unusable (${d.message})`,
                d.location,
                'a Bluesky log starts with a start document; this file is skipped (fix or remove it, then restart the daemon)',
              )
            : d;
        await this.#tail.close();
        return { items: kept, rejected: this.#rejected, mtimeMs, more: false };
      }
      kept.push(item);
    }
    return { items: kept, mtimeMs, more: this.#tail.behind };
  }

  /** The file's identity and size as last seen (for a rejected log: replaced when they change). */
  get identity(): { dev: number; ino: number; size: number } | undefined {
    const id = this.#tail.identity;
    return id === undefined ? undefined : { ...id, size: this.#tail.size };
  }

  close(): Promise<void> {
    return this.#tail.close();
  }
}
