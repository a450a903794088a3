import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { hash52, UidSet } from '../../src/run/uid-set.js';

describe('UidSet: event uids as 52-bit hashes', () => {
  test('add is false for a uid already there, across growth; has agrees', () => {
    const set = new UidSet();
    const uids = Array.from(
      { length: 50_000 },
      (_, i) => `${i.toString(16).padStart(8, '0')}-1234-4abc-8def-0123456789ab`,
    );
    for (const uid of uids) assert.equal(set.add(uid), true);
    assert.equal(set.size, uids.length);
    for (const uid of uids.slice(0, 1000)) assert.equal(set.add(uid), false);
    assert.equal(set.size, uids.length);
    assert.equal(set.has(uids[49_999]), true);
    assert.equal(set.has('not-there'), false);
  });

  test('hashes: 52-bit integers, never 0, distinct for 50,000 uids that differ in one character', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) {
      const h = hash52(`c0ffee00-1234-4abc-8def-${String(i).padStart(12, '0')}`);
      assert.ok(Number.isSafeInteger(h) && h > 0 && h < 2 ** 52);
      seen.add(h);
    }
    assert.equal(seen.size, 50_000);
  });
});
