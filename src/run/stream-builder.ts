/**
 * One stream of a run as it grows: its descriptors, and a column per field
 * filled from events and event pages alike (a page's arrays are appended as
 * they are, never unpacked into events).
 */
import type { DataKey, Event, EventDescriptor, EventPage } from '../documents/models.js';
import { isPageColumn } from '../documents/pages.js';
import { joinPointer } from '../json-pointer.js';
import { appendFill, appendMany, appendOne, isNumericScalar, newColumn } from './column.js';
import type { MutableColumn } from './column.js';
import type { Stream } from './models.js';
import { heldColumns, type HeldColumn } from './row-release.js';
import { expectOf, fits, replacement, type Expect, type ReadingRepair } from './reading-type.js';

interface FieldEntry {
  readonly name: string;
  readonly values: MutableColumn;
  readonly timestamps: MutableColumn;
  /** Datum ids read, for fields whose data key is `external` (resource/datum). */
  readonly datumIds?: string[];
  /** What its scalar readings must be (undefined: not checked). */
  readonly expect?: Expect;
  /** An array in this scalar column was already noted. */
  arrayNoted?: boolean;
}

/** The stream as the builder holds it (the public `Stream` is read-only). */
interface MutableStream extends Omit<Stream, 'length' | 'time' | 'seqNum' | 'fields' | 'descriptors'> {
  length: number;
  readonly descriptors: EventDescriptor[];
  readonly time: MutableColumn;
  readonly seqNum: MutableColumn;
  readonly fields: Map<string, { readonly values: MutableColumn; readonly timestamps: MutableColumn }>;
}

export class StreamBuilder {
  readonly stream: Stream;
  /** field → datum ids, for the external fields of this stream. */
  readonly datumIds = new Map<string, string[]>();
  readonly #stream: MutableStream;
  readonly #entries: FieldEntry[] = [];
  /** Readings of the wrong type met since the last takeRepairs(). */
  #repairs: ReadingRepair[] = [];

  constructor(name: string) {
    this.#stream = {
      name,
      descriptors: [],
      dataKeys: {},
      length: 0,
      time: newColumn('time', { stats: true }),
      seqNum: newColumn('seq_num', { stats: true }),
      fields: new Map(),
    };
    this.stream = this.#stream;
  }

  /** Every column of the stream, as the accumulator's row release sees them. */
  held(): Iterable<HeldColumn> {
    const s = this.#stream;
    return heldColumns(s.name, s.time, s.seqNum, s.fields);
  }

  addDescriptor(descriptor: EventDescriptor): void {
    const stream = this.#stream;
    stream.descriptors.push(descriptor);
    for (const [field, dataKey] of Object.entries(descriptor.data_keys ?? {})) {
      if (stream.fields.has(field)) continue;
      stream.dataKeys[field] = dataKey;
      this.#addField(field, dataKey);
    }
  }

  /** The readings of the wrong type met since the last call (replaced in the columns already). */
  takeRepairs(): ReadingRepair[] {
    const repairs = this.#repairs;
    if (repairs.length > 0) this.#repairs = [];
    return repairs;
  }

  /** `value` as the column keeps it: itself, or its replacement when it does not fit the data key. */
  #checked(entry: FieldEntry, value: unknown, row: number): unknown {
    const expect = entry.expect!;
    if (fits(value, expect)) {
      if (Array.isArray(value) && !entry.arrayNoted) {
        entry.arrayNoted = true;
        this.#repairs.push({ field: entry.name, row, value, expect, replaced: false });
      }
      return value;
    }
    const kept = replacement(value, expect);
    this.#repairs.push({ field: entry.name, row, value, expect, replaced: kept !== value });
    return kept;
  }

  pushEvent(event: Event): void {
    const data = event.data ?? {};
    const timestamps = event.timestamps ?? {};
    const entries = this.#entries;
    let matched = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      let value = data[entry.name];
      if (value !== undefined || entry.name in data) matched++;
      if (entry.expect !== undefined && !isPlain(value, entry.expect))
        value = this.#checked(entry, value, this.#stream.length);
      appendOne(entry.values, value);
      appendOne(entry.timestamps, timestamps[entry.name]);
      if (entry.datumIds !== undefined && typeof value === 'string') entry.datumIds.push(value);
    }
    if (matched < countKeys(data)) {
      // A reading no descriptor declared: keep it rather than lose data.
      for (const field of Object.keys(data)) {
        if (this.#stream.fields.has(field)) continue;
        const entry = this.#addField(field, undefined);
        appendOne(entry.values, data[field]);
        appendOne(entry.timestamps, timestamps[field]);
      }
    }
    appendOne(this.#stream.time, event.time);
    appendOne(this.#stream.seqNum, event.seq_num);
    this.#stream.length++;
  }

  /** Appends a page whose arrays all have one entry per event (see `pageLengthProblem`). */
  pushPage(page: EventPage): void {
    const n = page.seq_num.length;
    const data = page.data ?? {};
    const timestamps = page.timestamps ?? {};
    const entries = this.#entries;
    let matched = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const values = data[entry.name];
      if (values === undefined) {
        appendFill(entry.values, undefined, n);
        appendFill(entry.timestamps, undefined, n);
        continue;
      }
      matched++;
      appendMany(entry.values, entry.expect === undefined ? values : this.#checkedPage(entry, values));
      const ts = timestamps[entry.name];
      if (ts === undefined) appendFill(entry.timestamps, undefined, n);
      else appendMany(entry.timestamps, ts);
      const ids = entry.datumIds;
      if (ids !== undefined)
        for (let k = 0; k < n; k++) if (typeof values[k] === 'string') ids.push(values[k] as string);
    }
    if (matched < countKeys(data)) {
      for (const field of Object.keys(data)) {
        if (this.#stream.fields.has(field)) continue;
        const entry = this.#addField(field, undefined);
        appendMany(entry.values, data[field]);
        const ts = timestamps[field];
        if (ts === undefined) appendFill(entry.timestamps, undefined, n);
        else appendMany(entry.timestamps, ts);
      }
    }
    appendMany(this.#stream.time, page.time);
    appendMany(this.#stream.seqNum, page.seq_num);
    this.#stream.length += n;
  }

  /** A page's readings of one field, copied only when one of them does not fit (a typed column of numbers fits `number`). */
  #checkedPage(entry: FieldEntry, values: ArrayLike<unknown>): ArrayLike<unknown> {
    const expect = entry.expect!;
    if (expect === 'number' && values instanceof Float64Array) return values;
    let out: unknown[] | undefined;
    for (let k = 0; k < values.length; k++) {
      const value = values[k];
      if (isPlain(value, expect)) continue;
      const kept = this.#checked(entry, value, this.#stream.length + k);
      if (kept !== value) (out ??= Array.from(values))[k] = kept;
    }
    return out ?? values;
  }

  #addField(field: string, dataKey: DataKey | undefined): FieldEntry {
    const stream = this.#stream;
    const values = newColumn(field, { dataKey, stats: isNumericScalar(dataKey) });
    const timestamps = newColumn(field, { stats: true });
    // Rows before the field existed (a later descriptor added it) are missing readings.
    appendFill(values, undefined, stream.length);
    appendFill(timestamps, undefined, stream.length);
    const external = typeof dataKey?.external === 'string' && dataKey.external !== '';
    const expect = external ? undefined : expectOf(dataKey);
    const entry: FieldEntry = {
      name: field,
      values,
      timestamps,
      ...(external ? { datumIds: [] } : {}),
      ...(expect === undefined ? {} : { expect }),
    };
    if (entry.datumIds !== undefined) this.datumIds.set(field, entry.datumIds);
    this.#entries.push(entry);
    stream.fields.set(field, { values, timestamps });
    return entry;
  }
}

/** The common case, checked first: a reading of exactly the declared type. */
function isPlain(value: unknown, expect: Expect): boolean {
  return expect === 'integer' ? Number.isInteger(value) : typeof value === expect;
}

function countKeys(record: object): number {
  let n = 0;
  for (const _ in record) n++;
  return n;
}

/** The JSON pointer of an event_page array whose length is not the page's (seq_num's), if any. */
export function pageLengthProblem(page: EventPage): string | undefined {
  const n = page.seq_num.length;
  if (!isPageColumn(page.time) || page.time.length !== n) return '/time';
  if (Array.isArray(page.uid) && page.uid.length !== n) return '/uid';
  for (const [field, values] of Object.entries(page.data ?? {})) {
    if (!isPageColumn(values) || values.length !== n) return joinPointer('/data', field);
  }
  for (const [field, values] of Object.entries(page.timestamps ?? {})) {
    if (!isPageColumn(values) || values.length !== n) return joinPointer('/timestamps', field);
  }
  return undefined;
}
