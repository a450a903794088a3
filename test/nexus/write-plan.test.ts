import { describe, test, before, after } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import type { NexusPlan, PlannedField, PlannedGroup, PlannedNode } from '../../src/evaluate/models.js';
import { NxlError } from '../../src/errors.js';
import { H5wasmSink, MemorySink, NO_COLUMNS, writePlan, type ColumnSource } from '../../src/nexus/index.js';
import { type DumpSpec, dumpMany, removeDir, tempDir, text, tool } from './helpers.js';

function group(
  p: string,
  nxClass: string | undefined,
  children: PlannedNode[],
  attributes = [text('note', `group ${p}`)],
): PlannedGroup {
  return {
    kind: 'group',
    path: p,
    ...(nxClass === undefined ? {} : { nxClass }),
    children,
    attributes,
    source: 'static',
    pointer: `/tree${p}`,
  };
}

function inline(p: string, dtype: PlannedField['dtype'], shape: number[], data: unknown[]): PlannedField {
  return {
    kind: 'field',
    path: p,
    dtype,
    shape,
    value: { kind: 'inline', data },
    storage: {},
    attributes: [],
    source: 'static',
    pointer: `/tree${p}`,
  };
}

const I0 = Array.from({ length: 2500 }, (_, i) => i * 2);

function plan(): NexusPlan {
  const column: PlannedField = {
    kind: 'field',
    path: '/entry/data/I0',
    dtype: 'int64',
    shape: [I0.length],
    storage: { compression: 4 },
    value: { kind: 'column', stream: 'primary', field: 'I0', part: 'values' },
    attributes: [text('units', 'counts')],
    source: 'event primary/I0',
  };
  const root = group(
    '/',
    undefined,
    [
      group(
        '/entry',
        'NXentry',
        [
          inline('/entry/title', 'string', [], ['Å µm 温度']),
          inline('/entry/scan_number', 'int32', [], [12]),
          group('/entry/instrument', 'NXinstrument', [
            group('/entry/instrument/detector', 'NXdetector', [
              inline('/entry/instrument/detector/distance', 'float32', [2], [1.5, 2.5]),
            ]),
          ]),
          group(
            '/entry/data',
            'NXdata',
            [
              column,
              {
                kind: 'link',
                path: '/entry/data/distance',
                linkType: 'soft',
                target: '/entry/instrument/detector/distance',
                attributes: [],
                source: 'link',
              },
              {
                kind: 'link',
                path: '/entry/data/title',
                linkType: 'hard',
                target: '/entry/title',
                attributes: [],
                source: 'link',
              },
            ],
            [text('signal', 'I0')],
          ),
        ],
        [text('default', 'data')],
      ),
    ],
    [text('default', 'entry')],
  );
  return { file: 'scan.h5', root, diagnostics: [], readColumns: [] };
}

/** Yields the column in blocks of 1000 rows, like the streaming pipeline. */
const COLUMNS: ColumnSource = {
  *rows(stream, field, part) {
    assert.deepEqual([stream, field, part], ['primary', 'I0', 'values']);
    for (let i = 0; i < I0.length; i += 1000) yield I0.slice(i, i + 1000);
  },
};

describe('writePlan through H5wasmSink', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = tempDir();
    file = path.join(dir, 'scan.h5');
    const sink = new H5wasmSink(file);
    writePlan(plan(), sink, COLUMNS);
    sink.close();
  });
  after(() => removeDir(dir));

  test('every group carries its NX_class (root: NXroot)', () => {
    const groups = tool('h5ls', ['-r', file])
      .split('\n')
      .filter((l) => /\sGroup$/.test(l))
      .map((l) => l.split(/\s+/)[0]);
    assert.deepEqual(groups, ['/', '/entry', '/entry/data', '/entry/instrument', '/entry/instrument/detector']);
    const classes = dumpMany(
      file,
      groups.map((g): DumpSpec => ['-a', `${g === '/' ? '' : g}/NX_class`]),
    ).map((d) => d.values[0]);
    assert.deepEqual(classes, ['NXroot', 'NXentry', 'NXdata', 'NXinstrument', 'NXdetector']);
  });

  test('attributes, inline fields, the streamed column and links are written', () => {
    // One h5dump for all of them (-p: the streamed column's storage layout and filters too).
    const [dflt, signal, title, scanNumber, i0, units, distance, dataTitle] = dumpMany(
      file,
      [
        ['-a', '/default'],
        ['-a', '/entry/data/signal'],
        ['-d', '/entry/title'],
        ['-d', '/entry/scan_number'],
        ['-d', '/entry/data/I0'],
        ['-a', '/entry/data/I0/units'],
        ['-d', '/entry/data/distance'],
        ['-d', '/entry/data/title'],
      ],
      ['-p'],
    );
    assert.deepEqual(dflt.values, ['entry']);
    assert.deepEqual(signal.values, ['I0']);
    assert.deepEqual(title.values, ['Å µm 温度']);
    assert.deepEqual(scanNumber.values, ['12']);
    assert.deepEqual(i0.values.map(Number), I0);
    assert.deepEqual(units.values, ['counts']);
    assert.deepEqual(distance.values, ['1.5', '2.5']);
    assert.deepEqual(dataTitle.values, ['Å µm 温度']);
    const header = i0.block;
    assert.match(header, /H5T_STD_I64LE/);
    assert.match(header, /CHUNKED \( 2500 \)/);
    assert.match(header, /COMPRESSION DEFLATE \{ LEVEL 4 \}/);
  });
});

describe('writePlan through MemorySink', () => {
  test('records the same tree; skip leaves paths already written alone', () => {
    const sink = new MemorySink();
    writePlan(plan(), sink, NO_COLUMNS, { skip: new Set(['/entry/data/I0']) });
    assert.deepEqual(
      [...sink.nodes.keys()],
      [
        '/',
        '/entry',
        '/entry/title',
        '/entry/scan_number',
        '/entry/instrument',
        '/entry/instrument/detector',
        '/entry/instrument/detector/distance',
        '/entry/data',
        '/entry/data/distance',
        '/entry/data/title',
      ],
    );
    assert.deepEqual(sink.attrs('/'), { NX_class: 'NXroot', default: 'entry' });
    assert.deepEqual(sink.attrs('/entry/data'), { NX_class: 'NXdata', signal: 'I0' });
    assert.deepEqual(sink.get('/entry/data/distance'), {
      kind: 'link',
      path: '/entry/data/distance',
      linkType: 'soft',
      target: '/entry/instrument/detector/distance',
    });
  });

  test('a column whose rows are all in hand is written whole, at its planned size, from every block of the source', () => {
    const sink = new MemorySink();
    writePlan(plan(), sink, COLUMNS);
    const node = sink.get('/entry/data/I0');
    assert.equal(node.kind, 'field');
    assert.deepEqual(node.kind === 'field' && node.shape, [2500]);
    assert.deepEqual(node.kind === 'field' && node.data, I0);
    assert.deepEqual(sink.attrs('/entry/data/I0'), { units: 'counts' });
  });

  test('a column the source holds fewer rows of than planned becomes a resizable column of the rows it has, the planned count as chunk hint', () => {
    const sink = new MemorySink();
    const short: ColumnSource = {
      *rows() {
        yield I0.slice(0, 1000);
      },
    };
    writePlan(plan(), sink, short);
    const node = sink.get('/entry/data/I0');
    assert.equal(node.kind, 'column');
    assert.deepEqual(node.kind === 'column' && node.rows, I0.slice(0, 1000));
    assert.equal(node.kind === 'column' && node.expectedRows, 2500);
  });

  test('a group without NX_class is refused with its template pointer', () => {
    const p = plan();
    const bad: NexusPlan = { ...p, root: { ...p.root, children: [group('/loose', undefined, [])] } };
    assert.throws(
      () => writePlan(bad, new MemorySink(), NO_COLUMNS),
      (e: unknown) =>
        e instanceof NxlError &&
        e.code === 'NEXUS_WRITE' &&
        e.message === 'group /loose has no NX_class' &&
        e.location.pointer === '/tree/loose' &&
        e.location.nexusPath === '/loose',
    );
  });

  test('sink errors get the template pointer of the node', () => {
    const p = plan();
    const dup: NexusPlan = {
      ...p,
      root: { ...p.root, children: [...p.root.children, inline('/entry', 'int8', [], [1])] },
    };
    assert.throws(
      () => writePlan(dup, new MemorySink(), COLUMNS),
      (e: unknown) => e instanceof NxlError && e.location.pointer === '/tree/entry' && /already exists/.test(e.message),
    );
  });

  test('external links keep the file they name', () => {
    const p = plan();
    const ext: NexusPlan = {
      ...p,
      root: {
        ...p.root,
        children: [
          ...p.root.children,
          {
            kind: 'link',
            path: '/image',
            linkType: 'external',
            file: 'raw/det.h5',
            target: '/entry/data',
            attributes: [],
            source: 'resource',
          },
        ],
      },
    };
    const sink = new MemorySink();
    writePlan(ext, sink, COLUMNS);
    assert.deepEqual(sink.get('/image'), {
      kind: 'external-link',
      path: '/image',
      file: 'raw/det.h5',
      target: '/entry/data',
    });
  });
});
