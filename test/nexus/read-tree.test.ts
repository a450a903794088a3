import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../../src/errors.js';
import { formatTree, H5wasmSink, readTree, summarizeHdf5Error } from '../../src/nexus/index.js';
import { hdf5LibraryVersion } from '../../src/nexus/h5-version.js';
import { attr, removeDir, tempDir, text } from './helpers.js';

describe('readTree / formatTree', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = tempDir();
    const detector = new H5wasmSink(path.join(dir, 'det.h5'));
    detector.writeField('/data', 'int32', [2], [7, 8], [], {});
    detector.close();
    file = path.join(dir, 'small.h5');
    const sink = new H5wasmSink(file);
    sink.setAttributes('/', [text('NX_class', 'NXroot'), text('default', 'entry')]);
    sink.createGroup('/entry', [text('NX_class', 'NXentry')]);
    sink.writeField('/entry/title', 'string', [], ['Å µm 温度'], [], {});
    sink.writeField('/entry/count', 'uint64', [], [2n ** 64n - 1n], [], {});
    sink.writeField('/entry/flags', 'bool', [3], [true, false, true], [], {});
    sink.writeField('/entry/image', 'uint16', [2, 3], [1, 2, 3, 4, 5, 6], [attr('shape', 'int32', [2, 3], [2])], {
      compression: 4,
    });
    const x = sink.createColumn('/entry/x', 'float64', [], [text('units', 'mm')], {}, 7);
    sink.appendRows(x, [0, 0.5, 1, 1.5, 2, 2.5, 3]);
    sink.createLink('/entry/y', 'soft', '/entry/x');
    sink.createExternalLink('/entry/det', path.join(dir, 'det.h5'), '/data');
    sink.createExternalLink('/entry/gone', 'raw/missing.h5', '/entry/data');
    sink.close();
  });
  after(() => removeDir(dir));

  test('formatTree shows the whole small file', () => {
    assert.equal(
      formatTree(readTree(file)),
      [
        '/',
        // issue 11: the writer names its HDF5 library on the root (NXroot HDF5_Version)
        `│  @HDF5_Version = "${hdf5LibraryVersion()}"`,
        '│  @NX_class = "NXroot"',
        '│  @default = "entry"',
        '└── entry:NXentry',
        '    ├── count  uint64 scalar  = 18446744073709551615',
        '    ├── det -> det.h5:/data',
        '    ├── flags  uint8 [3]  = [1, 0, 1]',
        '    ├── gone -> raw/missing.h5:/entry/data',
        '    ├── image  uint16 [2, 3]  chunks [2, 3]  gzip 4  = [1, 2, 3, 4, 5, …]',
        '    │      @shape = [2, 3]',
        '    ├── title  utf-8 string scalar  = "Å µm 温度"',
        '    ├── x  float64 [7]  chunks [7]  = [0, 0.5, 1, 1.5, 2, …]',
        '    │      @units = "mm"',
        '    └── y -> /entry/x',
        '',
      ].join('\n'),
    );
  });

  test('readTree reports nodes, links without following them, and previews', () => {
    const root = readTree(file);
    assert.equal(root.kind, 'group');
    const entry = root.kind === 'group' ? root.children[0] : undefined;
    assert.ok(entry?.kind === 'group');
    const byName = new Map(entry.children.map((c) => [c.path, c]));
    assert.deepEqual(byName.get('/entry/det'), {
      kind: 'external-link',
      path: '/entry/det',
      file: 'det.h5',
      target: '/data',
    });
    assert.deepEqual(byName.get('/entry/y'), { kind: 'soft-link', path: '/entry/y', target: '/entry/x' });
    assert.deepEqual(byName.get('/entry/x'), {
      kind: 'dataset',
      path: '/entry/x',
      dtype: 'float64',
      shape: [7],
      chunks: [7],
      attributes: [{ name: 'units', dtype: 'utf-8 string', shape: [], value: 'mm' }],
      preview: [0, 0.5, 1, 1.5, 2],
    });
    assert.deepEqual(byName.get('/entry/title'), {
      kind: 'dataset',
      path: '/entry/title',
      dtype: 'utf-8 string',
      shape: [],
      attributes: [],
      preview: 'Å µm 温度',
    });
    assert.equal(JSON.stringify(root).length > 0, true);
  });

  test('long lines are cut at the width', () => {
    const lines = formatTree(readTree(file), { width: 30 }).split('\n');
    assert.equal(lines[9], '    ├── image  uint16 [2, 3] …');
    assert.ok(lines.every((l) => [...l].length <= 30));
  });

  test('a file that is not HDF5 is NEXUS_READ naming the file', () => {
    const junk = path.join(dir, 'junk.h5');
    fs.writeFileSync(junk, 'not hdf5');
    assert.throws(
      () => readTree(junk),
      (e: unknown) =>
        e instanceof NxlError &&
        e.code === 'NEXUS_READ' &&
        e.location.file === junk &&
        e.message.startsWith(`cannot open ${junk} as HDF5: H5Fopen()`),
    );
  });
});

describe('summarizeHdf5Error', () => {
  test('keeps the API call and the innermost cause of an HDF5-DIAG stack', () => {
    const diag = [
      'HDF5-DIAG: Error detected in HDF5 (2.0.0):',
      '  #000: H5D.c line 150 in H5Dcreate2(): unable to synchronously create dataset',
      '    major: Dataset',
      '  #001: H5Gtraverse.c line 5 in H5G__traverse_real(): component not found',
      '    major: Symbol table',
    ].join('\n');
    assert.equal(summarizeHdf5Error(diag), 'H5Dcreate2() unable to synchronously create dataset: component not found');
    assert.equal(summarizeHdf5Error('plain message\n'), 'plain message');
  });
});
