/**
 * Folds the documents of one run into the Run model, one document at a time,
 * checking each against what the run already holds (run_start, descriptor,
 * resource, uids, stop). A rejected document is skipped, reported and flags
 * the run; nothing is thrown.
 */
import type {
  DocumentSource,
  EventDescriptor,
  EventPage,
  NamedDocument,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import type { DatumRef, Run, Stream } from './models.js';
import { ColumnRowRelease, type HeldColumn } from './row-release.js';
import { pageWithout, REPAIRS_LISTED, repairDiagnostic } from './event-repairs.js';
import type { ReadingRepair } from './reading-type.js';
import { checkDocument, numEventsProblem, rejected } from './run-checks.js';
import type { RunIndex } from './run-checks.js';
import { StreamBuilder } from './stream-builder.js';
import { UidSet } from './uid-set.js';

/** The stream name of a descriptor (very old descriptors have none: event-model's default). */
function streamName(descriptor: EventDescriptor): string {
  return typeof descriptor.name === 'string' && descriptor.name !== '' ? descriptor.name : 'primary';
}

export class RunAccumulator {
  readonly uid: string;
  readonly #start: RunStart;
  readonly #source: DocumentSource | undefined;
  #stop: RunStop | undefined;
  readonly #descriptors: EventDescriptor[] = [];
  readonly #builders = new Map<string, StreamBuilder>();
  readonly #byDescriptor = new Map<string, StreamBuilder>();
  readonly #streams = new Map<string, Stream>();
  readonly #resources = new Map<string, Resource>();
  readonly #streamResources = new Map<string, StreamResource>();
  readonly #streamDatums: StreamDatum[] = [];
  readonly #datums = new Map<string, DatumRef>();
  readonly #datumIds = new Map<string, ReadonlyMap<string, readonly string[]>>();
  /** uids of the documents kept whole (events are only counted: they would grow with the run). */
  readonly #uids = new Set<string>();
  /** Event uids, as compact hashes (a duplicate event is skipped). */
  readonly #eventUids = new UidSet();
  /** Wrong-type readings reported so far, per stream and field. */
  readonly #repairsListed = new Map<string, number>();
  readonly #logs: string[] = [];
  readonly #diagnostics: Diagnostic[] = [];
  #flagged = false;
  #failed = false;
  /** What the run checks consult. */
  readonly #index: RunIndex;
  /** The only code that lets rows go (told by the writer streaming the run which to keep). */
  readonly #rowRelease = new ColumnRowRelease(() => this.#heldColumns());

  constructor(start: RunStart, at?: DocumentSource) {
    this.uid = start.uid;
    this.#start = start;
    this.#source = at;
    this.#uids.add(start.uid);
    if (at !== undefined) this.#logs.push(at.log);
    this.#index = {
      uid: start.uid,
      stopped: () => this.#stop !== undefined,
      hasUid: (uid) => this.#uids.has(uid),
      hasDescriptor: (uid) => this.#byDescriptor.has(uid),
      hasResource: (uid) => this.#resources.has(uid),
      hasStreamResource: (uid) => this.#streamResources.has(uid),
      hasDatum: (id) => this.#datums.has(id),
    };
  }

  /** True once the stop document arrived. */
  get isComplete(): boolean {
    return this.#stop !== undefined;
  }

  /** True once `fail` was called: later documents are dropped. */
  get isFailed(): boolean {
    return this.#failed;
  }

  /** True when this run holds the descriptor (events and stream_datums may refer to it). */
  hasDescriptor(uid: string): boolean {
    return this.#byDescriptor.has(uid);
  }

  /** Adds one document; returns the problems it raised (the document was skipped when there are any). */
  push(named: NamedDocument, at?: DocumentSource): Diagnostic[] {
    if (this.#failed) return [];
    if (at !== undefined) this.noteLog(at.log);
    const problems = checkDocument(named, at, this.#index);
    if (problems.length > 0) {
      this.report(problems);
      return problems;
    }
    if (named.name === 'event' || named.name === 'event_page') return this.#addEvents(named, at);
    this.#apply(named);
    if (named.name === 'stop') {
      const counts = this.#eventCounts();
      const off = numEventsProblem(named, at, this.uid, counts);
      if (off !== undefined) this.report([off]);
    }
    return problems;
  }

  /**
   * Events per stream as read: the events; for external data written as
   * stream_datums (whose events may be absent), also the last seq_num they
   * cover. Producers count either way: a stop agreeing with one is right.
   */
  #eventCounts(): Map<string, number[]> {
    const counts = new Map([...this.#streams].map(([name, stream]) => [name, [stream.length]]));
    for (const sd of this.#streamDatums) {
      const name = this.#byDescriptor.get(sd.descriptor)?.stream.name;
      const last = typeof sd.seq_nums?.stop === 'number' ? sd.seq_nums.stop - 1 : 0;
      const seen = name === undefined ? undefined : counts.get(name);
      if (seen !== undefined && last > (seen[1] ?? 0)) seen[1] = last;
    }
    return counts;
  }

  /**
   * Events and pages: an event whose uid the run already has is skipped
   * (a page keeps its other events); readings of the wrong type are replaced
   * and reported, naming the event.
   */
  #addEvents(
    named: Extract<NamedDocument, { name: 'event' | 'event_page' }>,
    at: DocumentSource | undefined,
  ): Diagnostic[] {
    const builder = this.#byDescriptor.get(named.doc.descriptor)!;
    const problems: Diagnostic[] = [];
    let rowUids: readonly unknown[];
    if (named.name === 'event') {
      if (typeof named.doc.uid === 'string' && !this.#eventUids.add(named.doc.uid)) {
        const d = rejected(
          'RUN_DUPLICATE_UID',
          `event uid ${named.doc.uid} (seq_num ${named.doc.seq_num}) was already seen in run ${this.uid}`,
          named,
          at,
          this.uid,
          '/uid',
        );
        this.report([d]);
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
      `event_page: ${dropped.length} event uid(s) already seen in run ${this.uid} (the first: ${uids[first]}, seq_num ${page.seq_num[first]}): those events were skipped`,
      named,
      at,
      this.uid,
      `/uid/${first}`,
    );
    this.report([d]);
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
    this.report([repairDiagnostic(this.uid, stream, r, { uid, seqNum, listed }, named, at)]);
  }

  /** Records problems found elsewhere (schema validation): errors flag the run. */
  report(problems: readonly Diagnostic[]): void {
    for (const d of problems) {
      this.#diagnostics.push(d);
      if (d.severity === 'error') this.#flagged = true;
    }
  }

  /** Strict mode: the run failed on `reason`; every later document is dropped. */
  fail(reason?: Diagnostic): void {
    if (reason !== undefined && !this.#diagnostics.includes(reason)) this.report([reason]);
    this.#flagged = true;
    this.#failed = true;
  }

  /** Notes a log this run was read from. */
  noteLog(log: string): void {
    const logs = this.#logs;
    if (logs[logs.length - 1] !== log && !logs.includes(log)) logs.push(log);
  }

  /** A read-only view of the run: live, it follows later pushes (stop, flags) without copying anything. */
  snapshot(): Run {
    const self = this;
    return {
      uid: this.uid,
      start: this.#start,
      descriptors: this.#descriptors,
      get stop() {
        return self.#stop;
      },
      streams: this.#streams,
      resources: this.#resources,
      streamResources: this.#streamResources,
      streamDatums: this.#streamDatums,
      source: this.#source,
      logs: this.#logs,
      diagnostics: this.#diagnostics,
      get flagged() {
        return self.#flagged;
      },
      get failed() {
        return self.#failed;
      },
      datums: this.#datums,
      datumIds: this.#datumIds,
      rowRelease: this.#rowRelease,
    };
  }

  *#heldColumns(): Iterable<HeldColumn> {
    for (const builder of this.#builders.values()) yield* builder.held();
  }

  #apply(named: NamedDocument): void {
    switch (named.name) {
      case 'event':
      case 'event_page':
        break; // #addEvents
      case 'descriptor':
        this.#addDescriptor(named.doc);
        break;
      case 'stop':
        this.#uids.add(named.doc.uid);
        this.#stop = named.doc;
        break;
      case 'resource':
        this.#uids.add(named.doc.uid);
        this.#resources.set(named.doc.uid, named.doc);
        break;
      case 'stream_resource':
        this.#uids.add(named.doc.uid);
        this.#streamResources.set(named.doc.uid, named.doc);
        break;
      case 'datum':
        this.#datums.set(named.doc.datum_id, named.doc);
        break;
      case 'datum_page': {
        const page = named.doc;
        const ids = page.datum_id;
        for (let index = 0; index < ids.length; index++) this.#datums.set(ids[index], { page, index });
        break;
      }
      case 'stream_datum':
        this.#uids.add(named.doc.uid);
        this.#streamDatums.push(named.doc);
        break;
      case 'start':
        break;
    }
  }

  #addDescriptor(descriptor: EventDescriptor): void {
    this.#uids.add(descriptor.uid);
    this.#descriptors.push(descriptor);
    const name = streamName(descriptor);
    let builder = this.#builders.get(name);
    if (builder === undefined) {
      builder = new StreamBuilder(name);
      this.#builders.set(name, builder);
      this.#streams.set(name, builder.stream);
      this.#datumIds.set(name, builder.datumIds);
    }
    builder.addDescriptor(descriptor);
    this.#byDescriptor.set(descriptor.uid, builder);
  }
}
