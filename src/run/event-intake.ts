/**
 * Events and event_pages into their stream, for the accumulator: an event
 * whose uid the run already has is skipped (a page keeps its other events);
 * readings of the wrong type are replaced and reported, naming the event
 * (REPAIRS_LISTED per stream and field, later ones quietly).
 */
import type { DocumentSource, EventPage, NamedDocument } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import { rejected } from './document-diagnostic.js';
import { pageWithout, REPAIRS_LISTED, repairDiagnostic } from './event-repairs.js';
import type { ReadingRepair } from './reading-type.js';
import type { StreamBuilder } from './stream-builder.js';
import { UidSet } from './uid-set.js';

export class EventIntake {
  readonly #uid: string;
  readonly #report: (problems: Diagnostic[]) => void;
  /** Event uids, as compact hashes (a duplicate event is skipped). */
  readonly #eventUids = new UidSet();
  /** Wrong-type readings reported so far, per stream and field. */
  readonly #repairsListed = new Map<string, number>();

  /** `uid`: the run's; `report`: records problems on the run. */
  constructor(uid: string, report: (problems: Diagnostic[]) => void) {
    this.#uid = uid;
    this.#report = report;
  }

  /** Adds an event or event_page to `builder`, its descriptor's stream; returns the problems it raised. */
  add(
    builder: StreamBuilder,
    named: Extract<NamedDocument, { name: 'event' | 'event_page' }>,
    at: DocumentSource | undefined,
  ): Diagnostic[] {
    const problems: Diagnostic[] = [];
    let rowUids: readonly unknown[];
    if (named.name === 'event') {
      if (typeof named.doc.uid === 'string' && !this.#eventUids.add(named.doc.uid)) {
        const d = rejected(
          'RUN_DUPLICATE_UID',
          `event uid ${named.doc.uid} (seq_num ${named.doc.seq_num}) was already seen in run ${this.#uid}`,
          named,
          at,
          this.#uid,
          '/uid',
        );
        this.#report([d]);
        return [d];
      }
      const row = builder.stream.length;
      builder.pushEvent(named.doc);
      rowUids = [named.doc.uid];
      this.#reportRepairs(builder, row, rowUids, [named.doc.seq_num], named, at);
      return problems;
    }
    const page = this.#withoutDuplicates(named.doc, named, at, problems);
    if (page === undefined) return problems;
    const row = builder.stream.length;
    builder.pushPage(page);
    this.#reportRepairs(builder, row, Array.isArray(page.uid) ? page.uid : [], page.seq_num, named, at);
    return problems;
  }

  /** The page without the events whose uid the run already has (undefined: none is left); the skipped ones are reported. */
  #withoutDuplicates(
    page: EventPage,
    named: NamedDocument,
    at: DocumentSource | undefined,
    problems: Diagnostic[],
  ): EventPage | undefined {
    const uids = Array.isArray(page.uid) ? page.uid : [];
    let dropped: number[] | undefined;
    for (let i = 0; i < uids.length; i++) {
      if (typeof uids[i] === 'string' && !this.#eventUids.add(uids[i])) (dropped ??= []).push(i);
    }
    if (dropped === undefined) return page;
    const first = dropped[0];
    const d = rejected(
      'RUN_DUPLICATE_UID',
      `event_page: ${dropped.length} event uid(s) already seen in run ${this.#uid} (the first: ${uids[first]}, seq_num ${page.seq_num[first]}): those events were skipped`,
      named,
      at,
      this.#uid,
      `/uid/${first}`,
    );
    this.#report([d]);
    problems.push(d);
    if (dropped.length === uids.length) return undefined;
    return pageWithout(page, new Set(dropped));
  }

  #reportRepairs(
    builder: StreamBuilder,
    firstRow: number,
    uids: readonly unknown[],
    seqNums: ArrayLike<number>,
    named: NamedDocument,
    at: DocumentSource | undefined,
  ): void {
    const repairs = builder.takeRepairs();
    for (const r of repairs)
      this.#reportRepair(builder.stream.name, r, uids[r.row - firstRow], seqNums[r.row - firstRow], named, at);
  }

  #reportRepair(
    stream: string,
    r: ReadingRepair,
    uid: unknown,
    seqNum: unknown,
    named: NamedDocument,
    at: DocumentSource | undefined,
  ): void {
    const key = `${stream}\u0000${r.field}`;
    const listed = this.#repairsListed.get(key) ?? 0;
    if (listed >= REPAIRS_LISTED) return;
    this.#repairsListed.set(key, listed + 1);
    this.#report([repairDiagnostic(this.#uid, stream, r, { uid, seqNum, listed }, named, at)]);
  }
}
