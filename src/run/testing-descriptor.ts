/**
 * The events of one stream for composeRun (testing.ts): a DescriptorBuilder
 * adds events and event_pages to its run's documents, with deterministic uids,
 * times and seq_nums.
 */
import type { Event, EventDescriptor, EventPage, NamedDocument } from '../documents/models.js';

/** What a DescriptorBuilder needs of its run's builder. */
export interface RunDocuments {
  /** The next document time. */
  tick(): number;
  nextSeqNum(descriptor: EventDescriptor): number;
  add(named: NamedDocument): void;
}

let uidCounter = 0;

/** A uuid-shaped, unique, deterministic (per process, in call order) uid. */
export function testUid(): string {
  uidCounter++;
  return `00000000-0000-4000-8000-${uidCounter.toString(16).padStart(12, '0')}`;
}

export interface EventOptions {
  timestamps?: Record<string, number>;
  time?: number;
  seq_num?: number;
  uid?: string;
}

export class DescriptorBuilder {
  readonly doc: EventDescriptor;
  readonly #run: RunDocuments;

  constructor(run: RunDocuments, doc: EventDescriptor) {
    this.#run = run;
    this.doc = doc;
  }

  get uid(): string {
    return this.doc.uid;
  }

  /** One event; timestamps default to the event time. */
  event(data: Record<string, unknown>, options: EventOptions = {}): Event {
    const time = options.time ?? this.#run.tick();
    const timestamps = options.timestamps ?? Object.fromEntries(Object.keys(data).map((k) => [k, time]));
    const doc: Event = {
      uid: options.uid ?? testUid(),
      descriptor: this.doc.uid,
      seq_num: options.seq_num ?? this.#run.nextSeqNum(this.doc),
      time,
      data,
      timestamps,
      filled: {},
    };
    this.#run.add({ name: 'event', doc });
    return doc;
  }

  /** One event_page of `n` events (n = length of the data arrays). */
  eventPage(
    data: Record<string, unknown[]>,
    options: { timestamps?: Record<string, number[]>; time?: number[] } = {},
  ): EventPage {
    const n = Object.values(data)[0]?.length ?? options.time?.length ?? 0;
    const time = options.time ?? Array.from({ length: n }, () => this.#run.tick());
    const seq = Array.from({ length: n }, () => this.#run.nextSeqNum(this.doc));
    const timestamps = options.timestamps ?? Object.fromEntries(Object.keys(data).map((k) => [k, [...time]]));
    const doc: EventPage = {
      uid: Array.from({ length: n }, () => testUid()),
      descriptor: this.doc.uid,
      seq_num: seq,
      time,
      data,
      timestamps,
      filled: {},
    };
    this.#run.add({ name: 'event_page', doc });
    return doc;
  }
}
