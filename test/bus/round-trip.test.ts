/**
 * Round trip: every log of ../shared/realdata published (`nxlayout publish`),
 * then served (`nxlayout serve`): the same files as `write` of the same logs,
 * identical in h5dump; and logs replayed by the RunEngine callback of
 * examples/bus (Python, python3-redis) give the same files too.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REALDATA } from '../integration/paths.js';
import { nxlayoutIn } from '../cli/helpers.js';
import {
  dump,
  listFiles,
  REPO,
  results,
  served,
  spawnServe,
  stopServe,
  TestRedis,
  waitFor,
  writeReference,
} from './helpers.js';

const redis = new TestRedis('round-trip');
after(() => redis.dispose());

/** Serves `prefix` into `out` until `jobs` jobs are acknowledged; returns the results. */
async function serveAll(prefix: string, out: string, jobs: number): Promise<Record<string, string>[]> {
  const client = redis.client();
  try {
    const writer = spawnServe(redis.url, out, ['--prefix', prefix]);
    await served(writer);
    await waitFor(
      () => Number(redis.cli('XLEN', `${prefix}:results`)) >= jobs,
      `${jobs} jobs acknowledged`,
      240_000,
    ).catch((e: unknown) => {
      writer.child.kill('SIGKILL');
      throw new Error(`${(e as Error).message}\n${writer.output()}`);
    });
    assert.equal(await stopServe(writer), 0, writer.output());
    return await results(client, prefix);
  } finally {
    client.disconnect();
  }
}

function assertSameFiles(out: string, ref: string): void {
  const files = listFiles(out);
  assert.deepEqual(files, listFiles(ref), 'the same files as write');
  assert.ok(files.length > 0);
  for (const f of files) {
    const served = dump(path.join(out, f));
    assert.match(served, /nxlayout_provenance[\s\S]*run_uid/);
    assert.equal(served, dump(path.join(ref, f)), `${f}: h5dump differs from write's`);
  }
}

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
  const found = await serveAll('rt', out, summary.runs);
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

test("the RunEngine callback of examples/bus (Python) publishes the same runs: files identical to write's", async () => {
  const logs = [
    path.join(REALDATA, 'apstools', 'uid-3ab777ae.json'),
    path.join(
      REALDATA,
      'databroker-pack',
      'simple_catalog_jsonl_history',
      '1069c439-44ec-4978-b04c-f80319882d51.jsonl',
    ),
    path.join(REALDATA, 'bluesky-tiled-plugins', 'internal_events.json'),
  ];
  const py = spawnSync(
    '/usr/bin/python3',
    [path.join(REPO, 'examples', 'bus', 'redis_publisher.py'), '--redis', redis.url, '--prefix', 'py', ...logs],
    { cwd: REPO },
  );
  assert.equal(py.status, 0, py.stderr.toString());
  assert.match(py.stdout.toString(), /^\d+ documents published/);
  const jobs = Number(redis.cli('XLEN', 'py:runs'));
  assert.equal(jobs, 3);
  const out = path.join(redis.dir, 'py-out');
  const ref = path.join(redis.dir, 'py-ref');
  fs.mkdirSync(out);
  const found = await serveAll('py', out, jobs);
  assert.deepEqual(
    found.map((r) => r.outcome),
    ['written', 'written', 'written'],
  );
  await writeReference(logs, ref);
  assertSameFiles(out, ref);
});
