/**
 * Live: runs published event by event (a RunEngine's pace: 20 ms between
 * documents) reach the disk within 200 ms of their stop entry, measured from
 * the stop's XADD reply to the file in place (polled every 2 ms), with a
 * writer process already serving (and warmed up by a first run, not timed). The figures are printed.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listFiles, publishDocs, served, sleep, smallRun, spawnServe, stopServe, TestRedis } from './helpers.js';

const RUNS = 10;
const LIMIT_MS = 200;
const redis = new TestRedis('live');
after(() => redis.dispose());

test(`live: each of ${RUNS} runs published event by event is on disk within ${LIMIT_MS} ms of its stop entry`, async (t) => {
  await redis.start();
  const client = redis.client();
  const out = path.join(redis.dir, 'out');
  fs.mkdirSync(out);
  const writer = spawnServe(redis.url, out, ['--log-format', 'json']);
  try {
    await served(writer);
    // A first run warms the writer up (h5wasm's first file); it is not timed.
    await publishDocs(client, smallRun(1000, { events: 15 }));
    const t0 = performance.now();
    while (listFiles(out).filter((f) => f.endsWith('.nxs')).length === 0) {
      if (performance.now() - t0 > 60_000) throw new Error(`the warm-up run is not written:\n${writer.output()}`);
      await sleep(20);
    }
    const latencies: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const docs = smallRun(i + 1, { events: 15 });
      for (const d of docs.slice(0, -1)) {
        await publishDocs(client, [d]);
        await sleep(20);
      }
      const before = listFiles(out).filter((f) => f.endsWith('.nxs')).length;
      await publishDocs(client, docs.slice(-1));
      const t0 = performance.now();
      while (listFiles(out).filter((f) => f.endsWith('.nxs')).length === before) {
        if (performance.now() - t0 > 10_000)
          throw new Error(`run ${i + 1} not written 10 s after its stop:\n${writer.output()}`);
        await sleep(2);
      }
      latencies.push(Math.round(performance.now() - t0));
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const logged = [...writer.output().matchAll(/"stop_to_file_ms":(\d+)/g)].map((m) => Number(m[1])).slice(1);
    t.diagnostic(
      `stop entry → file in place (ms): ${latencies.join(', ')}; median ${sorted[Math.floor(RUNS / 2)]}, max ${sorted[RUNS - 1]}; the writer's own stop-read → file: ${logged.join(', ')}`,
    );
    assert.equal(await stopServe(writer), 0);
    for (const [i, ms] of latencies.entries())
      assert.ok(ms <= LIMIT_MS, `run ${i + 1}: ${ms} ms from its stop entry to its file (limit ${LIMIT_MS})`);
  } finally {
    writer.child.kill('SIGKILL');
    client.disconnect();
  }
});
