/**
 * The output root's guarantees, through convertLogs: every way out of ROOT is
 * refused, an existing file is left alone without overwrite (and replaced
 * with it), a failed or abandoned run leaves no temporary file; and how runs
 * are matched to templates.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs } from '../../src/convert/index.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { parseLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { composeRun } from '../../src/run/testing.js';
import { writeJsonl } from './every-construct-run.js';
import { assertColumn, rows, withFile } from './h5.js';
import { errorCodes as codes, EVERY_CONSTRUCT, everyConstructLayout, layoutFrom, listFiles } from './support.js';

const registry = createDefaultRegistry();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-root-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small run: a primary stream of two events, the given start metadata. */
function smallRun(start: Record<string, unknown>, options: { stop?: boolean } = {}): NamedDocument[] {
  const b = composeRun(start as never);
  const primary = b.descriptor('primary', { I0: {} });
  primary.event({ I0: 1 });
  primary.event({ I0: 2 });
  if (options.stop !== false) b.stop();
  return b.documents();
}

const simpleTemplate = (file: string, extra: Record<string, unknown> = {}): Layout =>
  layoutFrom(
    JSON.stringify({
      name: 'simple',
      version: '1.0.0',
      file,
      tree: {
        'entry:NXentry': { I0: { type: 'linked', location: 'event', stream: 'primary', field: 'I0' }, ...extra },
      },
    }),
    'simple.json',
  );

describe('the output root: no way out, existing files, temporary files', () => {
  test('every way out of ROOT is refused with NEXUS_PATH_ESCAPE, and nothing is written outside', async () => {
    const base = path.join(dir, 'escape');
    const root = path.join(base, 'root');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(root, { recursive: true });
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(root, 'link'));
    const targets = [
      path.join(outside, 'absolute.nxs'),
      '../up.nxs',
      'a/../../down-up.nxs',
      'link/through-symlink.nxs',
    ];
    const log = writeJsonl(
      path.join(base, 'runs.jsonl'),
      targets.flatMap((target, i) => smallRun({ scan_id: i + 1, target })),
    );
    const { results, diagnostics } = await convertLogs([log], {
      outRoot: root,
      layouts: [],
      fallback: simpleTemplate('{{start.target}}'),
      registry,
    });
    assert.deepEqual(diagnostics, []);
    assert.equal(results.length, targets.length);
    for (const r of results) {
      assert.equal(r.status, 'failed', `run ${r.scanId}`);
      assert.deepEqual(codes(r), ['NEXUS_PATH_ESCAPE'], `run ${r.scanId}: ${JSON.stringify(r.diagnostics)}`);
    }
    assert.deepEqual(fs.readdirSync(outside), []);
    assert.deepEqual(fs.readdirSync(base).sort(), ['outside', 'root', 'runs.jsonl']);
    assert.deepEqual(fs.readdirSync(root), ['link'], 'not even a directory was created under the root');
  });

  test('an existing file is left untouched (same bytes, same mtime) without overwrite, and replaced with it', async () => {
    const root = path.join(dir, 'existing');
    const target = path.join(root, 'run_00007.nxs');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(target, 'not an HDF5 file: a previous result\n');
    const past = new Date('2001-02-03T04:05:06Z');
    fs.utimesSync(target, past, past);
    const before = {
      bytes: fs.readFileSync(target),
      mtimeMs: fs.statSync(target).mtimeMs,
      ino: fs.statSync(target).ino,
    };
    const log = writeJsonl(path.join(dir, 'existing.jsonl'), smallRun({ scan_id: 7 }));
    const layout = simpleTemplate('run_{{pad start.scan_id 5}}.nxs');

    const kept = await convertLogs([log], { outRoot: root, layouts: [], fallback: layout, registry });
    assert.equal(kept.results[0].status, 'failed');
    assert.deepEqual(codes(kept.results[0]), ['NEXUS_EXISTS']);
    assert.deepEqual(fs.readFileSync(target), before.bytes);
    assert.equal(fs.statSync(target).mtimeMs, before.mtimeMs);
    assert.equal(fs.statSync(target).ino, before.ino);
    assert.deepEqual(listFiles(root), ['run_00007.nxs'], 'no temporary file left behind');

    const replaced = await convertLogs([log], {
      outRoot: root,
      layouts: [],
      fallback: layout,
      registry,
      overwrite: true,
    });
    assert.equal(replaced.results[0].status, 'written');
    assert.notEqual(fs.statSync(target).mtimeMs, before.mtimeMs);
    withFile(target, (f) => assertColumn(rows(f, '/entry/I0'), [1, 2], '/entry/I0'));
    assert.deepEqual(listFiles(root), ['run_00007.nxs']);
  });

  test('a run that fails after its file was opened leaves no file and no temporary file', async () => {
    const root = path.join(dir, 'failing');
    fs.mkdirSync(root);
    const log = writeJsonl(path.join(dir, 'failing.jsonl'), smallRun({ scan_id: 8 }));
    const layout = simpleTemplate('run_{{start.scan_id}}.nxs', {
      needed: { type: 'linked', location: 'start', field: 'no_such_key' },
    });
    const { results } = await convertLogs([log], { outRoot: root, layouts: [], fallback: layout, registry });
    assert.equal(results[0].status, 'failed');
    assert.ok(codes(results[0]).includes('EVAL_PROJECTION'), JSON.stringify(codes(results[0])));
    assert.ok(
      results[0].diagnostics.some((d) => d.severity === 'error' && d.location.pointer === '/tree/entry:NXentry/needed'),
    );
    assert.deepEqual(listFiles(root), []);
  });

  test('a run abandoned without its stop document (writeIncomplete: false) leaves nothing behind', async () => {
    const root = path.join(dir, 'abandoned');
    fs.mkdirSync(root);
    const log = writeJsonl(path.join(dir, 'abandoned.jsonl'), smallRun({ scan_id: 9 }, { stop: false }));
    const { results } = await convertLogs([log], {
      outRoot: root,
      layouts: [],
      fallback: simpleTemplate('run_{{start.scan_id}}.nxs'),
      registry,
      writeIncomplete: false,
    });
    assert.deepEqual(results, []);
    assert.deepEqual(listFiles(root), []);
  });

  test('a run no template matches (and no fallback) is reported with LAYOUT_NO_MATCH, not dropped silently', async () => {
    const root = path.join(dir, 'nomatch');
    fs.mkdirSync(root);
    const documents = smallRun({ scan_id: 10, beamline_id: 'elsewhere' });
    const uid = (documents[0].doc as { uid: string }).uid;
    const log = writeJsonl(path.join(dir, 'nomatch.jsonl'), documents);
    const { results, diagnostics } = await convertLogs([log], {
      outRoot: root,
      layouts: [everyConstructLayout()],
      registry,
    });
    assert.deepEqual(results, []);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location.run]),
      [['LAYOUT_NO_MATCH', uid]],
    );
    assert.deepEqual(listFiles(root), []);
  });

  test('a template matching on the stop document is refused when it is read, not silently never chosen', () => {
    const text = JSON.parse(fs.readFileSync(EVERY_CONSTRUCT, 'utf8'));
    text.match['stop.exit_status'] = 'success';
    const { layout, diagnostics } = parseLayout(JSON.stringify(text, null, 2), 'stop-match.json');
    assert.equal(layout, undefined);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.location.pointer]),
      [['LAYOUT_SCHEMA', '/match/stop.exit_status']],
    );
  });
});
