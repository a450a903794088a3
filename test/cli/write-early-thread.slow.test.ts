/**
 * `write` starts the first log's decoding thread before the templates and
 * h5wasm load when the log gets one thread (startLogThread), and the file it
 * writes so is the file a main-thread read writes (h5dump, values included).
 * Slow suite: a log over the 4 MiB threshold is written twice.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLogThread } from '../../src/cli/commands/write.js';
import { DECODE_THREADS_MIN_BYTES, defaultDecodeThreads } from '../../src/documents/jsonl-decode-pool.js';
import { assertColumn, rows, tool, withFile } from '../integration/h5.js';
import { nxlayoutIn } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-early-thread-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const START = 'ea11e000-0000-4000-8000-000000000001';
const DESCRIPTOR = 'ea11e000-0000-4000-8000-0000000000d1';
const FIELDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const reading = (i: number, k: number): number => Math.round(1e6 * Math.sin(i / (k + 3))) / 1e3 + k;

/** A run of events with 8 numbers each, past `bytes` in all. */
function bigLog(file: string, bytes: number): number {
  const dataKeys = Object.fromEntries(FIELDS.map((f) => [f, { dtype: 'number', shape: [], source: `sim:${f}` }]));
  const lines = [
    JSON.stringify(['start', { uid: START, time: 1, scan_id: 5, plan_name: 'scan' }]),
    JSON.stringify([
      'descriptor',
      { uid: DESCRIPTOR, run_start: START, time: 1.5, name: 'primary', data_keys: dataKeys },
    ]),
  ];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    n++;
    const t = 2 + n / 16;
    const line = JSON.stringify([
      'event',
      {
        uid: `ea11e000-${String(n).padStart(8, '0')}`,
        descriptor: DESCRIPTOR,
        seq_num: n,
        time: t,
        data: Object.fromEntries(FIELDS.map((f, k) => [f, reading(n, k)])),
        timestamps: Object.fromEntries(FIELDS.map((f) => [f, t])),
      },
    ]);
    lines.push(line);
    size += line.length + 1;
  }
  lines.push(JSON.stringify(['stop', { uid: 'ea11e000-stop', run_start: START, time: 9e9, exit_status: 'success' }]));
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return n;
}

const LOG = path.join(dir, 'big.jsonl');
const EVENTS = bigLog(LOG, DECODE_THREADS_MIN_BYTES + 256 * 1024);

test('startLogThread: a thread for the first log only when it gets one thread and reaches the threshold', async () => {
  const small = path.join(dir, 'small.jsonl');
  fs.writeFileSync(small, fs.readFileSync(LOG).subarray(0, 4096));
  const one = await startLogThread([LOG, small], 1);
  assert.ok(one !== undefined);
  assert.equal(one.log, LOG);
  await one.close();
  assert.equal(await startLogThread([LOG], 0), undefined, '--decode-threads 0');
  assert.equal(await startLogThread([LOG], 2), undefined, 'two threads read in parts, later');
  assert.equal(await startLogThread([small, LOG], 1), undefined, 'the first log is under the threshold');
  assert.equal(await startLogThread([dir], 1), undefined, 'a folder');
  const byDefault = await startLogThread([LOG], undefined);
  assert.equal(byDefault !== undefined, defaultDecodeThreads(fs.statSync(LOG).size) === 1);
  await byDefault?.close();
});

test('write --decode-threads 1 (early thread) and --decode-threads 0 write the same file', async () => {
  const files: string[] = [];
  for (const threads of ['1', '0']) {
    const out = path.join(dir, `out-${threads}`);
    const r = await nxlayoutIn(['write', LOG, '--out', out, '--decode-threads', threads, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const [run] = JSON.parse(r.stdout).runs as { file: string; events: number }[];
    assert.equal(run.events, EVENTS);
    files.push(run.file);
  }
  withFile(files[0], (f) => {
    for (const [k, field] of FIELDS.entries()) {
      const expected = Array.from({ length: EVENTS }, (_, i) => reading(i + 1, k));
      assertColumn(rows(f, `/entry/instrument/bluesky/streams/primary/${field}/value`), expected, field);
    }
  });
  const dump = (file: string) => tool('h5dump', [file]).split('\n').slice(1).join('\n');
  assert.equal(dump(files[0]), dump(files[1]));
});
