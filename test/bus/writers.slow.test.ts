/** Three writers, 500 small runs streamed in, SIGKILL a writer every 2-5 s: every run written exactly once, files identical to write's. */
import { test } from 'node:test';
import { killWriters } from './kill-writers.js';

test("three writers, 500 runs, SIGKILL a writer every 2-5 s while runs stream in: each run written exactly once, no temporary file, files identical to write's", async (t) => {
  await killWriters(t, {
    writers: 3,
    runs: 500,
    kills: 12,
    killEveryMs: [2000, 5000],
    midRunAtLeast: 4,
    concurrent: 4,
    docPauseMs: 3,
    compare: 100,
  });
});
