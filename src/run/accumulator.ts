/**
 * Folds the documents of one run into the Run model, one document at a time,
 * checking each against what the run already holds (run_start, descriptor,
 * resource, uids, stop). A rejected document is skipped, reported and flags
 * the run; nothing is thrown.
 */
import type {
  DocumentSource,
  EventDescriptor,
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
import { EventIntake } from './event-intake.js';
import { eventCounts, numEventsProblem } from './num-events.js';
import { checkDocument } from './run-checks.js';
import type { RunIndex } from './run-checks.js';
import { StreamBuilder } from './stream-builder.js';

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
  /** Events and pages into their streams (duplicates skipped, wrong-type readings reported). */
  readonly #events: EventIntake;
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
    this.#events = new EventIntake(start.uid, (problems) => this.report(problems));
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
    if (named.name === 'event' || named.name === 'event_page')
      return this.#events.add(this.#byDescriptor.get(named.doc.descriptor)!, named, at);
    this.#apply(named);
    if (named.name === 'stop') {
      const counts = eventCounts(this.#streams, this.#streamDatums, (d) => this.#byDescriptor.get(d)?.stream.name);
      const off = numEventsProblem(named, at, this.uid, counts);
      if (off !== undefined) this.report([off]);
    }
    return problems;
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
        break; // #events
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
