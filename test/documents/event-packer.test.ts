import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { EventPacker, unpackEventPage } from '../../src/documents/index.js';
import type { Diagnostic } from '../../src/errors.js';
import type { DocumentSource, Event, EventPage, LogItem } from '../../src/documents/index.js';

const LOG = 'mem.jsonl';
const at = (line: number): DocumentSource => ({ log: LOG, item: line, line, offset: line * 100 });

const SCHEMA_PROBLEM: Diagnostic = {
  code: 'DOC_SCHEMA',
  severity: 'error',
  message: 'the document lacks the required field "seq_num"',
  location: { file: LOG, line: 1 },
};

interface EventSpec {
  line: number;
  seq: number;
  descriptor?: string;
  data?: Record<string, unknown>;
  timestamps?: Record<string, number>;
  filled?: Record<string, boolean | string>;
  /** Omitted: the valid `[]`; `null`: no validation field at all. */
  validation?: Diagnostic[] | null;
}

function eventItem(spec: EventSpec): LogItem {
  const doc: Event = {
    uid: `ev-${spec.seq}`,
    descriptor: spec.descriptor ?? 'desc-1',
    seq_num: spec.seq,
    time: 1000 + spec.seq / 10,
    data: spec.data ?? { x: spec.seq * 1.5, label: `p${spec.seq}` },
    timestamps: spec.timestamps ?? { x: 900 + spec.seq, label: 950 + spec.seq },
  };
  if (spec.filled !== undefined) doc.filled = spec.filled;
  const item: LogItem = { kind: 'document', at: at(spec.line), name: 'event', doc };
  if (spec.validation !== null) item.validation = spec.validation ?? [];
  return item;
}

const problemItem = (line: number): LogItem => ({
  kind: 'problem',
  diagnostic: {
    code: 'DOC_PARSE',
    severity: 'error',
    message: `line ${line} is not JSON`,
    location: { file: LOG, line },
  },
});

const descriptorItem = (line: number): LogItem => ({
  kind: 'document',
  at: at(line),
  name: 'descriptor',
  validation: [],
  doc: { uid: 'desc-2', run_start: 'start-1', time: 1, data_keys: {} },
});

/** Everything the packer hands over for `items`, pushed one by one and flushed at the end. */
function pack(items: LogItem[], maxEvents?: number): LogItem[] {
  const packer = new EventPacker(maxEvents === undefined ? {} : { maxEvents });
  const out: LogItem[] = [];
  for (const item of items) packer.push(item, out);
  packer.flush(out);
  return out;
}

/** One letter per item handed over, e.g. 'P3 E P2': a page of 3, an event, a page of 2 (D: other document, !: problem). */
function shape(items: LogItem[]): string {
  return items
    .map((i) => {
      if (i.kind === 'problem') return '!';
      if (i.name === 'event_page') return `P${i.doc.uid.length}`;
      return i.name === 'event' ? 'E' : 'D';
    })
    .join(' ');
}

/** The page handed over, as it is (its number columns typed). */
function typedPageOf(item: LogItem | undefined): EventPage {
  assert.ok(
    item !== undefined && item.kind === 'document' && item.name === 'event_page',
    `expected an event_page, got ${JSON.stringify(item)}`,
  );
  return item.doc;
}

/** The page handed over with its typed columns as arrays (own data properties kept: "__proto__" stays a field). */
function pageOf(item: LogItem | undefined): EventPage {
  const page = typedPageOf(item);
  const plain = <T>(c: T[] | Float64Array): T[] => (c instanceof Float64Array ? (Array.from(c) as T[]) : c);
  const columns = <T>(r: Record<string, T[] | Float64Array>): Record<string, T[]> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)]));
  return {
    ...page,
    seq_num: plain(page.seq_num),
    time: plain(page.time),
    data: columns(page.data),
    timestamps: columns(page.timestamps),
  };
}

/** The events a packed output stands for, in order (pages unpacked). */
function eventsOf(items: LogItem[]): Event[] {
  return items.flatMap((i) => {
    if (i.kind !== 'document') return [];
    if (i.name === 'event_page') return unpackEventPage(i.doc);
    return i.name === 'event' ? [i.doc] : [];
  });
}

const docOf = (item: LogItem): Event => {
  assert.ok(item.kind === 'document' && item.name === 'event');
  return item.doc;
};

describe('EventPacker', () => {
  test('a run of valid events becomes one page holding their values column by column, at the first event', () => {
    const events = [1, 2, 3, 4].map((seq) =>
      eventItem({
        line: seq + 2,
        seq,
        filled: { img: seq % 2 === 0 ? `datum-${seq}` : false },
        data: { x: seq * 1.5, label: `p${seq}`, img: `datum-${seq}`, arr: [seq, -seq] },
        timestamps: { x: 900 + seq, label: 950 + seq, img: 970 + seq, arr: 980 + seq },
      }),
    );
    const out = pack(events);
    assert.equal(out.length, 1);
    const [item] = out;
    assert.ok(item.kind === 'document');
    assert.deepEqual(item.at, at(3));
    assert.deepEqual(item.validation, []);
    assert.deepEqual(pageOf(item), {
      uid: ['ev-1', 'ev-2', 'ev-3', 'ev-4'],
      descriptor: 'desc-1',
      seq_num: [1, 2, 3, 4],
      time: [1000.1, 1000.2, 1000.3, 1000.4],
      data: {
        x: [1.5, 3, 4.5, 6],
        label: ['p1', 'p2', 'p3', 'p4'],
        img: ['datum-1', 'datum-2', 'datum-3', 'datum-4'],
        arr: [
          [1, -1],
          [2, -2],
          [3, -3],
          [4, -4],
        ],
      },
      timestamps: {
        x: [901, 902, 903, 904],
        label: [951, 952, 953, 954],
        img: [971, 972, 973, 974],
        arr: [981, 982, 983, 984],
      },
      filled: { img: [false, 'datum-2', false, 'datum-4'] },
    });
    assert.deepEqual(unpackEventPage(pageOf(item)), events.map(docOf));
  });

  test('columns of numbers are Float64Arrays; any other value makes its column an array, values kept', () => {
    const events = [1, 2, 3].map((seq) =>
      eventItem({
        line: seq,
        seq,
        data: { x: seq * 1.5, label: `p${seq}`, late: seq === 3 ? 'three' : seq, arr: [seq] },
        timestamps: { x: 900 + seq, label: 950 + seq, late: 960 + seq, arr: 970 + seq },
      }),
    );
    const page = typedPageOf(pack(events)[0]);
    assert.ok(page.seq_num instanceof Float64Array && page.time instanceof Float64Array);
    assert.ok(page.data.x instanceof Float64Array);
    assert.deepEqual(page.data.label, ['p1', 'p2', 'p3']);
    assert.deepEqual(page.data.late, [1, 2, 'three'], 'a number column that meets text is an array of what was read');
    assert.deepEqual(page.data.arr, [[1], [2], [3]]);
    assert.ok(Object.values(page.timestamps).every((c) => c instanceof Float64Array));
    assert.deepEqual(Array.from(page.data.x), [1.5, 3, 4.5]);
  });

  test('a page has no filled field when its events have none', () => {
    const page = pageOf(pack([eventItem({ line: 1, seq: 1 }), eventItem({ line: 2, seq: 2 })])[0]);
    assert.equal('filled' in page, false);
    assert.deepEqual(Object.keys(page.data), ['x', 'label']);
  });

  test('maxEvents splits a long run into pages of at most that many events, in order', () => {
    const events = Array.from({ length: 11 }, (_, i) => eventItem({ line: i + 1, seq: i + 1 }));
    const out = pack(events, 4);
    assert.equal(shape(out), 'P4 P4 P3');
    assert.deepEqual(
      out.map((i) => (i.kind === 'document' ? i.at.line : undefined)),
      [1, 5, 9],
    );
    assert.deepEqual(pageOf(out[1]).seq_num, [5, 6, 7, 8]);
    assert.deepEqual(eventsOf(out), events.map(docOf));
  });

  test('a run one longer than maxEvents leaves its last event as a lone event', () => {
    const events = Array.from({ length: 4 }, (_, i) => eventItem({ line: i + 1, seq: i + 1 }));
    const out = pack(events, 3);
    assert.equal(shape(out), 'P3 E');
    assert.equal(out[1], events[3]);
  });

  test('the default maxEvents is 1024', () => {
    const events = Array.from({ length: 1025 }, (_, i) => eventItem({ line: i + 1, seq: i + 1 }));
    assert.equal(shape(pack(events)), 'P1024 E');
  });

  test('a change of descriptor starts a new page', () => {
    const out = pack([
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      eventItem({ line: 3, seq: 1, descriptor: 'desc-2' }),
      eventItem({ line: 4, seq: 2, descriptor: 'desc-2' }),
      eventItem({ line: 5, seq: 3 }),
    ]);
    assert.equal(shape(out), 'P2 P2 E');
    assert.deepEqual(
      [pageOf(out[0]).descriptor, pageOf(out[1]).descriptor, docOf(out[2]).descriptor],
      ['desc-1', 'desc-2', 'desc-1'],
    );
  });

  test('a change of data keys (one more, one fewer) starts a new page', () => {
    const events = [
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      eventItem({ line: 3, seq: 3, data: { x: 1, label: 'a', extra: 2 }, timestamps: { x: 1, label: 1 } }),
      eventItem({ line: 4, seq: 4, data: { x: 1, label: 'a', extra: 3 }, timestamps: { x: 1, label: 1 } }),
      eventItem({ line: 5, seq: 5, data: { x: 1 }, timestamps: { x: 1, label: 1 } }),
    ];
    const out = pack(events);
    assert.equal(shape(out), 'P2 P2 E');
    assert.deepEqual(pageOf(out[1]).data, { x: [1, 1], label: ['a', 'a'], extra: [2, 3] });
    assert.deepEqual(eventsOf(out), events.map(docOf));
  });

  test('the same data keys in another order start a new page', () => {
    const events = [
      eventItem({ line: 1, seq: 1, data: { x: 1, label: 'a' } }),
      eventItem({ line: 2, seq: 2, data: { x: 2, label: 'b' } }),
      eventItem({ line: 3, seq: 3, data: { label: 'c', x: 3 } }),
      eventItem({ line: 4, seq: 4, data: { label: 'd', x: 4 } }),
    ];
    const out = pack(events);
    assert.equal(shape(out), 'P2 P2');
    assert.deepEqual(pageOf(out[1]).data, { label: ['c', 'd'], x: [3, 4] });
    assert.deepEqual(Object.keys(pageOf(out[1]).data), ['label', 'x']);
  });

  test('timestamps keys in another order, or different filled keys, start a new page', () => {
    const out = pack([
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      eventItem({ line: 3, seq: 3, timestamps: { label: 3, x: 3 } }),
      eventItem({ line: 4, seq: 4, timestamps: { label: 4, x: 4 } }),
      eventItem({ line: 5, seq: 5, timestamps: { label: 5, x: 5 }, filled: { x: false } }),
      eventItem({ line: 6, seq: 6, timestamps: { label: 6, x: 6 }, filled: { x: true } }),
      eventItem({ line: 7, seq: 7, timestamps: { label: 7, x: 7 }, filled: { label: true } }),
      eventItem({ line: 8, seq: 8, timestamps: { label: 8, x: 8 } }),
    ]);
    assert.equal(shape(out), 'P2 P2 P2 E E');
    assert.deepEqual(pageOf(out[1]).timestamps, { label: [3, 4], x: [3, 4] });
    assert.deepEqual(pageOf(out[2]).filled, { x: [false, true] });
    assert.deepEqual(docOf(out[3]).filled, { label: true });
    assert.equal(docOf(out[4]).filled, undefined);
  });

  test('an invalid event passes through unchanged and splits the run around it', () => {
    const invalid = eventItem({ line: 3, seq: 3, validation: [SCHEMA_PROBLEM] });
    const events = [
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      invalid,
      eventItem({ line: 4, seq: 4 }),
      eventItem({ line: 5, seq: 5 }),
    ];
    const out = pack(events);
    assert.equal(shape(out), 'P2 E P2');
    assert.equal(out[1], invalid, 'the very same item');
    assert.deepEqual(invalid.kind === 'document' && invalid.validation, [SCHEMA_PROBLEM]);
    assert.deepEqual(pageOf(out[0]).seq_num, [1, 2]);
    assert.deepEqual(pageOf(out[2]).seq_num, [4, 5]);
    assert.ok(out[2].kind === 'document');
    assert.deepEqual(out[2].at, at(4));
  });

  test('an event without a validation field (not checked) passes through unchanged and splits the run', () => {
    const unchecked = eventItem({ line: 3, seq: 3, validation: null });
    const out = pack([
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      unchecked,
      eventItem({ line: 4, seq: 4 }),
      eventItem({ line: 5, seq: 5 }),
    ]);
    assert.equal(shape(out), 'P2 E P2');
    assert.equal(out[1], unchecked);
    assert.equal(out[1].kind === 'document' && 'validation' in out[1], false);
  });

  test('only unchecked or invalid events: nothing is packed', () => {
    const items = [1, 2, 3].map((seq) =>
      eventItem({ line: seq, seq, validation: seq === 2 ? [SCHEMA_PROBLEM] : null }),
    );
    const out = pack(items);
    assert.equal(out.length, 3);
    items.forEach((item, i) => {
      assert.equal(out[i], item);
    });
  });

  // JSON.parse makes "__proto__" an own property; a page assigning columns by key would set a prototype instead.
  test('a data key named "__proto__" (legal in a parsed event) is packed as a column like any other', () => {
    const parsed = (seq: number) => JSON.parse(`{"__proto__": ${seq}, "x": ${seq}}`) as Record<string, unknown>;
    const events = [1, 2].map((seq) =>
      eventItem({
        line: seq,
        seq,
        data: parsed(seq),
        timestamps: JSON.parse(`{"__proto__": ${seq}, "x": ${seq}}`) as Record<string, number>,
      }),
    );
    const out = pack(events);
    assert.equal(shape(out), 'P2');
    assert.deepEqual(Object.getOwnPropertyNames(pageOf(out[0]).data), ['__proto__', 'x']);
  });

  test('a lone valid event stays the same event item', () => {
    const lone = eventItem({ line: 7, seq: 1 });
    const out = pack([lone]);
    assert.equal(out.length, 1);
    assert.equal(out[0], lone);
  });

  test('problems and other documents keep their place; the events before them are handed over first', () => {
    const descriptor = descriptorItem(3);
    const bad = problemItem(6);
    const items = [
      eventItem({ line: 1, seq: 1 }),
      eventItem({ line: 2, seq: 2 }),
      descriptor,
      eventItem({ line: 4, seq: 3 }),
      eventItem({ line: 5, seq: 4 }),
      bad,
      eventItem({ line: 7, seq: 5 }),
      problemItem(8),
    ];
    const out = pack(items);
    assert.equal(shape(out), 'P2 D P2 ! E !');
    assert.equal(out[1], descriptor);
    assert.equal(out[3], bad);
    assert.deepEqual(
      eventsOf(out).map((e) => e.seq_num),
      [1, 2, 3, 4, 5],
    );
  });

  test('push appends what is ready to out at once; flush hands over the rest, and a second flush adds nothing', () => {
    const packer = new EventPacker({ maxEvents: 2 });
    const out: LogItem[] = [];
    packer.push(eventItem({ line: 1, seq: 1 }), out);
    assert.equal(out.length, 0, 'a single event is held');
    packer.push(eventItem({ line: 2, seq: 2 }), out);
    assert.equal(shape(out), 'P2', 'a full page is handed over at once');
    packer.push(eventItem({ line: 3, seq: 3 }), out);
    packer.push(problemItem(4), out);
    assert.equal(shape(out), 'P2 E !', 'the held event goes before the problem');
    packer.push(eventItem({ line: 5, seq: 4 }), out);
    packer.flush(out);
    packer.flush(out);
    assert.equal(shape(out), 'P2 E ! E');
  });
});
