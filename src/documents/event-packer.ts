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
import type { Event, LogItem } from './models.js';
import { buildTypedEventPage, type PageKeys } from './pages.js';

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
  /** The keys of the first pending event: every event packed with it has them, in the same order. */
  #keys: PageKeys = { data: [], timestamps: [] };

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
    out.push({
      kind: 'document',
      at: pending[0].at,
      name: 'event_page',
      doc: buildTypedEventPage(
        pending.map((item) => item.doc),
        this.#keys,
      ),
      validation: [],
    });
  }

  #begin(event: Event): void {
    this.#keys = {
      data: Object.keys(event.data),
      timestamps: Object.keys(event.timestamps),
      ...(event.filled === undefined ? {} : { filled: Object.keys(event.filled) }),
    };
  }

  #fits(event: Event): boolean {
    return (
      event.descriptor === this.#pending[0].doc.descriptor &&
      sameKeys(this.#keys.data, event.data) &&
      sameKeys(this.#keys.timestamps, event.timestamps) &&
      (this.#keys.filled === undefined ? event.filled === undefined : sameKeys(this.#keys.filled, event.filled))
    );
  }
}
