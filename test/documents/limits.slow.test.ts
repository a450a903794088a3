/**
 * The issue's own case (issue 12 item 3), at full size: a 4 GiB line behind a ~4 MB gzip,
 * between two good runs. `write` must write both runs with the long line as one located
 * error, in bounded memory. Slow suite (npm run test:slow): about a minute.
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
