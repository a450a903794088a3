/**
 * The sink writes a created object's attributes through the handle it got
 * when creating it: HDF5 is not asked again where the object is (h5wasm's
 * `get()` costs a `get_type` call into the library per object), nor, after
 * creating a dataset, what it just created (h5wasm's create_dataset ends with
 * a `get()`: the sink creates datasets through a root whose `get` asks
 * nothing). Counted by wrapping h5wasm's own `get_type`; the file is read
 * back with h5dump.
 */
import { after, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { Module } from '../../src/nexus/h5-runtime.js';
import { H5wasmSink } from '../../src/nexus/index.js';
import { attr, dumpMany, removeDir, tempDir, text } from './helpers.js';

const dir = tempDir();
after(() => removeDir(dir));

describe('H5wasmSink round trips', () => {
  test('creating groups and datasets and writing their attributes cost no lookup; every value reads back', () => {
    const file = path.join(dir, 'calls.h5');
    const module = Module as unknown as { get_type: (...a: unknown[]) => unknown };
    const original = module.get_type;
    let lookups = 0;
    module.get_type = (...a: unknown[]) => {
      lookups += 1;
      return original.apply(Module, a);
    };
    const GROUPS = 20;
    let datasets = 0;
    try {
      const sink = new H5wasmSink(file);
      sink.createGroup('/', [text('default', 'entry')]);
      sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
      for (let g = 0; g < GROUPS; g += 1) {
        sink.createGroup(`/entry/g${g}`, [text('NX_class', 'NXcollection'), attr('index', 'int32', [g])]);
        sink.writeField(`/entry/g${g}/value`, 'float64', [], [g + 0.5], [text('units', 'mm')], {});
        datasets += 1;
      }
      const column = sink.createColumn('/entry/g0/column', 'int32', [], [text('units', 'counts')], {});
      datasets += 1;
      sink.appendRows(column, [1, 2, 3]);
      // Replacing an attribute of an object created earlier still needs no lookup.
      sink.setAttributes('/entry/g3', [text('NX_class', 'NXnote')]);
      sink.close();
    } finally {
      module.get_type = original;
    }
    assert.equal(lookups, 0, `${lookups} lookups for ${GROUPS + 2} groups and ${datasets} datasets`);
    // One h5dump for the six.
    const [index, nxClass, units19, value19, column, columnUnits] = dumpMany(file, [
      ['-a', '/entry/g7/index'],
      ['-a', '/entry/g3/NX_class'],
      ['-a', '/entry/g19/value/units'],
      ['-d', '/entry/g19/value'],
      ['-d', '/entry/g0/column'],
      ['-a', '/entry/g0/column/units'],
    ]).map((d) => d.values);
    assert.deepEqual(index, ['7']);
    assert.deepEqual(nxClass, ['NXnote']);
    assert.deepEqual(units19, ['mm']);
    assert.deepEqual(value19, ['19.5']);
    assert.deepEqual(column, ['1', '2', '3']);
    assert.deepEqual(columnUnits, ['counts']);
  });
});
