/**
 * Python's json writes NaN / Infinity / -Infinity as bare tokens: every
 * decoder (jsonl, JSON array, the decoding threads) reads them as numbers,
 * never as a parse error, and never changes such text inside a string.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeDocumentStream, JsonlDecodePool } from '../../src/documents/index.js';
import { parseJsonText } from '../../src/documents/json-text.js';
import type { LogItem } from '../../src/documents/index.js';
import { chunked, collect, documents, problems } from './helpers.js';

describe('parseJsonText', () => {
  test("plain JSON is JSON.parse's result", () => {
    assert.deepEqual(parseJsonText('{"a": [1, 2.5, "x"], "b": null}'), { a: [1, 2.5, 'x'], b: null });
  });

  test('NaN, Infinity and -Infinity tokens become the numbers', () => {
    const v = parseJsonText(
      '["event", {"data": {"a": NaN, "b": Infinity, "c": -Infinity, "d": [1, NaN, -Infinity]}}]',
    ) as [string, { data: Record<string, unknown> }];
    assert.ok(Number.isNaN(v[1].data.a));
    assert.equal(v[1].data.b, Infinity);
    assert.equal(v[1].data.c, -Infinity);
    const d = v[1].data.d as number[];
    assert.equal(d[0], 1);
    assert.ok(Number.isNaN(d[1]));
    assert.equal(d[2], -Infinity);
  });

  test('the tokens inside strings stay text, escapes and all', () => {
    const v = parseJsonText(
      '{"x": NaN, "s": "NaN and Infinity \\"NaN\\" -Infinity", "t": "\\\\", "u": "\\u0000nxl-nan:NaN"}',
    ) as Record<string, unknown>;
    assert.ok(Number.isNaN(v.x));
    assert.equal(v.s, 'NaN and Infinity "NaN" -Infinity');
    assert.equal(v.t, '\\');
    assert.equal(v.u, '\u0000nxl-nan:NaN', 'a string that looks like the internal placeholder is kept as text');
  });

  test("not JSON even so: JSON.parse's own error; words that only contain a token are not tokens", () => {
    assert.throws(() => parseJsonText('{"x": NaNa}'), SyntaxError);
    assert.throws(() => parseJsonText('{"x": Infinityy}'), SyntaxError);
    assert.throws(() => parseJsonText('{"x": NaN'), SyntaxError);
    assert.throws(() => parseJsonText('{"x": nan}'), SyntaxError);
  });
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-json-text-'));
const pool = new JsonlDecodePool({ threads: 2, partBytes: 64 });
after(async () => {
  await pool.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const START = { uid: 's-1', time: 1 };
const DESCRIPTOR = {
  uid: 'd-1',
  run_start: 's-1',
  time: 1,
  data_keys: { det: { dtype: 'number', shape: [], source: 'PV:det' } },
};
const event = (seq: number, det: string) =>
  `["event", {"uid": "e-${seq}", "descriptor": "d-1", "seq_num": ${seq}, "time": ${seq}, "data": {"det": ${det}}, "timestamps": {"det": ${seq}}}]`;
const LINES = [
  JSON.stringify(['start', START]),
  JSON.stringify(['descriptor', DESCRIPTOR]),
  event(1, 'NaN'),
  event(2, 'Infinity'),
  event(3, '-Infinity'),
  event(4, '"NaN"'),
  event(5, '2.5'),
];

function detReadings(items: LogItem[]): unknown[] {
  return documents(items).flatMap((d) => {
    if (d.name === 'event') return [(d.doc.data as Record<string, unknown>).det];
    if (d.name === 'event_page') return (d.doc.data as Record<string, unknown[]>).det;
    return [];
  });
}

function checkReadings(items: LogItem[]): void {
  assert.deepEqual(problems(items), [], 'no DOC_PARSE');
  const det = detReadings(items);
  assert.equal(det.length, 5);
  assert.ok(Number.isNaN(det[0]));
  assert.deepEqual(det.slice(1), [Infinity, -Infinity, 'NaN', 2.5]);
}

describe('every decoder reads the tokens', () => {
  test('jsonl (main thread)', async () => {
    checkReadings(await collect(decodeDocumentStream(chunked(LINES.join('\n') + '\n', 13), 'nan.jsonl')));
  });

  test('a JSON array of [name, doc] pairs', async () => {
    checkReadings(await collect(decodeDocumentStream(chunked(`[\n${LINES.join(',\n')}\n]\n`, 11), 'nan.json')));
  });

  test('jsonl on the decoding threads (parts of 64 bytes, two workers)', async () => {
    const log = path.join(dir, 'nan.jsonl');
    fs.writeFileSync(log, LINES.join('\n') + '\n');
    const items: LogItem[] = [];
    for await (const batch of pool.readBatches(log)) items.push(...batch);
    checkReadings(items);
  });
});
