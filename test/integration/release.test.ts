/**
 * While a long run streams in, the rows of columns written whole are released
 * once appended, and so are the rows of columns the plan never reads; the rows
 * of a column the template reads at an index (or passes to a calculation) are
 * kept, so those values are still right when the run ends.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs } from '../../src/convert/index.js';
import { createDefaultRegistry, evaluateLayout } from '../../src/evaluate/index.js';
import { parseLayout } from '../../src/layout/index.js';
import { composeRun } from '../../src/run/testing.js';
import { dataset, withFile } from './h5.js';
import { writeJsonl } from './every-construct-run.js';

const N = 3000;
const template = {
  name: 'release-test',
  version: '1.0.0',
  file: 'run.nxs',
  tree: {
    'entry:NXentry': {
      x: { type: 'linked', location: 'event', stream: 'primary', field: 'x' },
      y_at_700: { type: 'linked', location: 'event', stream: 'primary', field: 'y', index: 700 },
      z_mean: {
        type: 'calculated',
        location: 'event',
        stream: 'primary',
        field: 'z',
        calculation: { callable: 'mean' },
      },
      z_total: {
        type: 'calculated',
        calculation: {
          callable: 'count',
          args: [{ type: 'linked', location: 'event', stream: 'primary', field: 'z' }],
        },
      },
      seq_at_1234: { type: 'linked', location: 'event', stream: 'primary', field: 'x', part: 'seq_num', index: 1234 },
      last_time: { type: 'linked', location: 'event', stream: 'primary', field: 'x', part: 'time', index: 'last' },
    },
  },
};

function layout() {
  const { layout, diagnostics } = parseLayout(JSON.stringify(template), 'release-test.json');
  assert.deepEqual(diagnostics, []);
  return layout!;
}

function buildRun() {
  const b = composeRun({ uid: 'release0-0000-4000-8000-000000003000', scan_id: 9 });
  const d = b.descriptor('primary', {
    x: { dtype: 'number', shape: [], source: 'S:x' },
    y: { dtype: 'number', shape: [], source: 'S:y' },
    z: { dtype: 'number', shape: [], source: 'S:z' },
  });
  for (let i = 0; i < N; i++) d.event({ x: i * 0.5, y: 1000 + i, z: i % 10 });
  b.stop();
  return b;
}

describe('column rows: released when written or unread, kept when read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-release-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the plan names the columns it reads by index or as a calculation argument, and only those', () => {
    const plan = evaluateLayout(layout(), buildRun().run(), { registry: createDefaultRegistry() });
    const keys = plan.readColumns.map((c) => `${c.stream}/${c.field}/${c.part}`).sort();
    assert.deepEqual(keys, ['primary/x/seq_num', 'primary/y/values', 'primary/z/values']);
  });

  test(`a ${N}-event run written in streaming mode keeps the values the template reads`, async () => {
    const b = buildRun();
    const log = writeJsonl(path.join(dir, 'run.jsonl'), b.documents());
    const root = path.join(dir, 'out');
    fs.mkdirSync(root);
    const { results } = await convertLogs([log], {
      outRoot: root,
      layouts: [],
      fallback: layout(),
      registry: createDefaultRegistry(),
    });
    assert.deepEqual(
      results.map((r) => [r.status, r.diagnostics.filter((d) => d.severity === 'error')]),
      [['written', []]],
    );
    withFile(path.join(root, 'run.nxs'), (f) => {
      assert.equal(dataset(f, '/entry/x').shape?.[0], N);
      assert.equal((dataset(f, '/entry/x').value as Float64Array)[N - 1], (N - 1) * 0.5);
      assert.equal(dataset(f, '/entry/y_at_700').value, 1700);
      assert.equal(dataset(f, '/entry/z_mean').value, 4.5);
      assert.equal(Number(dataset(f, '/entry/z_total').value), N);
      assert.equal(Number(dataset(f, '/entry/seq_at_1234').value), 1235);
    });
  });
});
