/**
 * Round trip (slow suite: ~30 s of CPU): every log of ../shared/realdata published
 * (`nxlayout publish`), then served (`nxlayout serve`): the same files as `write` of the same
 * logs, identical in h5dump.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nxlayoutIn } from '../cli/helpers.js';
import { REALDATA } from '../integration/paths.js';
import { listFiles, TestRedis, writeReference } from './helpers.js';
import { assertSameFiles, serveAll } from './round-trip-steps.js';

const redis = new TestRedis('round-trip-realdata');
after(() => redis.dispose());

test("every realdata log published, then served: files identical (h5dump) to write's", async () => {
  await redis.start();
  const out = path.join(redis.dir, 'out');
  const ref = path.join(redis.dir, 'ref');
  fs.mkdirSync(out);
  const published = await nxlayoutIn(['publish', REALDATA, '--redis', redis.url, '--prefix', 'rt', '--json']);
  const summary = JSON.parse(published.stdout.trim().split('\n').pop()!) as {
    runs: number;
    documents: number;
  };
  assert.ok(summary.runs >= 20, `runs published: ${summary.runs}`);
  const found = await serveAll(redis, 'rt', out, summary.runs);
  await writeReference([REALDATA], ref);
  assertSameFiles(out, ref);
  // Each file written once; the runs a log replays (the same uid started again) find their file in place.
  const written = found.filter((r) => r.outcome === 'written');
  assert.equal(written.length, listFiles(out).length);
  assert.equal(new Set(written.map((r) => r.uid)).size, written.length);
  for (const r of found.filter((x) => x.outcome !== 'written')) {
    assert.equal(r.outcome, 'exists', JSON.stringify(r));
    assert.ok(
      written.some((w) => w.uid === r.uid && w.file === r.file),
      `a replayed run names the file already written: ${JSON.stringify(r)}`,
    );
  }
});
