/**
 * One followed log: its LogTail, how many documents it gave, and whether it
 * was rejected. A log is rejected (reported once, then no longer read) when
 * it cannot be read, is not a document log, or its first item is not a
 * document: Bluesky logs open with a start document, so such a file is
 * garbage, not a log in progress. Later bad items are reported and skipped,
 * as `write` does.
 */
import { stat } from 'node:fs/promises';
import { diagnostic, type Diagnostic } from '../errors.js';
import { LogTail } from '../documents/index.js';
import type { LogItem } from '../documents/models.js';

/** Problems after which nothing more can be read from the log. */
const FATAL = new Set(['DOC_IO', 'DOC_FORMAT', 'DOC_EMPTY']);

export interface FollowedBatch {
  /** Documents and problems, in log order (up to the rejection, if any). */
  items: LogItem[];
  /** Why the log was rejected in this batch. */
  rejected?: Diagnostic;
  /** The log's modification time when it was read. */
  mtimeMs: number;
}

/** A log that could not be opened because the process has no descriptor left (EMFILE, ENFILE). */
function tooManyOpenFiles(d: Diagnostic): boolean {
  return d.code === 'DOC_IO' && /\b(EMFILE|ENFILE)\b|too many open files/i.test(d.message);
}

function tooManyFilesWarning(log: string, d: Diagnostic): Diagnostic {
  return diagnostic('DOC_IO', 'warning', `too many open files: ${log} cannot be opened now (${d.message}); it is tried again at each poll, not rejected`, { file: log },
    'raise the daemon\'s descriptor limit (LimitNOFILE= in the systemd unit, or ulimit -n)');
}

export class LogFollower {
  readonly path: string;
  #tail: LogTail;
  #documents = 0;
  #rejected: Diagnostic | undefined;
  #toldTooManyFiles = false;

  constructor(path: string) {
    this.path = path;
    this.#tail = new LogTail(path);
  }

  get rejected(): Diagnostic | undefined {
    return this.#rejected;
  }

  get documents(): number {
    return this.#documents;
  }

  /** The complete items added since the last read; `final` also ends the log (an incomplete last item is reported). */
  async read(final = false): Promise<FollowedBatch> {
    if (this.#rejected !== undefined) return { items: [], mtimeMs: 0 };
    let mtimeMs = Date.now();
    try {
      mtimeMs = (await stat(this.path)).mtimeMs;
    } catch {
      // The tail reports the unreadable file itself.
    }
    const items = final ? await this.#tail.finish() : await this.#tail.poll();
    const kept: LogItem[] = [];
    for (const item of items) {
      if (item.kind === 'document') {
        this.#documents++;
        kept.push(item);
        continue;
      }
      const d = item.diagnostic;
      if (this.#documents === 0 && tooManyOpenFiles(d)) {
        // Not the log's fault: it is opened again at the next read (reported once), never rejected.
        await this.#tail.close();
        this.#tail = new LogTail(this.path);
        if (!this.#toldTooManyFiles) kept.push({ kind: 'problem', diagnostic: tooManyFilesWarning(this.path, d) });
        this.#toldTooManyFiles = true;
        return { items: kept, mtimeMs };
      }
      const fatal = d.severity === 'error' && (FATAL.has(d.code) || (d.code === 'DOC_PARSE' && d.location.item === undefined));
      if (fatal || (this.#documents === 0 && d.severity === 'error')) {
        this.#rejected = this.#documents === 0 && !fatal
          ? diagnostic(d.code, 'error', `not a document log: its first item is unusable (${d.message})`, d.location, 'a Bluesky log starts with a start document; this file is skipped (fix or remove it, then restart the daemon)')
          : d;
        await this.#tail.close();
        return { items: kept, rejected: this.#rejected, mtimeMs };
      }
      kept.push(item);
    }
    return { items: kept, mtimeMs };
  }

  close(): Promise<void> {
    return this.#tail.close();
  }
}
