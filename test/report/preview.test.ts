/**
 * nexus/read-plot: the default plot of files shaped by hand (h5wasm writes them,
 * h5dump reads them back): the `default` chain, soft links, external links left
 * unopened, a stack's first frame, NaN, and the downsampling functions.
 */
import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { blockMeans, minMaxIndices, openForReading, readPlotPreview, type PlotPreview } from '../../src/nexus/index.js';
import { h5wasm } from '../../src/nexus/h5-runtime.js';
import { thumbnail } from '../../src/report/index.js';
import { tempDir } from './helpers.js';

type H5Group = ReturnType<InstanceType<typeof h5wasm.File>['create_group']>;

function nxgroup(
  parent: H5Group | InstanceType<typeof h5wasm.File>,
  name: string,
  nxClass: string,
  attrs: Record<string, string | string[]> = {},
): H5Group {
  const g = parent.create_group(name);
  g.create_attribute('NX_class', nxClass);
  for (const [k, v] of Object.entries(attrs)) g.create_attribute(k, v);
  return g;
}

/** A file with /entry/data (NXdata) built by `fill`; the root and the entry name their default. */
function writeFile(
  file: string,
  fill: (data: H5Group, f: InstanceType<typeof h5wasm.File>) => void,
  withDefaults = true,
): string {
  const f = new h5wasm.File(file, 'w');
  if (withDefaults) f.create_attribute('default', 'entry');
  const entry = nxgroup(f, 'entry', 'NXentry', withDefaults ? { default: 'data' } : {});
  fill(nxgroup(entry, 'data', 'NXdata'), f);
  f.close();
  return file;
}

function preview(file: string): PlotPreview | undefined {
  const f = openForReading(file);
  try {
    return readPlotPreview(f);
  } finally {
    f.close();
  }
}

describe('the default plot preview', () => {
  const tmp = tempDir('nxl-preview-');
  after(tmp.remove);

  test('a 3-D stack: its first frame, block-averaged to at most 32 cells a side, rows as stored', () => {
    const file = writeFile(path.join(tmp.dir, 'stack.h5'), (data, f) => {
      // frame k, pixel (r, c) = 1000 k + r (rows 0…63, columns 0…95)
      const values = new Float32Array(3 * 64 * 96).map(
        (_, i) => 1000 * Math.floor(i / (64 * 96)) + Math.floor((i % (64 * 96)) / 96),
      );
      const det = nxgroup(nxgroup(f.get('entry') as H5Group, 'instrument', 'NXinstrument'), 'detector', 'NXdetector');
      det.create_dataset({ name: 'data', data: values, shape: [3, 64, 96], dtype: '<f4' });
      data.create_soft_link('/entry/instrument/detector/data', 'images');
      data.create_attribute('signal', 'images');
    });
    assert.match(
      execFileSync('h5ls', ['-r', file]).toString(),
      /\/entry\/data\/images\s+Soft Link \{\/entry\/instrument\/detector\/data\}/,
    );
    const p = preview(file);
    assert.ok(p?.kind === 'image');
    assert.equal(p.signal, '/entry/instrument/detector/data', 'the soft link is followed');
    assert.deepEqual(p.shape, [3, 64, 96]);
    assert.deepEqual([p.rows, p.cols], [22, 32], '96 columns in blocks of 3');
    assert.equal(p.values[0], 1, 'the first block of frame 0: rows 0-2, mean 1');
    assert.equal(p.values[21 * 32], 63, 'the last block row holds row 63 only');
    assert.ok(
      p.values.every((v) => v !== null && v < 1000),
      'frame 0 only',
    );
    const svg = thumbnail(p);
    assert.equal((svg.match(/<rect /g) ?? []).length, 22 * 32);
    assert.match(svg, /detector\/data: 3 × 64 × 96 \(first frame\)/);
  });

  test('an external link: reported with its file, never opened', () => {
    const file = writeFile(path.join(tmp.dir, 'master.h5'), (data) => {
      data.create_external_link('detector_0001.h5', '/entry/data/data', 'data');
      data.create_attribute('signal', 'data');
    });
    const p = preview(file);
    assert.deepEqual(p, { kind: 'external', signal: '/entry/data/data', file: 'detector_0001.h5' });
    assert.match(thumbnail(p), /data in detector_0001\.h5/);
  });

  test("without default attributes: the entry's first NXdata; NaN and infinities are gaps, the x axis is kept", () => {
    const file = writeFile(
      path.join(tmp.dir, 'nan.h5'),
      (data) => {
        data.create_dataset({ name: 'y', data: new Float64Array([1, NaN, 3, Infinity, 5]) });
        data.create_dataset({ name: 'theta', data: new Float64Array([10, 20, 30, 40, 50]) });
        data.create_attribute('signal', 'y');
        data.create_attribute('axes', ['theta']);
      },
      false,
    );
    const p = preview(file);
    assert.deepEqual(p, {
      kind: 'line',
      signal: '/entry/data/y',
      length: 5,
      y: [1, null, 3, null, 5],
      x: [10, 20, 30, 40, 50],
      xName: 'theta',
    });
    assert.equal((thumbnail(p).match(/points="([^"]*)"/)?.[1] ?? '').split(' ').length, 3, 'three points drawn');
  });

  test('no plot: a text signal, a missing signal, an empty one', () => {
    const text = writeFile(path.join(tmp.dir, 'text.h5'), (data) => {
      data.create_dataset({ name: 'names', data: ['a', 'b'] });
      data.create_attribute('signal', 'names');
    });
    const missing = writeFile(path.join(tmp.dir, 'missing.h5'), (data) => data.create_attribute('signal', 'nothing'));
    const empty = writeFile(path.join(tmp.dir, 'empty.h5'), (data) => {
      data.create_dataset({ name: 'y', data: new Float64Array(0), shape: [0] });
      data.create_attribute('signal', 'y');
    });
    for (const f of [text, missing, empty]) assert.equal(preview(f), undefined, f);
    assert.match(thumbnail(undefined), /no default plot/);
  });

  test("minMaxIndices keeps each bucket's extremes in order; blockMeans averages whole blocks", () => {
    const y = Array.from({ length: 1000 }, (_, i) => (i === 777 ? 50 : i === 123 ? -50 : Math.sin(i)));
    const keep = minMaxIndices(y, 100);
    assert.ok(keep.length <= 200);
    assert.ok(keep.includes(777) && keep.includes(123));
    assert.deepEqual(
      keep,
      [...keep].sort((a, b) => a - b),
    );
    assert.deepEqual(minMaxIndices([3, 1, 2], 100), [0, 1, 2], 'short signals are kept whole');
    assert.deepEqual(blockMeans([1, 2, 3, 4, 5, 6, 7, 8, null], 3, 3, 2), {
      rows: 2,
      cols: 2,
      values: [3, 4.5, 7.5, null],
    });
  });
});
