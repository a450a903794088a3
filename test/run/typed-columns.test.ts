/**
 * Columns fed typed page columns (Float64Arrays from a decoding thread) keep
 * them typed: same rows, first/last and stats as plain arrays give, rows let
 * go the same way; anything else appended turns the column into a plain array.
 */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { appendFill, appendMany, appendOne, letRowsGo, newColumn, type MutableColumn } from '../../src/run/column.js';

const numbers = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => (from + i) * 0.5 - 3);

/** Two columns fed the same pages, one typed and one as arrays. */
function pair(): { typed: MutableColumn; plain: MutableColumn } {
  return {
    typed: newColumn('x', { stats: true }),
    plain: newColumn('x', { stats: true }),
  };
}

function same(typed: MutableColumn, plain: MutableColumn): void {
  assert.deepEqual(Array.from(typed.rows), plain.rows);
  assert.equal(typed.length, plain.length);
  assert.equal(typed.offset, plain.offset);
  assert.equal(typed.first, plain.first);
  assert.equal(typed.last, plain.last);
  assert.deepEqual(typed.stats, plain.stats);
}

describe('typed columns', () => {
  test('pages of Float64Arrays stay typed, past the first storage size, with the stats of plain pages', () => {
    const { typed, plain } = pair();
    for (let page = 0; page < 5; page++) {
      const values = numbers(page * 700, 700);
      appendMany(typed, Float64Array.from(values));
      appendMany(plain, values);
    }
    assert.ok(typed.rows instanceof Float64Array, 'rows are a typed view');
    assert.equal(typed.rows.length, 3500);
    same(typed, plain);
    assert.deepEqual(typed.stats, { count: 3500, min: -3, max: 3499 * 0.5 - 3, sum: plain.stats!.sum });
  });

  test('rows let go move the kept rows to the front; appending goes on after them', () => {
    const { typed, plain } = pair();
    appendMany(typed, Float64Array.from(numbers(0, 1500)));
    appendMany(plain, numbers(0, 1500));
    for (const c of [typed, plain]) letRowsGo(c, 1200);
    same(typed, plain);
    assert.ok(typed.rows instanceof Float64Array);
    assert.deepEqual(Array.from(typed.rows), numbers(1200, 300));
    assert.equal(typed.offset, 1200);
    appendMany(typed, Float64Array.from(numbers(1500, 10)));
    assert.deepEqual(Array.from(typed.rows), numbers(1200, 310));
    letRowsGo(typed, typed.length);
    assert.equal(typed.rows.length, 0);
    assert.equal(typed.first, -3);
    assert.equal(typed.last, numbers(1509, 1)[0]);
  });

  test('a single reading, a missing reading or a plain page after typed pages: the column becomes a plain array', () => {
    for (const [label, add] of [
      ['appendOne', (c: MutableColumn) => appendOne(c, 'text')],
      ['appendFill', (c: MutableColumn) => appendFill(c, undefined, 2)],
      ['appendMany of an array', (c: MutableColumn) => appendMany(c, [7, null])],
    ] as const) {
      const c = newColumn('x', { stats: true });
      appendMany(c, Float64Array.from([1, 2, 3]));
      add(c);
      assert.ok(Array.isArray(c.rows), label);
      assert.equal(c.store, undefined, label);
      assert.deepEqual(c.rows.slice(0, 3), [1, 2, 3], label);
      assert.equal(c.length, c.rows.length, label);
      // Stats count the numbers only, typed or not.
      assert.equal(c.stats!.count, label === 'appendMany of an array' ? 4 : 3, label);
    }
  });

  test('a typed page after plain rows is appended as values (the column stays plain)', () => {
    const c = newColumn('x', { stats: false });
    appendOne(c, 1);
    appendMany(c, Float64Array.from([2, 3]));
    assert.ok(Array.isArray(c.rows));
    assert.deepEqual(c.rows, [1, 2, 3]);
  });
});
