import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { createGzip } from 'node:zlib';
import { encode } from '@msgpack/msgpack';
import { LogTail } from '../../src/documents/index.js';
import { documents, problems } from './helpers.js';

const START = ['start', { uid: 'run-1', time: 1 }] as const;
const EVENT = [
  'event',
  { uid: 'ev-1', descriptor: 'd', seq_num: 1, time: 2, data: { x: 1 }, timestamps: { x: 2 } },
] as const;
const STOP = ['stop', { uid: 'stop-1', run_start: 'run-1', time: 3, exit_status: 'success' }] as const;
const line = (item: readonly unknown[]) => JSON.stringify(item) + '\n';
const names = (items: Awaited<ReturnType<LogTail['poll']>>) =>
  items.map((i) => (i.kind === 'document' ? i.name : i.diagnostic.code));

describe('LogTail', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nxl-tail-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('jsonl appended in pieces: half a line waits, the rest completes it', async () => {
    const file = join(dir, 'growing.jsonl');
    await writeFile(file, '');
    const tail = new LogTail(file);
    try {
      assert.deepEqual(await tail.poll(), []);
      const event = line(EVENT);
      await appendFile(file, line(START) + event.slice(0, 20));
      assert.deepEqual(names(await tail.poll()), ['start']);
      assert.deepEqual(await tail.poll(), []);
      await appendFile(file, event.slice(20) + line(STOP).slice(0, 5));
      const polled = await tail.poll();
      assert.deepEqual(names(polled), ['event']);
      assert.deepEqual(documents(polled)[0].at, { log: file, item: 2, line: 2, offset: line(START).length });
      await appendFile(file, line(STOP).slice(5));
      assert.deepEqual(names(await tail.poll()), ['stop']);
      assert.equal(tail.format, 'jsonl');
      assert.deepEqual(await tail.finish(), []);
    } finally {
      await tail.close();
    }
  });

  test('finish reports a still incomplete item as DOC_TRUNCATED', async () => {
    const file = join(dir, 'abandoned.jsonl');
    await writeFile(file, line(START) + line(EVENT).slice(0, 30));
    const tail = new LogTail(file);
    assert.deepEqual(names(await tail.poll()), ['start']);
    const last = await tail.finish();
    assert.deepEqual(names(last), ['DOC_TRUNCATED']);
    assert.deepEqual(problems(last)[0].location, { file, item: 2, line: 2, offset: line(START).length });
    assert.deepEqual(await tail.poll(), []);
  });

  test('msgpack appended a few bytes at a time', async () => {
    const file = join(dir, 'growing.msgpack');
    const bytes = Uint8Array.from([...encode(START), ...encode(EVENT), ...encode(STOP)]);
    await writeFile(file, new Uint8Array(0));
    const tail = new LogTail(file);
    const seen: string[] = [];
    for (let i = 0; i < bytes.length; i += 9) {
      await appendFile(file, bytes.subarray(i, i + 9));
      seen.push(...names(await tail.poll()));
    }
    assert.deepEqual(seen, ['start', 'event', 'stop']);
    assert.deepEqual(await tail.finish(), []);
  });

  test('gzipped jsonl written by a live gzip stream, polled as it grows', async () => {
    const file = join(dir, 'growing.jsonl.gz');
    await writeFile(file, new Uint8Array(0));
    const gz = createGzip();
    const compressed: Buffer[] = [];
    gz.on('data', (c: Buffer) => compressed.push(c));
    // Flush each piece so it reaches the file, as a writer that syncs would.
    const write = async (text: string) => {
      gz.write(text);
      await new Promise<void>((resolve) => gz.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      await appendFile(file, Buffer.concat(compressed.splice(0)));
    };
    const tail = new LogTail(file);
    try {
      const event = line(EVENT);
      await write(line(START) + event.slice(0, 25));
      assert.deepEqual(names(await tail.poll()), ['start']);
      await write(event.slice(25));
      assert.deepEqual(names(await tail.poll()), ['event']);
      await write(line(STOP));
      gz.end();
      await new Promise<void>((resolve) => gz.on('end', () => resolve()));
      await appendFile(file, Buffer.concat(compressed.splice(0)));
      assert.deepEqual(names(await tail.poll()), ['stop']);
      assert.deepEqual(await tail.finish(), []);
    } finally {
      await tail.close();
    }
  });

  test('a gzipped file cut mid-stream: complete items now, the rest at finish is truncated', async () => {
    const file = join(dir, 'cut.jsonl.gz');
    const gz = gzipSync(line(START) + line(EVENT) + line(STOP));
    await writeFile(file, gz.subarray(0, gz.length - 12));
    const tail = new LogTail(file);
    assert.deepEqual(names(await tail.poll()), ['start', 'event']);
    assert.deepEqual(names(await tail.finish()), ['DOC_TRUNCATED']);
  });

  test('a file that vanishes: DOC_IO', async () => {
    const tail = new LogTail(join(dir, 'missing.jsonl'));
    assert.deepEqual(names(await tail.poll()), ['DOC_IO']);
    await tail.close();
  });
});
