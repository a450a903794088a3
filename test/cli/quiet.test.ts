/**
 * Quiet by default: one line per run, warnings summarised by code with counts,
 * a final summary line; `optional: "quiet"` nodes (what a normal run lacks)
 * give no warning; --quiet prints errors only; --verbose lists every warning.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoCrash, lines, nxlayoutIn, REPO, tempDir } from './helpers.js';
import { COUNTS, quietRealdata, realdataSample } from './quiet-realdata.js';

const EXAMPLES = path.join(REPO, 'examples', 'runs');

let dir = '';
before(async () => {
  dir = tempDir('quiet');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A template: `x` a start key no run has, `optional: "quiet"`; `y` another, `optional: true`. */
function twoOptionals(): string {
  const file = path.join(dir, 'two-optionals.json');
  const tree = {
    'entry:NXentry': {
      title: 'demo',
      x: { type: 'linked', location: 'start', field: 'no_such_key', optional: 'quiet' },
      y: { type: 'linked', location: 'start', field: 'nor_this_one', optional: true },
    },
  };
  fs.writeFileSync(file, JSON.stringify({ name: 'two-optionals', version: '1.0.0', file: '{{run.uid}}.nxs', tree }));
  return file;
}

describe('write is quiet by default', () => {
  test('a sample of ../shared/realdata with the default template: one line per run on stdout, no warning for units or optional metadata, a summary line (all of it: quiet.slow.test.ts)', async () => {
    const sample = realdataSample(dir);
    await quietRealdata(sample, sample, dir);
  });

  test('optional: "quiet" is an info (in --json only), optional: true a warning counted by code; --quiet prints nothing but errors', async () => {
    const template = twoOptionals();
    const out = path.join(dir, 'two');
    const r = await nxlayoutIn([
      'write',
      path.join(EXAMPLES, 'scan-00001.jsonl'),
      '--out',
      out,
      '--template',
      template,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(lines(r.stdout).length, 1);
    assert.deepEqual(lines(r.stderr), [
      'run 5c1a7e2d: 1 kind of warning, 1 in all: EVAL_START_MISSING ×1; --verbose lists them',
      '1 of 1 runs written; 1 kind of warning, 1 in all: EVAL_START_MISSING ×1; --verbose lists them',
    ]);
    const json = await nxlayoutIn([
      'write',
      path.join(EXAMPLES, 'scan-00001.jsonl'),
      '--out',
      out,
      '--template',
      template,
      '--overwrite',
      '--json',
    ]);
    const [run] = (
      JSON.parse(json.stdout) as { runs: { diagnostics: { severity: string; location: { nexus_path?: string } }[] }[] }
    ).runs;
    const missing = run!.diagnostics.filter(
      (d) => d.location.nexus_path === '/entry/x' || d.location.nexus_path === '/entry/y',
    );
    assert.deepEqual(
      missing.map((d) => [d.location.nexus_path, d.severity]),
      [
        ['/entry/x', 'info'],
        ['/entry/y', 'warning'],
      ],
    );
    const quiet = await nxlayoutIn([
      'write',
      path.join(EXAMPLES, 'scan-00001.jsonl'),
      '--out',
      out,
      '--template',
      template,
      '--overwrite',
      '--quiet',
    ]);
    assert.equal(quiet.status, 0);
    assert.equal(quiet.stdout, '');
    assert.equal(quiet.stderr, '');
    const failing = await nxlayoutIn([
      'write',
      path.join(EXAMPLES, 'scan-00001.jsonl'),
      '--out',
      out,
      '--template',
      template,
      '--quiet',
    ]);
    assert.equal(failing.status, 1, 'the file exists: the run fails');
    assert.equal(failing.stdout, '');
    assert.ok(
      lines(failing.stderr).length >= 1 && lines(failing.stderr).every((l) => / error [A-Z_]+: /.test(l)),
      failing.stderr,
    );
  });
});

describe('watch is quiet too', () => {
  test('stderr: one WARNING line per run with warnings, counted by code; none for the shipped templates; --quiet: nothing for runs written', async () => {
    const spool = path.join(dir, 'spool');
    fs.cpSync(EXAMPLES, spool, { recursive: true });
    const shipped = path.join(dir, 'watch-shipped');
    fs.mkdirSync(shipped);
    const a = await nxlayoutIn(['watch', spool, '--out', shipped, '--once']);
    assertNoCrash(a);
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stderr, '', 'the shipped templates: no warning for a normal run');
    assert.equal(lines(a.stdout).filter((l) => / wrote /.test(l)).length, 3);
    const counted = path.join(dir, 'watch-counted');
    fs.mkdirSync(counted);
    const b = await nxlayoutIn(['watch', spool, '--out', counted, '--once', '--template', twoOptionals()]);
    assert.equal(b.status, 0, b.stderr);
    const warnings = lines(b.stderr);
    assert.equal(warnings.length, 3, b.stderr);
    for (const l of warnings) assert.match(l.replace(/^\S+ WARNING /, ''), COUNTS);
    const quiet = path.join(dir, 'watch-quiet');
    fs.mkdirSync(quiet);
    const c = await nxlayoutIn(['watch', spool, '--out', quiet, '--once', '--template', twoOptionals(), '--quiet']);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout + c.stderr, '');
    assert.equal(fs.readdirSync(quiet).filter((n) => n.endsWith('.nxs')).length, 3);
  });
});
