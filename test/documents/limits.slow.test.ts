/**
 * The issue's own case (issue 12 item 3), at full size: a 4 GiB line behind a ~4 MB gzip,
 * between two good runs. `write` must write both runs with the long line as one located
 * error, in bounded memory. Slow suite (npm run test:slow): about a minute. Also a 256 MiB line and a
 * 100,000-deep line through `write` with its peak RSS (the process of its own limits.test.ts does not start).
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { dumpNumbers } from '../integration/h5.js';
import { jsonl, smallRun, startUid } from '../watch/helpers.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-limits-slow-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));
const deep = (n: number): string =>
  '["start", {"uid": "deep", "time": 1, "x": ' + '['.repeat(n) + ']'.repeat(n) + '}]\n';

test('write: a 4 GiB line behind a ~4 MB gzip between two runs: both runs written, one located DOC_LIMIT, bounded memory', async () => {
  const runA = smallRun(71);
  const runB = smallRun(72);
  const gz = path.join(base, 'huge-line.jsonl.gz');
  const GiB = 1 << 30;
  async function* content(): AsyncGenerator<Buffer> {
    yield Buffer.from(jsonl(runA));
    yield Buffer.from('["event", {"pad": "');
    const block = Buffer.alloc(1 << 24, 'a');
    for (let i = 0; i < (4 * GiB) / block.length; i++) yield block;
    yield Buffer.from('"}]\n');
    yield Buffer.from(jsonl(runB));
  }
  await pipeline(content, createGzip({ level: 9 }), fs.createWriteStream(gz));
  const gzBytes = fs.statSync(gz).size;
  const out = path.join(base, 'out');
  const t0 = Date.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, BIN, 'write', gz, '--out', out], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = (Date.now() - t0) / 1000;
  assert.equal(r.status, 0, r.stderr);
  const line = runA.length + 1;
  assert.match(
    r.stderr,
    new RegExp(
      `huge-line\\.jsonl\\.gz:${line}.*DOC_LIMIT: line ${line} is too long \\(${4 * GiB + 22} bytes, more than the limit of 67108864`,
    ),
  );
  assert.match(r.stderr, /2 of 2 runs written/);
  for (const [docs, n] of [
    [runA, 71],
    [runB, 72],
  ] as const) {
    assert.deepEqual(dumpNumbers(path.join(out, `000${n}_${startUid(docs).slice(0, 8)}.nxs`), '/entry/data/I0'), [
      100,
      100 + n,
      100 + 2 * n,
    ]);
  }
  const rssMb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1]) / 1024;
  console.log(
    `4 GiB line behind a ${(gzBytes / 1e6).toFixed(1)} MB gzip: write took ${seconds.toFixed(1)} s, peak RSS ${rssMb.toFixed(0)} MB`,
  );
  assert.ok(rssMb < 400, `peak RSS ${rssMb} MB`);
});

// From limits.test.ts (npm test): the same through `write` as a process of its own, with its peak memory.
test('write: a 256 MiB line behind a 256 KB gzip and a 100,000-deep line beside two good runs: both runs written, two located errors', async () => {
  const runA = smallRun(31);
  const runB = smallRun(32);
  const gz = path.join(base, 'hostile.jsonl.gz');
  async function* content(): AsyncGenerator<string> {
    yield jsonl(runA);
    yield '["event", {"pad": "';
    const block = 'a'.repeat(1 << 20);
    for (let i = 0; i < 256; i++) yield block;
    yield '"}]\n';
    yield deep(100_000);
    yield jsonl(runB);
  }
  await pipeline(content, createGzip(), fs.createWriteStream(gz));
  assert.ok(fs.statSync(gz).size < 2_000_000);
  const out = path.join(base, 'out-hostile');
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'maxrss_kb=%M', process.execPath, BIN, 'write', gz, '--out', out, '--max-line-bytes', '16M', '--verbose'],
    { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
  );
  assert.equal(r.status, 0, r.stderr); // bad documents are reported; every run was written
  const lineA = runA.length + 1;
  assert.match(
    r.stderr,
    new RegExp(
      `hostile\\.jsonl\\.gz:${lineA}.*DOC_LIMIT: line ${lineA} is too long \\(268435\\d{3} bytes, more than the limit of 16777216`,
    ),
  );
  assert.match(
    r.stderr,
    new RegExp(
      `hostile\\.jsonl\\.gz:${lineA + 1}.*DOC_LIMIT: line ${lineA + 1} nests arrays and objects more than 100 levels deep`,
    ),
  );
  assert.match(r.stderr, /2 of 2 runs written/);
  for (const [docs, n] of [
    [runA, 31],
    [runB, 32],
  ] as const) {
    assert.deepEqual(dumpNumbers(path.join(out, `000${n}_${startUid(docs).slice(0, 8)}.nxs`), '/entry/data/I0'), [
      100,
      100 + n,
      100 + 2 * n,
    ]);
  }
  const rss = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1]);
  console.log(
    `write of a 256 MiB line behind a ${fs.statSync(gz).size}-byte gzip: peak RSS ${Math.round(rss / 1024)} MB`,
  );
  assert.ok(rss < 200 * 1024, `peak RSS ${rss} KB: the long line was not held`);
});
