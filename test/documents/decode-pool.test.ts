/**
 * JsonlDecodePool against the reference reader (readDocumentLogBatches): the
 * same documents and problems in the same order, wherever the parts are cut,
 * on one thread or two; plus its fallbacks, aborts and restarts.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { JsonlDecodePool, validateDocument } from '../../src/documents/index.js';
import type { LogItem } from '../../src/documents/index.js';
import { assertEquivalent, flatten, reference, type DocItem } from './equivalence.js';
import { REALDATA } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-decode-pool-'));
const pools: JsonlDecodePool[] = [];
after(async () => {
  // Closing lets the process exit: a worker left running would keep this test file from ever finishing.
  await Promise.all(pools.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function newPool(threads: number, partBytes?: number): JsonlDecodePool {
  const pool = new JsonlDecodePool(partBytes === undefined ? { threads } : { threads, partBytes });
  pools.push(pool);
  return pool;
}

// ---------------------------------------------------------------- logs

const REAL_JSONL = fs
  .readdirSync(path.join(REALDATA, 'databroker-pack/simple_catalog_jsonl_history'))
  .filter((n) => n.endsWith('.jsonl'))
  .sort()
  .map((n) => path.join(REALDATA, 'databroker-pack/simple_catalog_jsonl_history', n));

const START_UID = 'c0ffee00-0000-4000-8000-000000000001';
const DESC_UID = 'c0ffee00-0000-4000-8000-0000000000d1';
const EVENTS = 300;
const BAD_SEQ = 150;
const T0 = 1_700_000_000;

const pair = (name: string, doc: unknown): string => JSON.stringify([name, doc]);

function eventDoc(i: number): Record<string, unknown> {
  const t = T0 + 1 + i * 0.125;
  return {
    uid: `e-${String(i).padStart(5, '0')}`,
    descriptor: DESC_UID,
    seq_num: i,
    time: t,
    data: { x: -2.5 + i * 0.01, y: Math.round(1e6 * Math.sin(i)) / 1e6, label: `Å${i} µm 温度`, n: i * 3 },
    timestamps: { x: t - 0.001, y: t - 0.002, label: t - 0.003, n: t - 0.004 },
  };
}

/** The lines of a jsonl log with what a real log can hold besides documents; the last line has no newline. */
function syntheticLines(): string[] {
  const lines = [
    pair('start', {
      uid: START_UID,
      time: T0,
      scan_id: 7,
      plan_name: 'scan',
      sample: 'Å µm 温度 — “quoted”',
      detectors: ['y'],
      motors: ['x'],
    }),
    '',
    '   \t',
    pair('descriptor', {
      uid: DESC_UID,
      run_start: START_UID,
      time: T0 + 0.5,
      name: 'primary',
      data_keys: {
        x: { dtype: 'number', shape: [], source: 'PV:X', units: 'µm' },
        y: { dtype: 'number', shape: [], source: 'PV:Y' },
        label: { dtype: 'string', shape: [], source: 'PV:L' },
        n: { dtype: 'integer', shape: [], source: 'PV:N' },
      },
    }),
  ];
  for (let i = 1; i <= EVENTS; i++) {
    if (i === BAD_SEQ) {
      // Schema-invalid: seq_num must be an integer.
      lines.push(pair('event', { ...eventDoc(i), seq_num: `#${i}` }));
      continue;
    }
    // The other encoding of an item, now and then.
    lines.push(i % 97 === 0 ? JSON.stringify({ name: 'event', doc: eventDoc(i) }) : pair('event', eventDoc(i)));
    if (i === 40) lines.push('');
    if (i === 41) lines.push('  \r');
    if (i === 100) lines.push('this line is not JSON {"a": 1');
    if (i === 200) lines.push(pair('no-such-document', {}));
    if (i === 230) lines.push(`${pair('event', eventDoc(100_000))}\r`); // a CRLF line, and an event that breaks the seq order
  }
  lines.push(
    '',
    pair('stop', {
      uid: 'c0ffee00-0000-4000-8000-0000000000f1',
      run_start: START_UID,
      time: T0 + 100,
      exit_status: 'success',
      reason: 'fin ✓',
      num_events: { primary: EVENTS },
    }),
  );
  return lines;
}

function writeLog(name: string, text: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const SYNTHETIC = writeLog('synthetic.jsonl', syntheticLines().join('\n'));

// ---------------------------------------------------------------- tests

const SETTINGS = [64, 200, 4096].flatMap((partBytes) => [1, 2].map((threads) => ({ partBytes, threads })));
const poolsBySetting = new Map(SETTINGS.map((s) => [`${s.threads}/${s.partBytes}`, newPool(s.threads, s.partBytes)]));
const poolOf = (s: { threads: number; partBytes: number }): JsonlDecodePool =>
  poolsBySetting.get(`${s.threads}/${s.partBytes}`)!;

describe('the pool reads what the reference reader reads: real jsonl logs', () => {
  test('there are real jsonl logs to read', () => assert.equal(REAL_JSONL.length, 3));
  for (const log of REAL_JSONL) {
    for (const s of SETTINGS) {
      test(`${path.basename(log)}, ${s.threads} thread(s), parts of ${s.partBytes} bytes`, async () => {
        const ref = await reference(log);
        assert.ok(ref.length >= 4);
        assertEquivalent(await flatten(poolOf(s).readBatches(log)), ref, path.basename(log));
      });
    }
  }
});

describe('the pool reads what the reference reader reads: a synthetic log with blank, broken and invalid lines', () => {
  test('the reference reads the synthetic log as planned (the comparisons below rest on it)', async () => {
    const ref = await reference(SYNTHETIC);
    const codes = ref.flatMap((i) => (i.kind === 'problem' ? [i.diagnostic.code] : []));
    assert.deepEqual(codes, ['DOC_PARSE', 'DOC_SHAPE']);
    const docs = ref.filter((i): i is DocItem => i.kind === 'document');
    assert.equal(docs.length, 1 + 1 + EVENTS + 1 + 1);
    assert.equal(docs[docs.length - 1].name, 'stop');
    const invalid = docs.filter((d) => validateDocument(d, d.at).length > 0);
    assert.equal(invalid.length, 1);
    assert.equal(invalid[0].name === 'event' && invalid[0].doc.uid, `e-00${BAD_SEQ}`);
    assert.ok(!fs.readFileSync(SYNTHETIC, 'utf8').endsWith('\n'));
  });

  for (const s of SETTINGS) {
    test(`${s.threads} thread(s), parts of ${s.partBytes} bytes`, async () => {
      const ref = await reference(SYNTHETIC);
      const pool = await flatten(poolOf(s).readBatches(SYNTHETIC));
      const { packed } = assertEquivalent(pool, ref, 'synthetic');
      if (s.partBytes === 4096) assert.ok(packed >= 10, `runs of events are packed into pages (${packed})`);
      // The invalid event comes as an event, carrying its schema problem.
      const bad = pool.find((i) => i.kind === 'document' && i.name === 'event' && i.doc.uid === `e-00${BAD_SEQ}`);
      assert.ok(bad?.kind === 'document');
      assert.equal(bad.validation?.[0]?.code, 'DOC_SCHEMA');
      assert.equal(bad.validation?.[0]?.location.line, 4 + BAD_SEQ + 3, 'after 4 head lines and 3 extra lines');
    });
  }

  test('default parts (the whole log is one part): events packed into pages that stop at the problems and the invalid event', async () => {
    // The whole log is one part: one thread reads it, however many the pool has.
    const pool = await flatten(newPool(1).readBatches(SYNTHETIC));
    assertEquivalent(pool, await reference(SYNTHETIC), 'synthetic, default parts');
    const pages = pool.flatMap((i) => (i.kind === 'document' && i.name === 'event_page' ? [i.doc.seq_num.length] : []));
    // Cut by the DOC_PARSE line (after event 100), the invalid event (150) and the DOC_SHAPE line (after 200);
    // blank lines cut nothing, and the CRLF event (same descriptor and keys) joins the last page.
    assert.deepEqual(pages, [100, 49, 50, 101]);
    // The pages' number columns arrive typed (moved between threads, kept typed for the run's columns); text stays text.
    const page = pool.find((i) => i.kind === 'document' && i.name === 'event_page');
    assert.ok(page?.kind === 'document' && page.name === 'event_page');
    assert.ok(page.doc.seq_num instanceof Float64Array && page.doc.time instanceof Float64Array);
    const { x, y, n, label } = page.doc.data;
    assert.ok(x instanceof Float64Array && y instanceof Float64Array && n instanceof Float64Array);
    assert.ok(Array.isArray(label) && label.every((l) => typeof l === 'string'));
    assert.ok(Object.values(page.doc.timestamps).every((c) => c instanceof Float64Array));
  });
});

describe('invalid event_pages in a jsonl log pass through the pool as read, with their schema problems', () => {
  const pool = poolOf({ threads: 1, partBytes: 4096 });
  const start = pair('start', { uid: START_UID, time: T0 });
  const cases: [string, Record<string, unknown>][] = [
    ['no seq_num', { uid: ['a'], descriptor: DESC_UID, time: [1], data: {}, timestamps: {} }],
    [
      'a number where a data column should be',
      { uid: ['a'], descriptor: DESC_UID, seq_num: [1], time: [1], data: { x: 5 }, timestamps: {} },
    ],
  ];
  for (const [what, page] of cases) {
    // A page is moved between threads with its number columns as Float64Arrays: what is missing or not an array must stay as read.
    test(`${what}`, async () => {
      const log = writeLog(`page-${what.replace(/\W+/g, '-')}.jsonl`, `${start}\n${pair('event_page', page)}\n`);
      const ref = await reference(log);
      assert.ok(
        ref[1].kind === 'document' && validateDocument(ref[1], ref[1].at).length > 0,
        'the page is schema-invalid',
      );
      assertEquivalent(await flatten(pool.readBatches(log)), ref, what);
    });
  }
});

describe('cut-short and non-jsonl logs', () => {
  const pool = poolOf({ threads: 2, partBytes: 200 });

  test("a last line cut short gives the reference reader's DOC_TRUNCATED problem", async () => {
    const text = fs.readFileSync(SYNTHETIC, 'utf8');
    const log = writeLog('cut.jsonl', text.slice(0, text.lastIndexOf('\n') + 40));
    const ref = await reference(log);
    const last = ref[ref.length - 1];
    assert.ok(last.kind === 'problem' && last.diagnostic.code === 'DOC_TRUNCATED');
    const items = await flatten(pool.readBatches(log));
    assertEquivalent(items, ref, 'cut');
    assert.deepEqual(items[items.length - 1], last);
  });

  test('a gzipped log is read by the reference reader: the very same items, no validation', async () => {
    const log = writeLog('synthetic.jsonl.gz', gzipSync(fs.readFileSync(SYNTHETIC)));
    const items = await flatten(pool.readBatches(log));
    assert.deepEqual(items, await reference(log));
    assert.equal(items.filter((i) => i.kind === 'document').length, EVENTS + 4);
    assert.ok(items.every((i) => i.kind === 'problem' || !('validation' in i)));
    assert.ok(items.every((i) => i.kind === 'problem' || i.name !== 'event_page'));
  });

  test('a JSON array log is read by the reference reader: the very same items, no validation', async () => {
    const docs = syntheticLines().filter((l) => l.startsWith('["'));
    const log = writeLog('synthetic.json', `[\n${docs.join(',\n')}\n]\n`);
    const items = await flatten(pool.readBatches(log));
    assert.deepEqual(items, await reference(log));
    assert.equal(items.filter((i) => i.kind === 'document').length, docs.length - 1);
    assert.ok(items.every((i) => i.kind === 'problem' || !('validation' in i)));
  });

  test('a real JSON array log (apstools) is read by the reference reader', async () => {
    const log = path.join(REALDATA, 'apstools/uid-34c84a1b.json');
    const items = await flatten(pool.readBatches(log));
    assert.deepEqual(items, await reference(log));
    assert.deepEqual(
      items.map((i) => (i.kind === 'document' ? i.name : i.diagnostic.code)),
      ['start', 'descriptor', 'event', 'event', 'event', 'stop'],
    );
  });

  test("a missing path gives the reference reader's DOC_IO problem", async () => {
    const log = path.join(dir, 'no-such-dir', 'missing.jsonl');
    const items = await flatten(pool.readBatches(log));
    const ref = await reference(log);
    assert.equal(items.length, 1);
    assert.ok(items[0].kind === 'problem' && items[0].diagnostic.code === 'DOC_IO');
    assert.deepEqual(items, ref);
  });

  test("a directory gives the reference reader's DOC_IO problem", async () => {
    const items = await flatten(pool.readBatches(dir));
    assert.ok(items.length === 1 && items[0].kind === 'problem' && items[0].diagnostic.code === 'DOC_IO');
    assert.deepEqual(items, await reference(dir));
  });
});

// The tests below reuse the pools the comparisons above used (each worker thread costs its start-up):
// a pool a test leaves unusable fails the tests after it.
describe('stopping and reusing a pool', () => {
  test('an abort mid-log throws an AbortError; the same pool then reads the whole log again', async () => {
    const pool = poolOf({ threads: 2, partBytes: 200 });
    const controller = new AbortController();
    let batches = 0;
    await assert.rejects(
      async () => {
        for await (const batch of pool.readBatches(SYNTHETIC, { signal: controller.signal })) {
          assert.ok(batch.length > 0);
          batches++;
          if (batches === 3) controller.abort();
        }
      },
      { name: 'AbortError' },
    );
    assert.equal(batches, 3, 'no batch after the abort');
    assertEquivalent(await flatten(pool.readBatches(SYNTHETIC)), await reference(SYNTHETIC), 'after abort');
  });

  test('an already aborted signal throws before any batch', async () => {
    const pool = poolOf({ threads: 1, partBytes: 4096 });
    let batches = 0;
    await assert.rejects(
      async () => {
        for await (const _ of pool.readBatches(SYNTHETIC, { signal: AbortSignal.abort() })) batches++;
      },
      { name: 'AbortError' },
    );
    assert.equal(batches, 0);
  });

  test('a reader that stops early leaves the pool ready for the next log', async () => {
    const pool = poolOf({ threads: 2, partBytes: 64 });
    for await (const batch of pool.readBatches(SYNTHETIC)) {
      assert.ok(batch.length > 0);
      break;
    }
    const log = REAL_JSONL[0];
    assertEquivalent(await flatten(pool.readBatches(log)), await reference(log), 'after break');
  });

  test('one log at a time: a second read while the first is under way is refused, the first goes on', async () => {
    const pool = poolOf({ threads: 2, partBytes: 200 });
    const first = pool.readBatches(SYNTHETIC);
    const head = await first.next();
    assert.equal(head.done, false);
    await assert.rejects(pool.readBatches(REAL_JSONL[0]).next(), { code: 'INTERNAL', message: /one log at a time/ });
    const rest = await flatten({ [Symbol.asyncIterator]: () => first });
    assertEquivalent([...(head.value as LogItem[]), ...rest], await reference(SYNTHETIC), 'first read');
  });

  test('close() stops the workers and a later read starts new ones', async () => {
    const pool = poolOf({ threads: 2, partBytes: 4096 });
    const log = REAL_JSONL[1];
    const ref = await reference(log);
    assertEquivalent(await flatten(pool.readBatches(log)), ref, 'before close');
    await pool.close();
    assertEquivalent(await flatten(pool.readBatches(log)), ref, 'after close');
  });
});
