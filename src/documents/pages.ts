import { NxlError } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import type { Datum, DatumPage, Event, EventPage } from './models.js';

/** An event_page column: an array, or (packed by a decoding thread) a Float64Array. */
export function isPageColumn(values: unknown): values is ArrayLike<unknown> {
  return Array.isArray(values) || values instanceof Float64Array;
}

function pick<T>(columns: Record<string, ArrayLike<T>>, i: number): Record<string, T> {
  const row: Record<string, T> = {};
  for (const key of Object.keys(columns)) row[key] = columns[key][i];
  return row;
}

function checkLengths(
  what: string,
  n: number,
  columns: Record<string, ArrayLike<unknown>> | undefined,
  field: string,
  id: string,
): void {
  for (const [key, values] of Object.entries(columns ?? {})) {
    if (!isPageColumn(values) || values.length !== n) {
      throw new NxlError(
        'DOC_SHAPE',
        `${what} column ${field}.${key} has ${isPageColumn(values) ? values.length : 'no'} rows, expected ${n}`,
        { document: { name: what, uid: id }, pointer: joinPointer(`/${field}`, key) },
        { hint: 'every column of a page must have one value per row' },
      );
    }
  }
}

/** The events of a page, in page order (event-model's unpack_event_page). */
export function unpackEventPage(page: EventPage): Event[] {
  const n = page.uid.length;
  if (page.seq_num.length !== n || page.time.length !== n) {
    throw new NxlError(
      'DOC_SHAPE',
      `event_page has ${n} uids but ${page.seq_num.length} seq_nums and ${page.time.length} times`,
      { document: { name: 'event_page', uid: page.uid[0] } },
      { hint: 'uid, seq_num and time of a page must have the same length' },
    );
  }
  checkLengths('event_page', n, page.data, 'data', page.uid[0]);
  checkLengths('event_page', n, page.timestamps, 'timestamps', page.uid[0]);
  checkLengths('event_page', n, page.filled, 'filled', page.uid[0]);
  const events: Event[] = [];
  for (let i = 0; i < n; i++) {
    const event: Event = {
      uid: page.uid[i],
      descriptor: page.descriptor,
      seq_num: page.seq_num[i],
      time: page.time[i],
      data: pick(page.data, i),
      timestamps: pick(page.timestamps, i),
    };
    if (page.filled !== undefined) event.filled = pick(page.filled, i);
    events.push(event);
  }
  return events;
}

/** The columns a page of events has: data, timestamps and (when the events carry it) filled keys. */
export interface PageKeys {
  data: readonly string[];
  timestamps: readonly string[];
  filled?: readonly string[];
}

/**
 * The page of `events` (one descriptor, each carrying `keys`), built column
 * by column. Columns are own data properties (as JSON.parse makes them): a
 * field named "__proto__" stays a field. A filled value an event lacks is false.
 */
function buildEventPage(events: readonly Event[], keys: PageKeys): EventPage {
  const n = events.length;
  const uid = new Array<string>(n);
  const seqNum = new Array<number>(n);
  const time = new Array<number>(n);
  const data = keys.data.map(() => new Array<unknown>(n));
  const timestamps = keys.timestamps.map(() => new Array<number>(n));
  const filled = keys.filled?.map(() => new Array<boolean | string>(n));
  for (let i = 0; i < n; i++) {
    const event = events[i];
    uid[i] = event.uid;
    seqNum[i] = event.seq_num;
    time[i] = event.time;
    for (let k = 0; k < data.length; k++) data[k][i] = event.data[keys.data[k]];
    for (let k = 0; k < timestamps.length; k++) timestamps[k][i] = event.timestamps[keys.timestamps[k]];
    if (filled !== undefined)
      for (let k = 0; k < filled.length; k++) filled[k][i] = event.filled?.[keys.filled![k]] ?? false;
  }
  const columns = <T>(names: readonly string[], values: T[][]): Record<string, T[]> =>
    Object.fromEntries(names.map((name, k) => [name, values[k]]));
  const page: EventPage = {
    uid,
    descriptor: events[0].descriptor,
    seq_num: seqNum,
    time,
    data: columns(keys.data, data),
    timestamps: columns(keys.timestamps, timestamps),
  };
  if (filled !== undefined) page.filled = columns(keys.filled!, filled);
  return page;
}

/**
 * One column of a page from each event's value: a Float64Array while every
 * value is a number, else (from the first that is not) a plain array.
 */
function typedColumn(events: readonly Event[], value: (event: Event) => unknown): unknown[] | Float64Array {
  const n = events.length;
  const typed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value(events[i]);
    if (typeof v === 'number') {
      typed[i] = v;
      continue;
    }
    const plain = new Array<unknown>(n);
    for (let j = 0; j < i; j++) plain[j] = typed[j];
    plain[i] = v;
    for (let j = i + 1; j < n; j++) plain[j] = value(events[j]);
    return plain;
  }
  return typed;
}

/**
 * buildEventPage with typed columns: each column whose values are all
 * numbers (readings, timestamps, time, seq_num) is a Float64Array, built
 * directly from the events (a decoding reader's pages: see decode-thread-protocol.ts).
 */
export function buildTypedEventPage(events: readonly Event[], keys: PageKeys): EventPage {
  const columns = (names: readonly string[], of: (event: Event) => Record<string, unknown>) =>
    Object.fromEntries(names.map((name) => [name, typedColumn(events, (e) => of(e)[name])]));
  const page: EventPage = {
    uid: events.map((e) => e.uid),
    descriptor: events[0].descriptor,
    seq_num: typedColumn(events, (e) => e.seq_num) as Float64Array | number[],
    time: typedColumn(events, (e) => e.time) as Float64Array | number[],
    data: columns(keys.data, (e) => e.data),
    timestamps: columns(keys.timestamps, (e) => e.timestamps) as Record<string, Float64Array | number[]>,
  };
  if (keys.filled !== undefined) {
    const filled = keys.filled;
    page.filled = Object.fromEntries(filled.map((name) => [name, events.map((e) => e.filled?.[name] ?? false)]));
  }
  return page;
}

/** One page of events that share a descriptor (event-model's pack_event_page). */
export function packEvents(events: readonly Event[]): EventPage {
  if (events.length === 0) {
    throw new NxlError(
      'DOC_SHAPE',
      'cannot pack an empty list of events into a page',
      {},
      { hint: 'a page holds at least one event' },
    );
  }
  const descriptor = events[0].descriptor;
  const dataKeys = Object.keys(events[0].data);
  for (const event of events) {
    if (event.descriptor !== descriptor) {
      throw new NxlError(
        'DOC_SHAPE',
        `event ${event.uid} belongs to descriptor ${event.descriptor}, not ${descriptor}`,
        { document: { name: 'event', uid: event.uid } },
        { hint: 'pack the events of each descriptor separately' },
      );
    }
    const keys = Object.keys(event.data);
    if (keys.length !== dataKeys.length || dataKeys.some((k) => !(k in event.data))) {
      throw new NxlError(
        'DOC_SHAPE',
        `event ${event.uid} has data keys [${keys.join(', ')}], the page has [${dataKeys.join(', ')}]`,
        { document: { name: 'event', uid: event.uid } },
        { hint: 'the events of one descriptor must all carry the same data keys' },
      );
    }
  }
  const filled = events[0].filled;
  return buildEventPage(events, {
    data: dataKeys,
    timestamps: Object.keys(events[0].timestamps),
    ...(filled === undefined ? {} : { filled: Object.keys(filled) }),
  });
}

/** The datums of a page, in page order (event-model's unpack_datum_page). */
export function unpackDatumPage(page: DatumPage): Datum[] {
  const n = page.datum_id.length;
  checkLengths('datum_page', n, page.datum_kwargs, 'datum_kwargs', page.datum_id[0]);
  const datums: Datum[] = [];
  for (let i = 0; i < n; i++) {
    datums.push({ datum_id: page.datum_id[i], resource: page.resource, datum_kwargs: pick(page.datum_kwargs, i) });
  }
  return datums;
}
