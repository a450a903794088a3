/**
 * `nxlayout write` of real data with the default template is quiet: one line per run on stdout, no
 * warning for units or optional metadata, warnings counted by code, a summary line; --verbose lists
 * each warning. quiet.test.ts runs it on a sample of ../shared/realdata (one log of each kind),
 * quiet.slow.test.ts on all of it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoCrash, lines, nxlayoutIn, REALDATA, REPO } from './helpers.js';

const DEFAULT = path.join(REPO, 'templates', 'default.json');
export const COUNTS =
  /^run [0-9a-f{][^:]{7}: (1 kind|\d+ kinds) of warning, \d+ in all: [A-Z_]+ ×\d+(, [A-Z_]+ ×\d+)*; --verbose lists them$/;

/** A directory of a few logs of ../shared/realdata, one of each kind (apstools JSON, databroker-pack msgpack and JSONL). */
export function realdataSample(dir: string): string {
  const sample = path.join(dir, 'realdata-sample');
  fs.mkdirSync(sample, { recursive: true });
  for (const log of [
    'apstools/uid-b31e8698.json',
    'apstools/uid-3ab777ae.json',
    'databroker-pack/simple_catalog/documents/4e22852d-33b1-49d2-bf73-2b1478a8f0b4.msgpack',
    'databroker-pack/simple_catalog_jsonl_history/1069c439-44ec-4978-b04c-f80319882d51.jsonl',
  ])
    fs.copyFileSync(path.join(REALDATA, log), path.join(sample, path.basename(log)));
  return sample;
}

/** `write INPUT` then `write QUIETLOG` with and without --verbose, into DIR. */
export async function quietRealdata(input: string, quietLog: string, dir: string): Promise<void> {
  const out = path.join(dir, 'realdata');
  const r = await nxlayoutIn(['write', input, '--out', out, '--template', DEFAULT]);
  assertNoCrash(r);
  assert.equal(r.status, 0, r.stderr);
  const stdout = lines(r.stdout);
  const files = fs.readdirSync(out).filter((n) => n.endsWith('.nxs'));
  assert.equal(stdout.length, files.length, 'one line per run');
  assert.ok(
    stdout.every((l) => l.startsWith('wrote ')),
    r.stdout,
  );
  const stderr = lines(r.stderr);
  const summary = stderr.at(-1) ?? '';
  assert.match(
    summary,
    new RegExp(
      `^${files.length} of ${files.length} runs written; (1 kind|\\d+ kinds) of warning, \\d+ in all: [A-Z_]+ ×\\d+.*; --verbose lists them$`,
    ),
  );
  assert.doesNotMatch(summary, /EVAL_FIELD_MISSING ×[1-9]\d/, 'no tens of missing units');
  // The rest: a line per run that has warnings (counted by code), and the input's own errors (a legacy log), never units or metadata.
  for (const l of stderr.slice(0, -1))
    assert.ok(COUNTS.test(l) || / error [A-Z_]+: /.test(l), `unexpected stderr line: ${l}`);
  assert.ok(stderr.length - 1 < files.length, `fewer stderr lines than runs: ${stderr.length - 1}`);
  assert.doesNotMatch(r.stderr, /\.units|no_such|metadata/);
  // --verbose lists what was counted; the units a data key lacks stay quiet (info, not warning) even then.
  const counted = await nxlayoutIn(['write', quietLog, '--out', path.join(dir, 'usaxs'), '--template', DEFAULT]);
  const verbose = await nxlayoutIn([
    'write',
    quietLog,
    '--out',
    path.join(dir, 'usaxs'),
    '--template',
    DEFAULT,
    '--overwrite',
    '--verbose',
  ]);
  assert.equal(verbose.status, 0, verbose.stderr.slice(-3000));
  assert.ok(lines(verbose.stderr).length > lines(counted.stderr).length, 'verbose lists each warning');
  assert.doesNotMatch(verbose.stderr, /\.units/);
}
