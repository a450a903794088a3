/**
 * What a long-running router remembers of the runs it forgot (finished, their
 * file written or skipped): the uids of each run, its descriptors and its
 * resources, so that a late copy of their documents (the same run in a second
 * log) is recognised, dropped, and reported once per run and kind when this
 * session wrote its file. Only the `limit` most recent runs are kept: a
 * daemon's memory must not grow with its history (an older run's copy is
 * known by its start, which the daemon's journal skips).
 */
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import { rejected } from './document-diagnostic.js';

export type LateCode = 'RUN_REPLAYED' | 'RUN_AFTER_STOP';

/** How many finished runs a long-running router remembers (a few hundred bytes each). */
export const FORGOTTEN_RUNS = 1000;

interface Remembered {
  keys: string[];
  reportLate: boolean;
  reported: LateCode[];
}

export class ForgottenRuns {
  readonly #limit: number;
  /** Run, descriptor and resource uid → the run's uid. */
  readonly #runOf = new Map<string, string>();
  /** Each forgotten run, oldest first. */
  readonly #runs = new Map<string, Remembered>();

  constructor(limit = FORGOTTEN_RUNS) {
    this.#limit = limit;
  }

  /** Runs remembered. */
  get runs(): number {
    return this.#runs.size;
  }

  /** Uids remembered (runs, descriptors, resources). */
  get keys(): number {
    return this.#runOf.size;
  }

  /** Forgets run `uid` whose other uids are `keys`; the oldest run goes when over the limit. */
  add(uid: string, keys: string[], reportLate: boolean): void {
    this.#runs.delete(uid);
    this.#runs.set(uid, { keys: [uid, ...keys], reportLate, reported: [] });
    for (const key of [uid, ...keys]) this.#runOf.set(key, uid);
    for (const [old, r] of this.#runs) {
      if (this.#runs.size <= this.#limit) break;
      this.#runs.delete(old);
      for (const key of r.keys) if (this.#runOf.get(key) === old) this.#runOf.delete(key);
    }
  }

  /** A late descriptor or resource of a forgotten run: its own uid is remembered too (its events are then known). */
  #adopt(key: string, run: string): void {
    const r = this.#runs.get(run);
    if (r === undefined || key === '' || this.#runOf.has(key)) return;
    this.#runOf.set(key, run);
    r.keys.push(key);
  }

  /** Whether a late document of `run` is to be reported as `code` (once per run and kind; a replay covers the rest). */
  #report(run: string, code: LateCode): boolean {
    const r = this.#runs.get(run);
    if (r === undefined || !r.reportLate) return false;
    if (r.reported.includes(code) || (code === 'RUN_AFTER_STOP' && r.reported.includes('RUN_REPLAYED'))) return false;
    r.reported.push(code);
    return true;
  }

  /** The problem of a document of forgotten run `run`: once per run and kind, when the run was written in this session. */
  lateProblem(run: string, named: NamedDocument, at: DocumentSource | undefined): Diagnostic | undefined {
    const replay = named.name === 'start';
    // The documents of a replay are after the stop too: the replay says it.
    if (!this.#report(run, replay ? 'RUN_REPLAYED' : 'RUN_AFTER_STOP')) return undefined;
    const code = replay ? 'RUN_REPLAYED' : 'RUN_AFTER_STOP';
    const message = replay
      ? `run ${run} is replayed: its start document appears again after its file was written (the replay is skipped; later documents of it are not reported one by one)`
      : `${named.name} document after the stop of run ${run}, whose file was already written (skipped; later ones are not reported one by one)`;
    return rejected(code, message, named, at, run, replay ? '/uid' : undefined);
  }

  /** The forgotten run a document belongs to (undefined: none). */
  runOfDocument(named: NamedDocument): string | undefined {
    const doc = named.doc as unknown as Record<string, unknown>;
    const of = (key: unknown): string | undefined => this.#runOf.get(typeof key === 'string' ? key : '');
    switch (named.name) {
      case 'start':
        return of(doc.uid);
      case 'descriptor':
      case 'resource':
      case 'stream_resource': {
        // Their own uid joins the forgotten, so the events, datums… that refer to them are dropped too.
        const uid = typeof doc.uid === 'string' ? doc.uid : undefined;
        const run = of(doc.run_start) ?? (uid === undefined ? undefined : this.#runOf.get(uid));
        if (run === undefined) return undefined;
        if (uid !== undefined) this.#adopt(uid, run);
        return run;
      }
      case 'stop':
        return of(doc.run_start);
      case 'event':
      case 'event_page':
        return of(doc.descriptor);
      case 'datum':
      case 'datum_page':
        return of(doc.resource);
      case 'stream_datum':
        return of(doc.descriptor) ?? of(doc.stream_resource);
    }
  }
}
