import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encode } from '@msgpack/msgpack';
import { decodeDocumentStream, JsonArrayDecoder, MsgpackDecoder, sniffFormat } from '../../src/documents/index.js';
import type { LogItem } from '../../src/documents/index.js';
import { chunked, collect, documents, problems, REALDATA } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('format sniffing', () => {
  const cases: [string, string | number[], ReturnType<typeof sniffFormat>][] = [
    ['suitcase-jsonl', '["start", {}]', { kind: 'format', format: 'jsonl' }],
    ['suitcase-jsonl after whitespace', ' \n[ \t"start"', { kind: 'format', format: 'jsonl' }],
    ['jsonl of objects', '{"name": "start"', { kind: 'format', format: 'jsonl' }],
    ['array of pairs', '[["start"', { kind: 'format', format: 'json-array' }],
    ['pretty array of pairs', '[\n  [\n', { kind: 'format', format: 'json-array' }],
    ['array of objects', '[\n {"name"', { kind: 'format', format: 'json-array' }],
    ['msgpack pair', [0x92, 0xa5], { kind: 'format', format: 'msgpack' }],
    ['msgpack array16', [0xdc, 0x00, 0x02], { kind: 'format', format: 'msgpack' }],
    ['gzip', [0x1f, 0x8b, 0x08], { kind: 'gzip' }],
    ['only "[" so far', '[  ', { kind: 'undecided' }],
    ['text', 'hello', { kind: 'unknown', firstByte: 0x68 }],
    ['array of numbers', '[1, 2]', { kind: 'unknown', firstByte: 0x5b }],
  ];
  for (const [what, head, expected] of cases) {
    test(what, () => {
      assert.deepEqual(sniffFormat(typeof head === 'string' ? enc(head) : Uint8Array.from(head)), expected);
    });
  }
});

/** Items as comparable plain data, whatever the chunking. */
function summary(items: LogItem[]) {
  return items.map((i) =>
    i.kind === 'document'
      ? { name: i.name, doc: i.doc, at: i.at }
      : { problem: i.diagnostic.code, at: i.diagnostic.location },
  );
}

describe('chunk boundaries do not matter', () => {
  const files = [
    'apstools/uid-34c84a1b.json',
    'bluesky-tiled-plugins/internal_events.json',
    'databroker-pack/simple_catalog/documents/b53f5090-cb1b-4226-a16c-7f71fae07144.msgpack',
    'databroker-pack/simple_catalog_jsonl_history/13799134-509d-4efb-a6a4-71ad932c5a36.jsonl',
  ];
  for (const file of files) {
    test(`${file}: 1-byte, 13-byte and whole-file chunks give the same items`, async () => {
      const bytes = new Uint8Array(await readFile(join(REALDATA, file)));
      const whole = summary(await collect(decodeDocumentStream(chunked(bytes, bytes.length), file)));
      assert.ok(whole.length >= 6);
      assert.deepEqual(summary(await collect(decodeDocumentStream(chunked(bytes, 1), file))), whole);
      assert.deepEqual(summary(await collect(decodeDocumentStream(chunked(bytes, 13), file))), whole);
    });
  }
});

describe('JSON array scanner', () => {
  test('brackets, braces, quotes and escapes inside strings do not end an element', () => {
    const doc = { uid: 'u', time: 1, note: 'a ] b } c [ "q" \\ \\" ,', 'odd"key': ['[', '{'] };
    const text = `[ ["start", ${JSON.stringify(doc)}] , {"name": "stop", "doc": {"uid": "s", "run_start": "u", "time": 2, "exit_status": "success"}} ]`;
    const decoder = new JsonArrayDecoder('mem');
    const items = [...text].flatMap((c) => decoder.push(enc(c)));
    items.push(...decoder.end());
    assert.deepEqual(problems(items), []);
    assert.deepEqual(
      documents(items).map((d) => d.doc),
      [doc, { uid: 's', run_start: 'u', time: 2, exit_status: 'success' }],
    );
    assert.deepEqual(
      documents(items).map((d) => d.at.offset),
      [2, text.indexOf('{"name"')],
    );
  });

  test('multi-byte UTF-8 split across chunks', () => {
    const text = JSON.stringify([['start', { uid: 'ü-µ-😀', time: 1 }]]);
    const bytes = enc(text);
    const decoder = new JsonArrayDecoder('mem');
    const items = [];
    for (let i = 0; i < bytes.length; i++) items.push(...decoder.push(bytes.subarray(i, i + 1)));
    items.push(...decoder.end());
    const [start] = documents(items);
    assert.equal(start.name === 'start' && start.doc.uid, 'ü-µ-😀');
  });

  test('a scalar element is DOC_SHAPE, and a missing comma stops the array', () => {
    const decoder = new JsonArrayDecoder('mem');
    const items = [...decoder.push(enc('[3, "x", ["start", {"uid": "u", "time": 1}] ["stop", {}]]')), ...decoder.end()];
    assert.deepEqual(
      items.map((i) => (i.kind === 'document' ? i.name : i.diagnostic.code)),
      ['DOC_SHAPE', 'DOC_SHAPE', 'start', 'DOC_PARSE'],
    );
  });
});

describe('msgpack decoder', () => {
  const start = encode(['start', { uid: 'u', time: 1.5, scan_id: 7 }]);
  const big = encode([
    'event',
    {
      uid: 'e',
      descriptor: 'd',
      seq_num: 1,
      time: 2,
      data: { img: new Array(5000).fill(0.25) },
      timestamps: { img: 2 },
    },
  ]);
  const stop = encode(['stop', { uid: 's', run_start: 'u', time: 3, exit_status: 'success' }]);

  test('an incomplete trailing item waits for its bytes; offsets are item starts', () => {
    const decoder = new MsgpackDecoder('mem');
    assert.deepEqual(documents(decoder.push(start.subarray(0, 5))), []);
    assert.equal(decoder.pendingBytes, 5);
    const first = decoder.push(Uint8Array.from([...start.subarray(5), ...big.subarray(0, 1000)]));
    assert.deepEqual(
      documents(first).map((d) => [d.name, d.at]),
      [['start', { log: 'mem', item: 1, offset: 0 }]],
    );
    assert.deepEqual(decoder.push(big.subarray(1000, big.length - 1)), []);
    const rest = decoder.push(Uint8Array.from([...big.subarray(big.length - 1), ...stop]));
    assert.deepEqual(
      documents(rest).map((d) => [d.name, d.at.item, d.at.offset]),
      [
        ['event', 2, start.length],
        ['stop', 3, start.length + big.length],
      ],
    );
    const ev = documents(rest)[0];
    assert.equal(ev.name === 'event' && (ev.doc.data.img as number[]).length, 5000);
    assert.deepEqual(decoder.end(), []);
  });

  test('end inside an item: DOC_TRUNCATED at the item', () => {
    const decoder = new MsgpackDecoder('mem');
    const items = [...decoder.push(Uint8Array.from([...start, ...stop.subarray(0, 10)])), ...decoder.end()];
    assert.deepEqual(
      problems(items).map((p) => [p.code, p.location.item, p.location.offset]),
      [['DOC_TRUNCATED', 2, start.length]],
    );
  });

  test('a byte that starts no msgpack value stops the stream with DOC_PARSE', () => {
    const decoder = new MsgpackDecoder('mem');
    const items = [...decoder.push(Uint8Array.from([...start, 0xc1, ...stop])), ...decoder.end()];
    assert.deepEqual(
      items.map((i) => (i.kind === 'document' ? i.name : [i.diagnostic.code, i.diagnostic.location.offset])),
      ['start', ['DOC_PARSE', start.length]],
    );
  });
});
