/**
 * Round trip: logs replayed by the RunEngine callback of examples/bus (Python, python3-redis),
 * then served (`nxlayout serve`): the same files as `write` of the same logs, identical in
 * h5dump. Every log of ../shared/realdata published with `nxlayout publish` and served is the
 * slow suite's (round-trip.slow.test.ts).
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { REALDATA } from '../integration/paths.js';
import { REPO, TestRedis, writeReference } from './helpers.js';
import { assertSameFiles, serveAll } from './round-trip-steps.js';

const redis = new TestRedis('round-trip');
after(() => redis.dispose());

test("the RunEngine callback of examples/bus (Python) publishes the same runs: files identical to write's", async () => {
  await redis.start();
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
  const found = await serveAll(redis, 'py', out, jobs);
  assert.deepEqual(
    found.map((r) => r.outcome),
    ['written', 'written', 'written'],
  );
  await writeReference(logs, ref);
  assertSameFiles(out, ref);
});
