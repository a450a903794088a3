/**
 * Limits on one document (issue 12 item 3): a line past --max-line-bytes or nesting past
 * --max-depth is one located DOC_LIMIT error; the documents beside it, the rest of the log and
 * every other run go on. In every decoder: jsonl (main thread and decoding threads), JSON
 * array, msgpack; plain and gzipped; and through `write`, `runs` and `watch` (in this process: main()).
 * `write` as a separate process, with its peak memory, of a 256 MiB line behind a gzip: limits.slow.test.ts.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encode } from '@msgpack/msgpack';
import {
  decodeDocumentStream,
  JsonArrayDecoder,
  JsonlDecodePool,
  JsonlDecoder,
  MsgpackDecoder,
  readDocumentLog,
  type LogItem,
} from '../../src/documents/index.js';
import { jsonDepthExceeded } from '../../src/documents/limits.js';
import { dumpNumbers } from '../integration/h5.js';
import { nxlayoutIn, runWatchIn } from '../cli/helpers.js';
import { jsonl, jsonlLine, smallRun, startUid } from '../watch/helpers.js';
import { chunked, collect, documents, problems } from './helpers.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-limits-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

const run = smallRun(1);
const good = run.map(jsonlLine);
const startLine = good[0];
const deep = (n: number): string =>
  '["start", {"uid": "deep", "time": 1, "x": ' + '['.repeat(n) + ']'.repeat(n) + '}]\n';

/** Pushes `text` in `size`-byte chunks; also returns the most bytes the decoder ever held. */
function pushAll(
  decoder: { push(c: Uint8Array): LogItem[]; end(): LogItem[]; pendingBytes: number },
  data: Uint8Array,
  size: number,
): { items: LogItem[]; maxPending: number } {
  const items: LogItem[] = [];
  let maxPending = 0;
  for (let i = 0; i < data.length; i += size) {
    items.push(...decoder.push(data.subarray(i, i + size)));
    maxPending = Math.max(maxPending, decoder.pendingBytes);
  }
  items.push(...decoder.end());
  return { items, maxPending };
}

describe('limits on one document', () => {
  test('jsonDepthExceeded: brackets in strings (with escaped quotes) do not count', () => {
    const text = new TextEncoder().encode('{"a": "[[[[\\"[[[[", "b": [[1]], "c": "\\\\"}');
    assert.equal(jsonDepthExceeded(text, 3), -1);
    assert.equal(jsonDepthExceeded(text, 2), Buffer.from(text).indexOf('[[1]]') + 1); // the second "[" of "b"
    const d = new TextEncoder().encode(deep(100_000));
    // "[" and "{" are levels 1 and 2: the 99th bracket of "x" is level 101.
    assert.equal(jsonDepthExceeded(d, 100), Buffer.from(d).indexOf('[[') + 98);
  });

  test('jsonl: a line past the byte limit is skipped while reading (never held), located; the lines around it are read', () => {
    const long = `["event", {"pad": "${'x'.repeat(100_000)}"}]\n`;
    const text = startLine + long + good.slice(1).join('');
    const { items, maxPending } = pushAll(
      new JsonlDecoder('big.jsonl', undefined, { maxLineBytes: 4096 }),
      new TextEncoder().encode(text),
      1000,
    );
    assert.ok(maxPending <= 4096 + 1000, `held at most the limit and a chunk (${maxPending})`);
    assert.equal(documents(items).length, run.length);
    const [p] = problems(items);
    assert.equal(p.code, 'DOC_LIMIT');
    assert.deepEqual(p.location, { file: 'big.jsonl', item: 2, line: 2, offset: Buffer.byteLength(startLine) });
    assert.match(p.message, /line 2 is too long \(100\d{3} bytes, more than the limit of 4096 bytes per document\)/);
    assert.match(p.hint ?? '', /--max-line-bytes/);
    // The next document keeps its place.
    assert.deepEqual(documents(items)[1].at, {
      log: 'big.jsonl',
      item: 3,
      line: 3,
      offset: Buffer.byteLength(startLine + long),
    });
  });

  test('jsonl: JSON nested 100,000 levels deep is one located error; the run beside it is read', async () => {
    const text = startLine + deep(100_000) + good.slice(1).join('');
    const items = await collect(decodeDocumentStream(chunked(text, 65536), 'deep.jsonl'));
    assert.equal(documents(items).length, run.length);
    const [p] = problems(items);
    assert.equal(p.code, 'DOC_LIMIT');
    assert.equal(p.location.line, 2);
    assert.equal(p.location.offset, Buffer.byteLength(startLine) + deep(100_000).indexOf('[[') + 98);
    assert.match(p.message, /more than 100 levels deep/);
    // Raised: 100,001 levels are allowed.
    const raised = await collect(
      decodeDocumentStream(chunked(startLine + deep(150), 65536), 'deep.jsonl', { limits: { maxDepth: 200 } }),
    );
    assert.deepEqual(
      problems(raised).filter((d) => d.code === 'DOC_LIMIT'),
      [],
    );
  });

  test('decoding threads: the same limits, the same locations as the main thread', async () => {
    const file = path.join(base, 'pool.jsonl');
    const long = `["event", {"pad": "${'y'.repeat(50_000)}"}]\n`;
    fs.writeFileSync(file, startLine + long + deep(1000) + good.slice(1).join(''));
    const limits = { maxLineBytes: 8192, maxDepth: 50 };
    const pool = new JsonlDecodePool({ threads: 2, partBytes: 1024, limits });
    const threaded: LogItem[] = [];
    try {
      for await (const batch of pool.readBatches(file)) threaded.push(...batch);
    } finally {
      await pool.close();
    }
    const main = await collect(readDocumentLog(file, { limits }));
    assert.deepEqual(
      problems(threaded).map((d) => [d.code, d.location]),
      problems(main).map((d) => [d.code, d.location]),
    );
    assert.deepEqual(
      problems(main).map((d) => [d.code, d.location.line, d.location.offset]),
      [
        ['DOC_LIMIT', 2, Buffer.byteLength(startLine)],
        ['DOC_LIMIT', 3, Buffer.byteLength(startLine + long) + deep(1000).indexOf('[[') + 48],
      ],
    );
    assert.equal(documents(main).length, run.length);
    // The threads pack events into pages: count the events they carry.
    const events = documents(threaded).reduce(
      (n, d) => n + (d.name === 'event_page' ? (d.doc.seq_num as number[]).length : d.name === 'event' ? 1 : 0),
      0,
    );
    assert.equal(events, 3);
  });

  test('JSON array: an element too long or too deep is skipped, located; the elements after it are read', () => {
    const pairs = run.map((d) => JSON.stringify([d.name, d.doc]));
    const long = `["event", {"pad": "${'z'.repeat(20_000)}"}]`;
    const tooDeep = deep(5000).trim();
    const text = `[${pairs[0]},\n${long},\n${tooDeep},\n${pairs.slice(1).join(',\n')}]`;
    const { items, maxPending } = pushAll(
      new JsonArrayDecoder('a.json', { maxLineBytes: 4096, maxDepth: 64 }),
      new TextEncoder().encode(text),
      512,
    );
    assert.ok(maxPending <= 4096 + 512, `${maxPending}`);
    assert.equal(documents(items).length, run.length);
    assert.deepEqual(
      problems(items).map((d) => [d.code, d.location.item, d.location.line, d.location.offset]),
      [
        ['DOC_LIMIT', 2, 2, text.indexOf(long)],
        ['DOC_LIMIT', 3, 3, text.indexOf(tooDeep)],
      ],
    );
  });

  test('msgpack: an item too long (a 1 MB bin) or too deep is skipped, located; the items after it are read', () => {
    const parts = run.map((d) => encode([d.name, d.doc]));
    let nested: unknown = 1;
    for (let i = 0; i < 200; i++) nested = [nested];
    const big = encode(['event', { blob: new Uint8Array(1_000_000) }]);
    const tooDeep = encode(['event', { x: nested }], { maxDepth: 1000 });
    const all = [parts[0], big, tooDeep, ...parts.slice(1)];
    const bytes = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
    let at = 0;
    const offsets: number[] = [];
    for (const p of all) {
      offsets.push(at);
      bytes.set(p, at);
      at += p.length;
    }
    const { items, maxPending } = pushAll(
      new MsgpackDecoder('m.msgpack', { maxLineBytes: 65536, maxDepth: 64 }),
      bytes,
      4096,
    );
    assert.ok(maxPending <= 65536 + 4096, `${maxPending}`);
    assert.equal(documents(items).length, run.length);
    assert.deepEqual(
      problems(items).map((d) => [d.code, d.location.item, d.location.offset]),
      [
        ['DOC_LIMIT', 2, offsets[1]],
        ['DOC_LIMIT', 3, offsets[2]],
      ],
    );
    assert.match(problems(items)[0].message, new RegExp(`item 2 is too long \\(${big.length} bytes`));
  });

  test("documents per run: past --max-documents a run's documents are skipped (the first one a located error), its stop and the other runs go on", async () => {
    const big = smallRun(61, { events: 10 });
    const small = smallRun(62, { events: 2 });
    const log = path.join(base, 'many.jsonl');
    fs.writeFileSync(log, jsonl(big) + jsonl(small));
    const out = path.join(base, 'out-many');
    const r = await nxlayoutIn(['write', log, '--out', out, '--max-documents', '5']);
    assert.equal(r.status, 0, r.stderr);
    // start, descriptor and 3 events make 5: the 4th event (line 6) is the first past the limit.
    const errors = r.stderr.split('\n').filter((l) => l.includes('DOC_LIMIT'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(
      errors[0],
      new RegExp(
        `many\\.jsonl:6.*DOC_LIMIT: run ${startUid(big)} has more than 5 documents .*this event and every later document of the run but its stop are skipped`,
      ),
    );
    assert.match(r.stderr, /2 of 2 runs written/);
    assert.deepEqual(
      dumpNumbers(path.join(out, `00061_${startUid(big).slice(0, 8)}.nxs`), '/entry/data/I0'),
      [100, 161, 222],
    );
    assert.deepEqual(
      dumpNumbers(path.join(out, `00062_${startUid(small).slice(0, 8)}.nxs`), '/entry/data/I0'),
      [100, 162],
    );
    const runs = await nxlayoutIn(['runs', log, '--json', '--max-documents', '5']);
    const listed = JSON.parse(runs.stdout) as { uid: string; num_events?: Record<string, number> }[];
    assert.equal(listed.length, 2);
    assert.match(runs.stderr, /DOC_LIMIT: run .* has more than 5 documents/);
  });

  test("watch --once: the daemon's log tails apply --max-line-bytes and --max-depth too", async () => {
    const spool = path.join(base, 'watch-spool');
    const out = path.join(base, 'watch-out');
    fs.mkdirSync(spool);
    fs.mkdirSync(out);
    const docs = smallRun(81);
    const lines = docs.map(jsonlLine);
    const long = `["event", {"pad": "${'w'.repeat(200_000)}"}]\n`;
    fs.writeFileSync(path.join(spool, 'run.jsonl'), lines[0] + long + deep(500) + lines.slice(1).join(''));
    const r = await runWatchIn([spool, '--out', out, '--once', '--max-line-bytes', '64k', '--max-depth', '50']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /run\.jsonl:2.*DOC_LIMIT: line 2 is too long \(200022 bytes, more than the limit of 65536/);
    assert.match(r.stderr, /run\.jsonl:3.*DOC_LIMIT: line 3 nests arrays and objects more than 50 levels deep/);
    assert.deepEqual(
      dumpNumbers(path.join(out, `00081_${startUid(docs).slice(0, 8)}.nxs`), '/entry/data/I0'),
      [100, 181, 262],
    );
  });
});
