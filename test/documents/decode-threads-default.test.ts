/** How many decode workers a log gets by default: none on 2 cores or fewer, else one per core but one, at most 4. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultDecodeThreads } from '../../src/documents/jsonl-decode-pool.js';

const MB = 1024 * 1024;

test('2 cores or fewer: every log is parsed on the main thread, whatever its size (S2: a worker cost 2.6× the wall)', () => {
  assert.equal(defaultDecodeThreads(60 * MB, 2), 0);
  assert.equal(defaultDecodeThreads(256 * MB, 2), 0);
  assert.equal(defaultDecodeThreads(600 * MB, 2), 0);
  assert.equal(defaultDecodeThreads(600 * MB, 1), 0);
});

test("more cores: one worker per core but the caller's, at most 4, whatever the size", () => {
  assert.equal(defaultDecodeThreads(60 * MB, 3), 2);
  assert.equal(defaultDecodeThreads(5 * MB, 4), 3);
  assert.equal(defaultDecodeThreads(60 * MB, 16), 4);
});
