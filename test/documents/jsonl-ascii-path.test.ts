/**
 * JsonlDecoder reads the complete lines of an all-ASCII stretch in one decode, cut and depth-checked
 * in the string (the fast path); other stretches line by line. Both must give the same items at the
 * same places: lines, items and byte offsets of documents and of every kind of problem, whatever the
 * chunking (a line cut anywhere, one byte at a time, the whole log at once).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { JsonlDecoder } from '../../src/documents/index.js';
import type { LogItem } from '../../src/documents/index.js';
import { jsonDepthExceeded, TextDepthCheck } from '../../src/documents/limits.js';

const enc = (s: string) => new TextEncoder().encode(s);

const deepLine = `["event", {"x": ${'['.repeat(150)}1${']'.repeat(150)}}]`;
const lines = [
  '["start", {"uid": "u1", "time": 1}]',
  '',
  '  \t\r',
  deepLine,
  '["event", {"v": NaN, "w": -Infinity, "s": "NaN"}]',
  'not json at all',
  `["event", {"s": "${'['.repeat(200)}"}]`,
  '["start", {"uid": "é-ü", "time": 2}]',
  '["stop", {"uid": "s1", "run_start": "u1"}]',
];
const text = lines.join('\n') + '\n';

function decode(size: number): LogItem[] {
  const d = new JsonlDecoder('t.jsonl');
  const bytes = enc(text);
  const out: LogItem[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...d.push(bytes.subarray(i, i + size)));
  out.push(...d.end());
  return out;
}

function where(item: LogItem) {
  return item.kind === 'document'
    ? { name: item.name, line: item.at.line, item: item.at.item, offset: item.at.offset }
    : {
        code: item.diagnostic.code,
        line: item.diagnostic.location.line,
        item: item.diagnostic.location.item,
        offset: item.diagnostic.location.offset,
      };
}

test('jsonl: the same items at the same lines and byte offsets whatever the chunking', () => {
  const offsetOf = (n: number) => Buffer.byteLength(lines.slice(0, n).join('\n') + (n > 0 ? '\n' : ''));
  const expected = [
    { name: 'start', line: 1, item: 1, offset: 0 },
    // Blank lines 2 and 3 are no items. Line 4 nests 152 levels: located at its 101st bracket.
    { code: 'DOC_LIMIT', line: 4, item: 2, offset: offsetOf(3) + jsonDepthExceeded(enc(deepLine), 100) },
    { name: 'event', line: 5, item: 3, offset: offsetOf(4) },
    { code: 'DOC_PARSE', line: 6, item: 4, offset: offsetOf(5) },
    // 200 brackets inside a string: not nesting.
    { name: 'event', line: 7, item: 5, offset: offsetOf(6) },
    { name: 'start', line: 8, item: 6, offset: offsetOf(7) },
    { name: 'stop', line: 9, item: 7, offset: offsetOf(8) },
  ];
  for (const size of [1, 5, 64, 65536]) {
    const items = decode(size);
    assert.deepEqual(items.map(where), expected, `chunks of ${size} bytes`);
    const docs = items.filter((i) => i.kind === 'document');
    const nan = docs[1].doc as unknown as { v: number; w: number; s: string };
    assert.ok(Number.isNaN(nan.v), 'Python NaN read as a number');
    assert.equal(nan.w, -Infinity);
    assert.equal(nan.s, 'NaN');
    assert.equal((docs[3].doc as { uid: string }).uid, 'é-ü', 'a non-ASCII line decoded as UTF-8');
  }
});

test('TextDepthCheck gives the byte scan answer line by line, each character searched once', () => {
  const all = lines.join('\n');
  const check = new TextDepthCheck(all, 100);
  let start = 0;
  for (const line of lines) {
    const expected = jsonDepthExceeded(enc(line), 100);
    assert.equal(check.exceeded(start, start + line.length), expected, line.slice(0, 30));
    start += line.length + 1;
  }
  // A tighter limit: the string's brackets count as an upper bound, then the exact scan skips them.
  const tight = new TextDepthCheck('{"a":"[[[[[[["}\n{"a":[[[[1]]]]}', 3);
  assert.equal(tight.exceeded(0, 15), -1);
  assert.equal(tight.exceeded(16, 32), '{"a":[[[['.indexOf('[[[') + 2);
});
