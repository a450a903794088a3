import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readDocumentLog } from '../../src/documents/index.js';
import { collect, countByName, documents, problems } from './helpers.js';

const START = { uid: 'run-1', time: 1 };
const DESC = {
  uid: 'desc-1',
  run_start: 'run-1',
  time: 2,
  data_keys: { x: { dtype: 'number', shape: [], source: 'sim:x' } },
};
const event = (n: number) => ({
  uid: `ev-${n}`,
  descriptor: 'desc-1',
  seq_num: n,
  time: 2 + n,
  data: { x: n },
  timestamps: { x: 2 + n },
});
const STOP = { uid: 'stop-1', run_start: 'run-1', time: 9, exit_status: 'success' };
const line = (name: string, doc: unknown) => JSON.stringify([name, doc]) + '\n';
const GOOD =
  line('start', START) +
  line('descriptor', DESC) +
  line('event', event(1)) +
  line('event', event(2)) +
  line('stop', STOP);

describe('bad and unusual input', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nxl-docs-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function read(name: string, content: string | Uint8Array, validate = false) {
    const file = join(dir, name);
    await writeFile(file, content);
    return { file, items: await collect(readDocumentLog(file, { validate })) };
  }

  test('truncated last line: the documents before it, then one DOC_TRUNCATED', async () => {
    const cut = GOOD.slice(0, GOOD.length - 20);
    const { file, items } = await read('truncated.jsonl', cut);
    assert.deepEqual(countByName(items), { start: 1, descriptor: 1, event: 2 });
    const [p] = problems(items);
    assert.equal(problems(items).length, 1);
    assert.equal(p.code, 'DOC_TRUNCATED');
    assert.deepEqual(p.location, { file, item: 5, line: 5, offset: GOOD.lastIndexOf('["stop"') });
  });

  test('a complete last line without its newline is a document', async () => {
    const { items } = await read('no-final-newline.jsonl', GOOD.trimEnd());
    assert.deepEqual(problems(items), []);
    assert.equal(documents(items).length, 5);
  });

  test('a line of garbage in the middle: DOC_PARSE with its place, and reading continues', async () => {
    const lines = GOOD.split('\n');
    lines.splice(2, 0, '{"this is": not json ]');
    const text = lines.join('\n');
    const { file, items } = await read('garbage.jsonl', text);
    assert.deepEqual(countByName(items), { start: 1, descriptor: 1, event: 2, stop: 1 });
    const [p] = problems(items);
    assert.equal(p.code, 'DOC_PARSE');
    assert.deepEqual(p.location, { file, item: 3, line: 3, offset: Buffer.byteLength(lines[0] + lines[1]) + 2 });
    assert.equal(items[2].kind, 'problem');
    const after = documents(items)[2];
    assert.deepEqual([after.name, after.at.line], ['event', 4]);
  });

  test('an event missing its data: DOC_SCHEMA with a pointer, the document still yielded', async () => {
    const { data: _dropped, ...broken } = event(1);
    const { file, items } = await read(
      'missing.jsonl',
      line('start', START) + line('descriptor', DESC) + line('event', broken),
      true,
    );
    assert.equal(items.length, 4);
    const [p] = problems(items);
    assert.equal(p.code, 'DOC_SCHEMA');
    assert.deepEqual(p.location, {
      file,
      item: 3,
      line: 3,
      offset: GOOD.indexOf('["event"'),
      pointer: '',
      document: { name: 'event', uid: 'ev-1' },
    });
    assert.match(p.message, /event document.*"data"/);
    assert.equal(items[3].kind, 'document');
  });

  test('a wrong type deep inside: the pointer goes there', async () => {
    const desc = { ...DESC, data_keys: { x: { dtype: 'number', shape: ['3'], source: 'sim:x' } } };
    const { items } = await read('deep.jsonl', line('start', START) + line('descriptor', desc), true);
    const [p] = problems(items);
    assert.equal(p.location.pointer, '/data_keys/x/shape/0');
    assert.deepEqual(p.location.document, { name: 'descriptor', uid: 'desc-1' });
  });

  test('an item that is not [name, doc], or has an unknown name: DOC_SHAPE', async () => {
    const { items } = await read(
      'shape.jsonl',
      line('start', START) +
        '["start", {"uid": "x"}, 3]\n' +
        line('bulk_events', {}) +
        '{"name": "stop"}\n' +
        line('stop', STOP),
    );
    assert.deepEqual(
      problems(items).map((p) => [p.code, p.location.line]),
      [
        ['DOC_SHAPE', 2],
        ['DOC_SHAPE', 3],
        ['DOC_SHAPE', 4],
      ],
    );
    assert.deepEqual(countByName(items), { start: 1, stop: 1 });
  });

  test('empty file and whitespace-only file: DOC_EMPTY', async () => {
    for (const content of ['', ' \n\n']) {
      const { file, items } = await read('empty.jsonl', content);
      assert.deepEqual(
        items.map((i) => i.kind === 'problem' && [i.diagnostic.code, i.diagnostic.location.file]),
        [['DOC_EMPTY', file]],
      );
    }
    const { items } = await read('empty-array.json', '[ ]');
    assert.deepEqual(
      problems(items).map((p) => p.code),
      ['DOC_EMPTY'],
    );
  });

  test('random bytes: one DOC_FORMAT', async () => {
    // Fixed bytes (a PNG header and more), not Math.random, so the test cannot flake on a lucky first byte.
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761 + 0x89) % 256);
    bytes.set([0x89, 0x50, 0x4e, 0x47], 0);
    const { items } = await read('image.bin', bytes);
    assert.deepEqual(
      problems(items).map((p) => [p.code, p.location.offset]),
      [['DOC_FORMAT', 0]],
    );
    assert.match(problems(items)[0].message, /0x89/);
    assert.equal(items.length, 1);
  });

  test('an abort signal stops reading with an AbortError', async () => {
    const file = join(dir, 'long.jsonl');
    await writeFile(file, GOOD.repeat(20000));
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      async () => {
        for await (const item of readDocumentLog(file, { signal: controller.signal })) {
          if (item.kind === 'document' && ++seen === 10) controller.abort();
        }
      },
      { name: 'AbortError' },
    );
    assert.ok(seen >= 10 && seen < 100000, String(seen));
  });

  test('missing file: DOC_IO', async () => {
    const items = await collect(readDocumentLog(join(dir, 'nope.jsonl')));
    assert.deepEqual(
      problems(items).map((p) => p.code),
      ['DOC_IO'],
    );
  });

  test('gzipped jsonl is recognised by content, whatever its name', async () => {
    const { items } = await read('log.dat', gzipSync(GOOD));
    assert.deepEqual(problems(items), []);
    assert.deepEqual(countByName(items), { start: 1, descriptor: 1, event: 2, stop: 1 });
    assert.equal(documents(items)[4].at.offset, GOOD.lastIndexOf('["stop"'));
  });

  test('truncated gzip: documents before the cut, then DOC_TRUNCATED', async () => {
    const big = Array.from({ length: 200 }, (_, i) => line('event', event(i + 1))).join('');
    const gz = gzipSync(line('start', START) + line('descriptor', DESC) + big);
    const { items } = await read('cut.jsonl.gz', gz.subarray(0, gz.length - 40));
    const ps = problems(items);
    assert.deepEqual(
      ps.map((p) => p.code),
      ['DOC_TRUNCATED'],
    );
    assert.ok(documents(items).length > 150, String(documents(items).length));
  });

  test('JSON array of {name, doc} objects', async () => {
    const text = JSON.stringify(
      [
        { name: 'start', doc: START },
        { name: 'descriptor', doc: DESC },
        { name: 'event', doc: event(1) },
        { name: 'stop', doc: STOP },
      ],
      null,
      1,
    );
    const { items } = await read('objects.json', text);
    assert.deepEqual(problems(items), []);
    assert.deepEqual(
      documents(items).map((d) => [d.name, d.at.item, d.at.line]),
      [
        ['start', 1, 2],
        ['descriptor', 2, 9],
        ['event', 3, 24],
        ['stop', 4, 39],
      ],
    );
  });

  test('JSON array: a bad element is skipped, an unclosed array is truncated', async () => {
    const text = `[["start", ${JSON.stringify(START)}],\n ["event", {"uid": tru}],\n ["stop", ${JSON.stringify(STOP)}]`;
    const { items } = await read('bad-array.json', text);
    assert.deepEqual(
      items.map((i) => (i.kind === 'document' ? i.name : i.diagnostic.code)),
      ['start', 'DOC_PARSE', 'stop', 'DOC_TRUNCATED'],
    );
    assert.equal(problems(items)[0].location.line, 2);
  });

  test('jsonl of {"name", "doc"} objects', async () => {
    const text = [
      { name: 'start', doc: START },
      { name: 'stop', doc: STOP },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');
    const { items } = await read('objects.jsonl', text);
    assert.deepEqual(
      documents(items).map((d) => d.name),
      ['start', 'stop'],
    );
  });
});
