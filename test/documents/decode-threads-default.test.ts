/** How many decode workers a log gets by default: none on 2 cores below 256 MiB, else one per core but one, at most 4. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultDecodeThreads, SMALL_CORES_MIN_BYTES } from '../../src/documents/jsonl-decode-pool.js';

const MB = 1024 * 1024;

test('2 cores or fewer: a log under 256 MiB is parsed on the main thread, a longer one on one worker', () => {
  assert.equal(SMALL_CORES_MIN_BYTES, 256 * MB);
  assert.equal(defaultDecodeThreads(60 * MB, 2), 0);
  assert.equal(defaultDecodeThreads(256 * MB - 1, 2), 0);
  assert.equal(defaultDecodeThreads(256 * MB, 2), 1);
  assert.equal(defaultDecodeThreads(600 * MB, 2), 1);
  assert.equal(defaultDecodeThreads(60 * MB, 1), 0);
  assert.equal(defaultDecodeThreads(600 * MB, 1), 1);
});

test("more cores: one worker per core but the caller's, at most 4, whatever the size", () => {
  assert.equal(defaultDecodeThreads(60 * MB, 3), 2);
  assert.equal(defaultDecodeThreads(5 * MB, 4), 3);
  assert.equal(defaultDecodeThreads(60 * MB, 16), 4);
});
