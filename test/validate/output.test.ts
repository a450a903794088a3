/** The three output formats and the exit codes. */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findings, REPO, runValidate, SOURCE } from './helpers.js';

const HELPER = `${SOURCE}corpus/handlebars-helper.json`;

test('text: FILE:LINE:COLUMN: severity CODE: message (pointer), and a summary on stderr', async () => {
  const r = await runValidate([HELPER]);
  assert.equal(r.code, 1);
  assert.equal(r.out.length, 1);
  assert.match(
    r.out[0],
    /^.*corpus\/handlebars-helper\.json:7:7: error LAYOUT_HANDLEBARS: unknown handlebars helper "pda" in "scan \{\{pda start\.scan_id 5\}\}": did you mean "pad"\? \(\/tree\/entry:NXentry\/title\) — helpers: /,
  );
  assert.deepEqual(r.err, ['1 template(s): 1 error(s), 0 warning(s)']);
});

test('json: an array of findings with file, line, column, pointer, severity, code, message, hint', async () => {
  const r = await findings([HELPER]);
  assert.equal(r.findings.length, 1);
  const f = r.findings[0];
  assert.deepEqual(Object.keys(f), ['file', 'line', 'column', 'pointer', 'severity', 'code', 'message', 'hint']);
  assert.deepEqual(
    [f.file, f.line, f.column, f.pointer, f.severity, f.code],
    [HELPER, 7, 7, '/tree/entry:NXentry/title', 'error', 'LAYOUT_HANDLEBARS'],
  );
  assert.ok(f.hint?.startsWith('helpers: '));
});

test('github: one workflow command per finding, properties escaped', async () => {
  const r = await runValidate([HELPER, '--format', 'github']);
  assert.equal(r.code, 1);
  assert.equal(r.out.length, 1);
  assert.ok(
    r.out[0].startsWith(`::error file=${HELPER},line=7,col=7,title=LAYOUT_HANDLEBARS::unknown handlebars helper "pda"`),
    r.out[0],
  );
  assert.deepEqual(r.err, []);
});

test('warnings pass, and fail with --strict', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'nxl-validate-'));
  try {
    const file = path.join(dir, 'warn.json');
    await writeFile(
      file,
      JSON.stringify(
        {
          name: 'warn',
          version: '1.0.0',
          file: '{{start.sample_name}}.nxs',
          tree: { 'entry:NXentry': { title: 't' } },
        },
        null,
        2,
      ),
    );
    const plain = await findings([file]);
    assert.equal(plain.code, 0);
    assert.deepEqual(
      plain.findings.map((f) => [f.severity, f.code, f.pointer, f.line]),
      [['warning', 'LAYOUT_FILE_PATH', '/file', 4]],
    );
    assert.equal((await runValidate([file, '--strict'])).code, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('exit 2 on bad usage: missing template, unknown option, unreadable definitions folder, missing log, bad format', async () => {
  const template = `${REPO}templates/default.json`;
  const missing = await runValidate([`${SOURCE}no-such-template.json`]);
  assert.equal(missing.code, 2);
  assert.match(missing.err.join('\n'), /CLI_USAGE: cannot read template .*no-such-template\.json: ENOENT/);
  assert.equal((await runValidate([template, '--no-such-option'])).code, 2);
  const defs = await runValidate([template, '--definitions', `${SOURCE}no-such-dir`]);
  assert.equal(defs.code, 2);
  assert.match(defs.err.join('\n'), /NXDL_DEFINITION: cannot read NeXus definitions folder/);
  const notDefs = await runValidate([template, '--definitions', `${SOURCE}corpus`]);
  assert.equal(notDefs.code, 2);
  assert.equal((await runValidate([template, '--against', `${SOURCE}no-such.jsonl`])).code, 2);
  assert.equal((await runValidate([template, '--format', 'xml'])).code, 2);
});

test('exit 0 for a clean template, and a folder argument validates its *.json', async () => {
  const r = await runValidate([`${SOURCE}fixtures`]);
  assert.equal(r.code, 0);
  assert.match(r.err.at(-1) ?? '', /^3 template\(s\): 0 error\(s\), 0 warning\(s\)$/);
});
