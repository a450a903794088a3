/**
 * Packs runs of consecutive events into event_page documents (event-model's
 * pack_event_page), as a log is read: a page crosses a thread boundary and
 * goes through the router as one document where its events would be
 * thousands. Only valid events (already checked against their schema) that
 * share the first event's descriptor and its data, timestamps and filled keys
 * (in the same order) are packed; everything else passes through as read, in
 * log order. A page is routed like its events would be, except that a page
 * the run refuses (after its stop, say) is reported once, not once per event.
 */
import type { Event, EventPage } from './models.js';
import type { LogItem } from './models.js';

type DocumentItem = Extract<LogItem, { kind: 'document' }>;
type EventItem = Extract<DocumentItem, { name: 'event' }>;

export interface EventPackerOptions {
  /** Most events in one page (default 1024). */
  maxEvents?: number;
}

function sameKeys(keys: readonly string[], record: Record<string, unknown> | undefined): boolean {
  if (record === undefined) return false;
  let i = 0;
  for (const key in record) {
    if (keys[i] !== key) return false;
    i++;
  }
  return i === keys.length;
}

export class EventPacker {
  readonly #maxEvents: number;
  #pending: EventItem[] = [];
  #dataKeys: string[] = [];
  #timestampKeys: string[] = [];
  #filledKeys: string[] | undefined;

  constructor(options: EventPackerOptions = {}) {
    this.#maxEvents = options.maxEvents ?? 1024;
  }

  /** Adds one item; appends to `out` whatever is ready (earlier items first). */
  push(item: LogItem, out: LogItem[]): void {
    if (item.kind === 'document' && item.name === 'event' && item.validation?.length === 0) {
      if (this.#pending.length > 0 && !this.#fits(item.doc)) this.flush(out);
      if (this.#pending.length === 0) this.#begin(item.doc);
      this.#pending.push(item);
      if (this.#pending.length >= this.#maxEvents) this.flush(out);
      return;
    }
    this.flush(out);
    out.push(item);
  }

  /** Hands over the events held (as one page, or as the single event read). */
  flush(out: LogItem[]): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    if (pending.length === 1) {
      out.push(pending[0]);
      return;
    }
    out.push({ kind: 'document', at: pending[0].at, name: 'event_page', doc: this.#page(pending), validation: [] });
  }

  #begin(event: Event): void {
    this.#dataKeys = Object.keys(event.data);
    this.#timestampKeys = Object.keys(event.timestamps);
    this.#filledKeys = event.filled === undefined ? undefined : Object.keys(event.filled);
  }

  #fits(event: Event): boolean {
    return event.descriptor === this.#pending[0].doc.descriptor
      && sameKeys(this.#dataKeys, event.data)
      && sameKeys(this.#timestampKeys, event.timestamps)
      && (this.#filledKeys === undefined ? event.filled === undefined : sameKeys(this.#filledKeys, event.filled));
  }

  #page(items: readonly EventItem[]): EventPage {
    const n = items.length;
    const uid = new Array<string>(n);
    const seqNum = new Array<number>(n);
    const time = new Array<number>(n);
    const data = this.#dataKeys.map(() => new Array<unknown>(n));
    const timestamps = this.#timestampKeys.map(() => new Array<number>(n));
    const filled = this.#filledKeys?.map(() => new Array<boolean | string>(n));
    for (let i = 0; i < n; i++) {
      const event = items[i].doc;
      uid[i] = event.uid;
      seqNum[i] = event.seq_num;
      time[i] = event.time;
      // Every event of the page has the first one's keys in the same order (#fits): the k-th key is column k.
      let k = 0;
      for (const key in event.data) data[k++][i] = event.data[key];
      k = 0;
      for (const key in event.timestamps) timestamps[k++][i] = event.timestamps[key];
      if (filled !== undefined) {
        k = 0;
        for (const key in event.filled) filled[k++][i] = event.filled[key];
      }
    }
    // Built as own data properties (as JSON.parse makes them): a field named "__proto__" stays a field.
    const columns = <T>(keys: readonly string[], values: T[][]): Record<string, T[]> => Object.fromEntries(keys.map((key, k) => [key, values[k]]));
    const page: EventPage = {
      uid, descriptor: items[0].doc.descriptor, seq_num: seqNum, time,
      data: columns(this.#dataKeys, data), timestamps: columns(this.#timestampKeys, timestamps),
    };
    if (filled !== undefined) page.filled = columns(this.#filledKeys!, filled);
    return page;
  }
}
