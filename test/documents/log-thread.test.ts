/**
 * LogThread: one log decoded on a worker thread from the moment it is made.
 * It gives what the reference reader gives (documents, problems, order; runs
 * of events as pages with typed number columns), in any format; it stays at
 * most `aheadBytes` ahead of its reader; it fails, aborts and closes cleanly.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LogThread } from '../../src/documents/log-thread.js';
import type { LogItem } from '../../src/documents/index.js';
import { assertEquivalent, flatten, reference } from './equivalence.js';
import { REALDATA } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-log-thread-'));
const threads: LogThread[] = [];
after(async () => {
  await Promise.all(threads.map((t) => t.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function thread(log: string, aheadBytes?: number): LogThread {
  const t = new LogThread(log, aheadBytes === undefined ? {} : { aheadBytes });
  threads.push(t);
  return t;
}

const START = 'f00d0000-0000-4000-8000-000000000001';
const DESCRIPTOR = 'f00d0000-0000-4000-8000-0000000000d1';
const EVENTS = 8000; // about 1.4 MB: more than one 1 MiB read of the thread
const BAD = 4000;

/** A run of EVENTS events (two numbers and a text each), one schema-invalid event and one line that is not JSON. */
function syntheticText(): string {
  const lines = [
    JSON.stringify(['start', { uid: START, time: 1, scan_id: 3 }]),
    JSON.stringify([
      'descriptor',
      {
        uid: DESCRIPTOR,
        run_start: START,
        time: 1.5,
        name: 'primary',
        data_keys: {
          x: { dtype: 'number', shape: [], source: 'sim' },
          n: { dtype: 'integer', shape: [], source: 'sim' },
          s: { dtype: 'string', shape: [], source: 'sim' },
        },
      },
    ]),
  ];
  for (let i = 1; i <= EVENTS; i++) {
    if (i === 700) lines.push('{"this is": not json');
    const event = {
      uid: `ev-${i}`,
      descriptor: DESCRIPTOR,
      seq_num: i,
      time: 2 + i / 8,
      data: { x: i * 0.25 - 7, n: i * 3, s: `état ${i}` },
      timestamps: { x: 2 + i / 8, n: 2 + i / 8, s: 2 + i / 8 },
    };
    lines.push(JSON.stringify(['event', i === BAD ? { ...event, seq_num: 'twelve hundred' } : event]));
  }
  lines.push(JSON.stringify(['stop', { uid: 'stop-1', run_start: START, time: 9999, exit_status: 'success' }]));
  return lines.join('\n') + '\n';
}

const SYNTHETIC = path.join(dir, 'synthetic.jsonl');
fs.writeFileSync(SYNTHETIC, syntheticText());
const GZIPPED = path.join(dir, 'synthetic.jsonl.gz');
fs.writeFileSync(GZIPPED, gzipSync(fs.readFileSync(SYNTHETIC)));

/** Real logs of other facilities: a jsonl (databroker-pack) and a JSON array (bluesky-tiled-plugins). */
const REAL = [
  path.join(REALDATA, 'databroker-pack/simple_catalog_jsonl_history/13799134-509d-4efb-a6a4-71ad932c5a36.jsonl'),
  path.join(REALDATA, 'bluesky-tiled-plugins/internal_events.json'),
];

describe('LogThread', () => {
  test('a jsonl log with a broken line and an invalid event: what the reference reader gives, events packed into typed pages', async () => {
    const items = await flatten(thread(SYNTHETIC).batches());
    const { packed } = assertEquivalent(items, await reference(SYNTHETIC), 'synthetic');
    assert.ok(packed >= 2, `events were packed into pages (${packed})`);
    const pages = items.flatMap((i) => (i.kind === 'document' && i.name === 'event_page' ? [i.doc] : []));
    assert.ok(pages.every((p) => p.seq_num instanceof Float64Array && p.data.x instanceof Float64Array));
    assert.ok(
      pages.every((p) => Array.isArray(p.data.s)),
      'text columns stay arrays',
    );
    const problemCodes = items.flatMap((i) => (i.kind === 'problem' ? [i.diagnostic.code] : []));
    assert.deepEqual(problemCodes, ['DOC_PARSE']);
    const bad = items.find((i) => i.kind === 'document' && i.name === 'event' && i.doc.uid === `ev-${BAD}`);
    assert.equal(bad?.kind === 'document' ? bad.validation?.[0]?.code : undefined, 'DOC_SCHEMA');
  });

  test('gzip, JSON arrays and real logs of other facilities: what the reference reader gives', async () => {
    for (const log of [GZIPPED, ...REAL]) {
      assertEquivalent(await flatten(thread(log).batches()), await reference(log), path.basename(log));
    }
  });

  test('a reader that takes nothing keeps the thread at most aheadBytes ahead; reading on gets every item', async () => {
    // Unheld, the whole log is decoded (every message posted, the last saying so) before anything is taken.
    const free = thread(SYNTHETIC);
    const started = Date.now();
    while (!free.done) await new Promise((r) => setTimeout(r, 10));
    const took = Date.now() - started;
    const posted = free.received;
    let batches = 0;
    for await (const _ of free.batches()) batches++;
    assert.ok(batches >= 2, `${batches} batches`);
    assert.equal(posted, batches + 1, 'every batch and the end were posted before the first was taken');
    // Held to 1 byte ahead: the first batch only, however long the reader waits (twice what decoding it all took).
    const held = thread(SYNTHETIC, 1);
    await new Promise((r) => setTimeout(r, 2 * took + 50));
    assert.equal(held.received, 1, `${held.received} message(s) posted before the first was taken`);
    const items = await flatten(held.batches());
    assertEquivalent(items, await reference(SYNTHETIC), 'held back');
    assert.equal(held.received, batches + 1);
  });

  test('a log that cannot be read: the DOC_IO problem the reference reader gives', async () => {
    const missing = path.join(dir, 'missing.jsonl');
    const items = await flatten(thread(missing).batches());
    assert.deepEqual(items, await reference(missing));
    assert.equal(items[0].kind === 'problem' ? items[0].diagnostic.code : undefined, 'DOC_IO');
  });

  test('an abort stops the reading with the signal’s AbortError; a thread is read once', async () => {
    const t = thread(SYNTHETIC, 1);
    const controller = new AbortController();
    const seen: LogItem[] = [];
    await assert.rejects(
      async () => {
        for await (const batch of t.batches(controller.signal)) {
          seen.push(...batch);
          controller.abort();
        }
      },
      { name: 'AbortError' },
    );
    assert.ok(seen.length > 0);
    await assert.rejects(flatten(t.batches()), { code: 'INTERNAL', message: /read once/ });
  });

  test('a thread nobody reads does not keep the process alive (a command that fails before reading still exits)', () => {
    const url = new URL('../../src/documents/log-thread.js', import.meta.url).href;
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { LogThread } = await import(${JSON.stringify(url)}); new LogThread(${JSON.stringify(SYNTHETIC)}); console.log('made');`,
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'made');
    assert.ok(Date.now() - started < 20_000);
  });
});
