/**
 * A chosen template that fails for a run gives way to the fallback template
 * (issue 11, "Nothing lost" item 2): a stream the run lacks, a required start
 * key missing, a stream that comes late (held, then the chosen template), a
 * failure found only after streaming began, the template's own `fallback`,
 * and --strict keeping today's failure. Every case gives exactly one file
 * (or, with --strict, none), read back with h5wasm and h5dump.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import type { JsonRunResult } from '../../src/cli/reporters/json-output.js';
import type { NamedDocument } from '../../src/documents/models.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { composeRun } from '../../src/run/testing.js';
import { nxlayoutIn } from '../cli/helpers.js';
import { writeJsonl } from './every-construct-run.js';
import { dumpNumbers, rows, tool, withFile } from './h5.js';
import { DEFAULT_TEMPLATE } from './paths.js';
import { layoutFrom, listFiles, temps } from './support.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-integration-fallback-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const PROV = '/entry/nxlayout_provenance';
const PRIMARY = '/entry/instrument/bluesky/streams/primary';

/** A run of `n` primary events (det = 10·i); `late`: a `dark` stream after `late` events; `darkKeys`: its fields. */
function run(
  uid: string,
  n: number,
  options: { late?: number; darkKeys?: string[]; stop?: boolean } = {},
): NamedDocument[] {
  const b = composeRun({ uid, time: 1_700_000_000, scan_id: 7, plan_name: 'count', detectors: ['det'] } as never);
  const p = b.descriptor('primary', { det: { units: 'counts' }, I0: {} });
  for (let i = 0; i < n; i++) {
    if (i === options.late) {
      const keys = options.darkKeys ?? ['det', 'I0'];
      b.descriptor('dark', Object.fromEntries(keys.map((k) => [k, {}]))).event(
        Object.fromEntries(keys.map((k) => [k, -1])),
      );
    }
    p.event({ det: 10 * i, I0: i });
  }
  if (options.stop !== false) b.stop();
  return b.documents();
}

function template(name: string, tree: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify(
    { name, version: '1.0.0', file: `${name}_{{start.scan_id}}.nxs`, ...extra, tree: { 'entry:NXentry': tree } },
    null,
    1,
  );
}

const NEEDS_DARK = template('needs-dark', {
  dark_mean: { type: 'linked', location: 'event', stream: 'dark', field: 'det' },
  det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
});
const NEEDS_SAMPLE = template('needs-sample', {
  sample_name: { type: 'linked', location: 'start', field: 'sample_name' },
  det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' },
});
/** Every stream must have an I0: true of primary at the first flush, false of a `dark` stream without one that comes later. */
const I0_PER_STREAM = template('i0-per-stream', {
  '{{stream}}:NXcollection': {
    $repeat: { over: 'streams' },
    I0: { type: 'linked', location: 'event', stream: '{{stream}}', field: 'I0' },
  },
});

let defaultLayout: Layout | undefined;
async function write(
  name: string,
  documents: NamedDocument[],
  chosen: Layout,
  options: { strict?: boolean } = {},
): Promise<{ result: RunResult; out: string; file: string }> {
  defaultLayout ??= (await loadLayout(DEFAULT_TEMPLATE)).layout;
  assert.ok(defaultLayout);
  const log = writeJsonl(path.join(dir, `${name}.jsonl`), documents);
  const out = path.join(dir, `out-${name}`);
  fs.mkdirSync(out, { recursive: true });
  const { results } = await convertLogs([log], {
    outRoot: out,
    layouts: [chosen],
    fallback: defaultLayout,
    registry: createDefaultRegistry(),
    decodeThreads: 0,
    ...options,
  });
  assert.equal(results.length, 1);
  const result = results[0]!;
  assert.deepEqual(temps(out), []);
  const files = fs.existsSync(out) ? listFiles(out) : [];
  return { result, out, file: files.length === 1 ? path.join(out, files[0]!) : '' };
}

function text(file: string, p: string): string {
  return withFile(file, (f) => {
    const v = rows(f, p);
    return String(Array.isArray(v) ? v[0] : v);
  });
}

function warnings(r: RunResult, code: string): string[] {
  return r.diagnostics.filter((d) => d.code === code).map((d) => `${d.severity}: ${d.message}`);
}

describe('a template that fails for a run gives way to the fallback', () => {
  test('a stream the run lacks: one file, written with the default template, recording both templates', async () => {
    const { result, out, file } = await write(
      'no-dark',
      run('fb000000-0000-4000-8000-000000000001', 5),
      layoutFrom(NEEDS_DARK, 'needs-dark.json'),
    );
    assert.equal(result.status, 'written');
    assert.equal(listFiles(out).length, 1);
    assert.equal(result.layout, 'default@1.0.0');
    assert.equal(result.fallbackFrom, 'needs-dark@1.0.0');
    const [warning, ...more] = warnings(result, 'LAYOUT_FALLBACK');
    assert.equal(more.length, 0);
    assert.match(
      warning!,
      /^warning: template needs-dark@1\.0\.0 fails for run fb000000 \(EVAL_STREAM_MISSING: .*dark.*\): written with the fallback template default@1\.0\.0$/,
    );
    assert.equal(result.diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.equal(text(file, `${PROV}/template_name`), 'default');
    assert.equal(text(file, `${PROV}/template_tried`), 'needs-dark@1.0.0');
    assert.equal(text(file, `${PROV}/template_tried_file`), 'needs-dark.json');
    assert.match(
      text(file, `${PROV}/template_tried_failure`),
      /^EVAL_STREAM_MISSING: .*dark.* \(at \/entry\/dark_mean\)$/,
    );
    assert.deepEqual(dumpNumbers(file, `${PRIMARY}/det/value`), [0, 10, 20, 30, 40]);
    assert.match(tool('h5dump', ['-d', `${PROV}/template_tried`, file]), /"needs-dark@1\.0\.0"/);
  });

  test('a required start key missing, in a run long enough to stream: the switch comes at the first flush and every row is written', async () => {
    const { result, file } = await write(
      'no-sample',
      run('fb000000-0000-4000-8000-000000000002', 2000),
      layoutFrom(NEEDS_SAMPLE, 'needs-sample.json'),
    );
    assert.equal(result.status, 'written');
    assert.equal(result.fallbackFrom, 'needs-sample@1.0.0');
    assert.equal(warnings(result, 'LAYOUT_FALLBACK').length, 1);
    assert.match(warnings(result, 'LAYOUT_FALLBACK')[0]!, /EVAL_START_MISSING: start document has no "sample_name"/);
    assert.match(
      text(file, `${PROV}/template_tried_failure`),
      /^EVAL_START_MISSING: start document has no "sample_name"/,
    );
    const det = dumpNumbers(file, `${PRIMARY}/det/value`);
    assert.equal(det.length, 2000);
    assert.deepEqual([det[0], det[511], det[512], det[1999]], [0, 5110, 5120, 19990]);
    // Streamed: the column was created at the first flush, chunked and resizable.
    assert.match(tool('h5dump', ['-H', '-p', '-d', `${PRIMARY}/det/value`, file]), /CHUNKED/);
  });

  test('a stream that comes after the first flush: the run is held, then written with the chosen template', async () => {
    const { result, file } = await write(
      'late-dark',
      run('fb000000-0000-4000-8000-000000000003', 2000, { late: 1500 }),
      layoutFrom(NEEDS_DARK, 'needs-dark.json'),
    );
    assert.equal(result.status, 'written');
    assert.equal(result.layout, 'needs-dark@1.0.0');
    assert.equal(result.fallbackFrom, undefined);
    assert.deepEqual(warnings(result, 'LAYOUT_FALLBACK'), []);
    assert.equal(path.basename(file), 'needs-dark_7.nxs');
    const det = dumpNumbers(file, '/entry/det');
    assert.equal(det.length, 2000);
    assert.equal(det[1999], 19990);
    assert.deepEqual(dumpNumbers(file, '/entry/dark_mean'), [-1]);
    withFile(file, (f) => assert.equal(f.get(`${PROV}/template_tried`), null));
  });

  test('a stream that never comes, in a long run: held to the end, then the fallback gets every row', async () => {
    const { result, file } = await write(
      'never-dark',
      run('fb000000-0000-4000-8000-000000000004', 1500),
      layoutFrom(NEEDS_DARK, 'needs-dark.json'),
    );
    assert.equal(result.fallbackFrom, 'needs-dark@1.0.0');
    const det = dumpNumbers(file, `${PRIMARY}/det/value`);
    assert.equal(det.length, 1500);
    assert.equal(det[1499], 14990);
    assert.equal(dumpNumbers(file, `${PRIMARY}/I0/value`).length, 1500);
  });

  test('a failure found only after streaming began: rewritten from what the abandoned file holds; only columns never written are left out', async () => {
    const docs = run('fb000000-0000-4000-8000-000000000005', 1200, { late: 1100, darkKeys: ['det'] });
    const { result, file } = await write('late-failure', docs, layoutFrom(I0_PER_STREAM, 'i0-per-stream.json'));
    assert.equal(result.status, 'written');
    assert.equal(result.fallbackFrom, 'i0-per-stream@1.0.0');
    const [warning, ...more] = warnings(result, 'LAYOUT_FALLBACK');
    assert.equal(more.length, 0);
    assert.match(
      warning!,
      /EVAL_FIELD_MISSING: .*I0.*: written with the fallback template default@1\.0\.0; rows already released, left out: (.*)$/,
    );
    const leftOut = /left out: (.*)$/.exec(warning!)![1]!.split(', ');
    assert.deepEqual(leftOut.sort(), [`${PRIMARY}/I0/time`, `${PRIMARY}/det/time`, `${PRIMARY}/det/value`]);
    assert.match(text(file, `${PROV}/template_tried_failure`), /EVAL_FIELD_MISSING/);
    // primary/I0 was streamed under the chosen template: read back from its file, every row.
    const i0 = dumpNumbers(file, `${PRIMARY}/I0/value`);
    assert.equal(i0.length, 1200);
    assert.deepEqual([i0[0], i0[511], i0[512], i0[1199]], [0, 511, 512, 1199]);
    // The dark stream came after the last flush: its rows are all there.
    assert.deepEqual(dumpNumbers(file, '/entry/instrument/bluesky/streams/dark/det/value'), [-1]);
    withFile(file, (f) => assert.equal(f.get(`${PRIMARY}/det/value`), null));
  });

  test('a file name the start document cannot give: the switch comes when the run opens', async () => {
    const tpl = JSON.stringify({
      name: 'by-sample',
      version: '1.0.0',
      file: '{{start.sample_name}}.nxs',
      tree: { 'entry:NXentry': { x: 1 } },
    });
    const { result, out, file } = await write(
      'file-name',
      run('fb000000-0000-4000-8000-000000000008', 3),
      layoutFrom(tpl, 'by-sample.json'),
    );
    assert.equal(result.status, 'written');
    assert.equal(result.fallbackFrom, 'by-sample@1.0.0');
    assert.match(
      warnings(result, 'LAYOUT_FALLBACK')[0]!,
      /\(EVAL_START_MISSING: the file name "\{\{start\.sample_name\}\}\.nxs" uses start\.sample_name, which the run does not have \(at \/file\)\)/,
    );
    assert.deepEqual(listFiles(out), ['00007_fb000000.nxs']);
    assert.equal(text(file, `${PROV}/template_tried`), 'by-sample@1.0.0');
    assert.equal(text(file, `${PROV}/template_name`), 'default');
  });

  test('--strict (strict: true): the run fails as before, no file', async () => {
    const { result, out } = await write(
      'strict',
      run('fb000000-0000-4000-8000-000000000006', 5),
      layoutFrom(NEEDS_DARK, 'needs-dark.json'),
      { strict: true },
    );
    assert.equal(result.status, 'failed');
    assert.equal(result.fallbackFrom, undefined);
    assert.deepEqual(warnings(result, 'LAYOUT_FALLBACK'), []);
    assert.ok(result.diagnostics.some((d) => d.code === 'EVAL_STREAM_MISSING' && d.severity === 'error'));
    assert.deepEqual(fs.existsSync(out) ? listFiles(out) : [], []);
  });
});

describe("the command line: a template's own fallback, and --strict", () => {
  const templates = path.join(dir, 'templates');
  fs.mkdirSync(templates, { recursive: true });
  fs.writeFileSync(
    path.join(templates, 'needs-dark.json'),
    template('needs-dark', JSON.parse(NEEDS_DARK).tree['entry:NXentry'], {
      fallback: 'plain',
      match: { 'start.plan_name': 'count' },
    }),
  );
  fs.writeFileSync(
    path.join(templates, 'plain.json'),
    template(
      'plain',
      { det: { type: 'linked', location: 'event', stream: 'primary', field: 'det' } },
      { match: { 'start.plan_name': 'never' } },
    ),
  );
  const log = writeJsonl(path.join(dir, 'cli.jsonl'), run('fb000000-0000-4000-8000-000000000007', 4));

  test('write --templates DIR: the template names `fallback: "plain"`, and the run is written with it', async () => {
    const out = path.join(dir, 'out-cli-own');
    const r = await nxlayoutIn(['write', log, '--templates', templates, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^wrote .*plain_7\.nxs {2}\(run fb000000, scan 7, plain@1\.0\.0 \(fallback: needs-dark@1\.0\.0 failed\), 4 events/m,
    );
    assert.match(
      r.stderr,
      /warning LAYOUT_FALLBACK: template needs-dark@1\.0\.0 fails for run fb000000 .*written with the fallback template plain@1\.0\.0/,
    );
    assert.deepEqual(listFiles(out), ['plain_7.nxs']);
    const file = path.join(out, 'plain_7.nxs');
    assert.deepEqual(dumpNumbers(file, '/entry/det'), [0, 10, 20, 30]);
    assert.equal(text(file, `${PROV}/template_name`), 'plain');
    assert.equal(text(file, `${PROV}/template_tried`), 'needs-dark@1.0.0');
  });

  test('write --template FILE whose fallback is a .json file beside it', async () => {
    const own = path.join(dir, 'own');
    fs.mkdirSync(own, { recursive: true });
    fs.copyFileSync(path.join(templates, 'plain.json'), path.join(own, 'plain.json'));
    fs.writeFileSync(
      path.join(own, 'chosen.json'),
      template('chosen', JSON.parse(NEEDS_SAMPLE).tree['entry:NXentry'], { fallback: 'plain.json' }),
    );
    const out = path.join(dir, 'out-cli-file');
    const r = await nxlayoutIn(['write', log, '--template', path.join(own, 'chosen.json'), '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(listFiles(out), ['plain_7.nxs']);
    assert.equal(text(path.join(out, 'plain_7.nxs'), `${PROV}/template_tried`), 'chosen@1.0.0');
    const json = await nxlayoutIn([
      'write',
      log,
      '--template',
      path.join(own, 'chosen.json'),
      '--out',
      out,
      '--overwrite',
      '--json',
    ]);
    const [result] = (JSON.parse(json.stdout) as { runs: JsonRunResult[] }).runs;
    assert.deepEqual(
      [result!.status, result!.template, result!.fallback_from],
      ['written', 'plain@1.0.0', 'chosen@1.0.0'],
    );
    assert.ok(result!.diagnostics.some((d) => d.code === 'LAYOUT_FALLBACK' && d.severity === 'warning'));
  });

  test('a `fallback` that names no template stops the command (exit 2), naming it', async () => {
    const bad = path.join(dir, 'bad-fallback.json');
    fs.writeFileSync(bad, template('bad', {}, { fallback: 'nowhere' }));
    const r = await nxlayoutIn(['write', log, '--template', bad, '--out', path.join(dir, 'out-bad')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /LAYOUT_FALLBACK: fallback "nowhere" of template bad is not a template here/);
  });

  test('write --strict: the run fails as before (exit 1, no file)', async () => {
    const out = path.join(dir, 'out-cli-strict');
    const r = await nxlayoutIn(['write', log, '--templates', templates, '--out', out, '--strict']);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^FAILED run fb000000, scan 7: nothing written/m);
    assert.doesNotMatch(r.stderr, /LAYOUT_FALLBACK/);
    assert.deepEqual(fs.existsSync(out) ? listFiles(out) : [], []);
  });

  test('watch --once goes through the same writer: the run gets the fallback file', async () => {
    const spool = path.join(dir, 'spool');
    fs.mkdirSync(spool, { recursive: true });
    fs.copyFileSync(log, path.join(spool, 'run.jsonl'));
    const out = path.join(dir, 'out-watch');
    fs.mkdirSync(out, { recursive: true });
    const r = await nxlayoutIn(['watch', spool, '--templates', templates, '--out', out, '--once']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr + r.stdout, /LAYOUT_FALLBACK/);
    assert.deepEqual(
      listFiles(out).filter((f) => !f.startsWith('.nxlayout-state')),
      ['plain_7.nxs'],
    );
    assert.equal(text(path.join(out, 'plain_7.nxs'), `${PROV}/template_tried`), 'needs-dark@1.0.0');
  });
});
