import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  checkProjection,
  escapePointerSegment,
  joinPointer,
  offsetToPosition,
  positionOf,
  splitPointer,
  unescapePointerSegment,
} from '../../src/layout/index.js';

const text = [
  '{',
  '  "name": "t",',
  '  "tree": {',
  '    "a/b": 1,',
  '    "m~n": { "@units": "mm" },',
  '    "list": [10, {"x": true}]',
  '  }',
  '}',
].join('\n');

describe('JSON pointers', () => {
  test('RFC 6901 escaping round-trips ~ and /', () => {
    assert.equal(escapePointerSegment('a/b~c'), 'a~1b~0c');
    assert.equal(unescapePointerSegment('a~1b~0c'), 'a/b~c');
    assert.equal(unescapePointerSegment('~01'), '~1');
    assert.equal(joinPointer('/tree', 'x/y', 3), '/tree/x~1y/3');
    assert.deepEqual(splitPointer('/tree/x~1y/3'), ['tree', 'x/y', '3']);
    assert.deepEqual(splitPointer(''), []);
  });
});

describe('positionOf', () => {
  test('object members are located at their key', () => {
    assert.deepEqual(positionOf(text, '/name'), { line: 2, column: 3 });
    assert.deepEqual(positionOf(text, '/tree/a~1b'), { line: 4, column: 5 });
    assert.deepEqual(positionOf(text, '/tree/m~0n/@units'), { line: 5, column: 14 });
  });

  test('array items are located at the item', () => {
    assert.deepEqual(positionOf(text, '/tree/list/0'), { line: 6, column: 14 });
    assert.deepEqual(positionOf(text, '/tree/list/1/x'), { line: 6, column: 19 });
  });

  test('the root and missing keys fall back to the nearest existing node', () => {
    assert.deepEqual(positionOf(text, ''), { line: 1, column: 1 });
    assert.deepEqual(positionOf(text, '/tree/missing/deeper'), { line: 3, column: 3 });
    assert.deepEqual(positionOf(text, '/tree/list/7'), { line: 6, column: 5 });
  });

  test('text that is not JSON gives 1:1', () => {
    assert.deepEqual(positionOf('', '/x'), { line: 1, column: 1 });
  });

  test('CRLF line ends count as one line each', () => {
    const crlf = text.replace(/\n/g, '\r\n');
    assert.deepEqual(positionOf(crlf, '/tree/a~1b'), { line: 4, column: 5 });
  });

  test('offsets convert to 1-based line and column', () => {
    assert.deepEqual(offsetToPosition('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(offsetToPosition('ab\ncd', 4), { line: 2, column: 2 });
    assert.deepEqual(offsetToPosition('ab\ncd', 99), { line: 2, column: 3 });
  });
});

describe('checkProjection (start-document projections)', () => {
  test('a valid seeds/002 projection has no diagnostics', () => {
    assert.deepEqual(
      checkProjection({
        type: 'linked',
        location: 'configuration',
        stream: 'primary',
        config_device: 'det',
        config_index: 0,
        field: 'det_x',
      }),
      [],
    );
    assert.deepEqual(checkProjection({ type: 'static', value: 'NXsas' }), []);
  });

  test('mistakes are reported under the given pointer', () => {
    const d = checkProjection(
      { type: 'linked', location: 'event', field: 'I0' },
      '/projections/0/projection/~1entry~1I0',
    );
    assert.deepEqual(
      d.map((x) => [x.code, x.location.pointer]),
      [['LAYOUT_SCHEMA', '/projections/0/projection/~1entry~1I0']],
    );
    assert.match(d[0].message, /"stream"/);
    const typo = checkProjection({ type: 'static', vaule: 1 }, '/p');
    assert.deepEqual(
      typo.map((x) => x.location.pointer),
      ['/p/vaule'],
    );
    assert.match(typo[0].message, /did you mean "value"/);
  });
});
