/** Two writers, 30 runs streamed in, SIGKILL every 2-4 s: every run written exactly once (slow suite: a crash loop, ~50 s; writers.slow.test.ts runs three writers and 500 runs). */
import { test } from 'node:test';
import { killWriters } from './kill-writers.js';

test('two writers, 30 runs, SIGKILL a writer every 2-4 s while runs stream in: each run written exactly once, no temporary file', async (t) => {
  await killWriters(t, {
    writers: 2,
    runs: 30,
    kills: 3,
    killEveryMs: [2000, 4000],
    midRunAtLeast: 1,
    concurrent: 3,
    docPauseMs: 50,
  });
});
