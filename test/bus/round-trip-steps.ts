/** The round trip tests' common steps: serve a prefix until its jobs are acknowledged; compare served files with write's. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { dump, listFiles, results, serveIn, type TestRedis, waitFor } from './helpers.js';

/** Serves `prefix` into `out` until `jobs` jobs are acknowledged; returns the results. */
export async function serveAll(
  redis: TestRedis,
  prefix: string,
  out: string,
  jobs: number,
): Promise<Record<string, string>[]> {
  const client = redis.client();
  try {
    // In this process (main()): what is compared is the files; a spawned serve would add a node start.
    const writer = await serveIn(redis.url, out, ['--prefix', prefix]);
    try {
      await waitFor(
        () => Number(redis.cli('XLEN', `${prefix}:results`)) >= jobs,
        `${jobs} jobs acknowledged`,
        240_000,
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}\n${writer.output()}`);
      });
    } finally {
      assert.equal(await writer.stop(), 0, writer.output());
    }
    return await results(client, prefix);
  } finally {
    client.disconnect();
  }
}

export function assertSameFiles(out: string, ref: string): void {
  const files = listFiles(out);
  assert.deepEqual(files, listFiles(ref), 'the same files as write');
  assert.ok(files.length > 0);
  for (const f of files) {
    const served = dump(path.join(out, f));
    assert.match(served, /nxlayout_provenance[\s\S]*run_uid/);
    assert.equal(served, dump(path.join(ref, f)), `${f}: h5dump differs from write's`);
  }
}
