/**
 * One vocabulary: every JSON nxlayout prints (write, runs, inspect, validate,
 * watch's log lines, the journal) validates against its schema under
 * schemas/output/, with snake_case keys only; exit codes are the README's.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { assertNoCrash, lines, nxlayoutIn, REPO, tempDir, type CliResult } from './helpers.js';

const SCHEMAS = path.join(REPO, 'schemas', 'output');
const EXAMPLES = path.join(REPO, 'examples', 'runs');
const XPCS = path.join(REPO, 'examples', 'xpcs');

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
for (const name of fs.readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), 'utf8')) as object, name);
}

function assertValid(schema: string, value: unknown, what: string): void {
  const validate = ajv.getSchema(schema) as ValidateFunction | undefined;
  assert.ok(validate, `schema ${schema}`);
  assert.ok(
    validate(value),
    `${what} does not follow ${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 2000)}`,
  );
}

/** Every key of a JSON value (a dry run's plan values excepted: they are data). */
function keysOf(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) keysOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      if (
        k !== 'data' &&
        k !== 'num_events' &&
        k !== 'value' &&
        k !== 'preview' &&
        k !== 'warnings_by_code' &&
        k !== 'errors_by_code'
      )
        keysOf(x, out);
    }
  }
  return out;
}

function assertSnakeCase(v: unknown, what: string): void {
  const camel = [...new Set(keysOf(v).filter((k) => /[a-z][A-Z]/.test(k)))];
  assert.deepEqual(camel, [], `${what}: camelCase keys`);
}

/** No message says "undefined" or repeats its prefix ("ENOENT: ENOENT:"). */
function assertCleanMessages(r: CliResult, what: string): void {
  const text = `${r.stdout}\n${r.stderr}`;
  assert.doesNotMatch(text, /\bundefined\b/, `${what}: "undefined" in a message`);
  assert.doesNotMatch(text, /\b([A-Z][A-Z_]{2,}): \1:/, `${what}: a doubled prefix`);
}

let dir = '';
before(async () => {
  dir = tempDir('json');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JSON outputs follow their schemas (schemas/output), snake_case only', () => {
  test('write --json: written runs, then failed ones (file exists): a failed run names no file', async () => {
    const out = path.join(dir, 'write');
    const first = await nxlayoutIn(['write', EXAMPLES, '--out', out, '--json']);
    assert.equal(first.status, 0, first.stderr);
    const written = JSON.parse(first.stdout) as {
      runs: { status: string; file: string | null; template_sha256: string; ms: number }[];
    };
    assertValid('write.schema.json', written, 'write --json');
    assertSnakeCase(written, 'write --json');
    assert.equal(written.runs.length, 3);
    for (const r of written.runs) assert.ok(r.status === 'written' && r.file !== null && fs.existsSync(r.file));
    const again = await nxlayoutIn(['write', EXAMPLES, '--out', out, '--json']);
    assert.equal(again.status, 1, 'failed runs: exit 1');
    const failed = JSON.parse(again.stdout) as {
      runs: { status: string; file: string | null; diagnostics: { code: string }[] }[];
    };
    assertValid('write.schema.json', failed, 'write --json (failed runs)');
    assert.deepEqual(
      failed.runs.map((r) => [r.status, r.file]),
      [
        ['failed', null],
        ['failed', null],
        ['failed', null],
      ],
    );
    assert.ok(failed.runs.every((r) => r.diagnostics.some((d) => d.code === 'NEXUS_EXISTS')));
    assertCleanMessages(again, 'write (failed)');
  });

  test('write --dry-run --json: the plan too', async () => {
    const r = await nxlayoutIn(['write', EXAMPLES, '--dry-run', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { runs: { status: string; plan?: unknown }[] };
    assertValid('write.schema.json', json, 'write --dry-run --json');
    assertSnakeCase(json, 'write --dry-run --json');
    assert.ok(json.runs.every((x) => x.status === 'planned' && typeof x.plan === 'object'));
  });

  test('runs --json', async () => {
    const r = await nxlayoutIn(['runs', EXAMPLES, XPCS, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as unknown[];
    assertValid('runs.schema.json', json, 'runs --json');
    assertSnakeCase(json, 'runs --json');
    assert.equal(json.length, 5);
  });

  test('inspect --json (a file with soft and external links)', async () => {
    const out = path.join(dir, 'inspect');
    assert.equal((await nxlayoutIn(['write', XPCS, '--out', out])).status, 0);
    const file = path.join(out, 'A002_silica', 'A002_silica_00042_metadata.hdf');
    const r = await nxlayoutIn(['inspect', file, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as unknown;
    assertValid('inspect.schema.json', json, 'inspect --json');
    assertSnakeCase(json, 'inspect --json');
    assert.match(r.stdout, /"external-link"/);
  });

  test('validate --format json --against: findings with nexus_path', async () => {
    const r = await nxlayoutIn([
      'validate',
      path.join(REPO, 'templates', 'aps-8id-xpcs.json'),
      '--against',
      XPCS,
      '--format',
      'json',
      '--definition',
      'NXxpcs',
    ]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    const json = JSON.parse(r.stdout) as unknown[];
    assertValid('validate.schema.json', json, 'validate --format json');
    assertSnakeCase(json, 'validate --format json');
    assert.ok(json.length > 0);
  });

  test('watch --once --log-format json: every line, and every journal line', async () => {
    const spool = path.join(dir, 'spool');
    const out = path.join(dir, 'watch-out');
    fs.mkdirSync(out);
    fs.cpSync(EXAMPLES, spool, { recursive: true });
    fs.writeFileSync(path.join(spool, 'junk.jsonl'), 'not a log\n');
    const r = await nxlayoutIn(['watch', spool, '--out', out, '--once', '--log-format', 'json']);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const logLines = [...lines(r.stdout), ...lines(r.stderr)].map((l) => JSON.parse(l) as { event: string });
    for (const line of logLines) {
      assertValid('watch-log.schema.json', line, `watch log line ${JSON.stringify(line).slice(0, 200)}`);
      assertSnakeCase(line, 'watch log line');
    }
    assert.equal(logLines.filter((l) => l.event === 'run').length, 3);
    assert.ok(logLines.some((l) => l.event === 'log-rejected'));
    assert.ok(logLines.some((l) => l.event === 'summary'));
    const journal = lines(fs.readFileSync(path.join(out, '.nxlayout-state', 'journal.jsonl'), 'utf8')).map(
      (l) => JSON.parse(l) as unknown,
    );
    for (const record of journal) assertValid('journal.schema.json', record, 'journal line');
    assertSnakeCase(journal, 'journal');
    assert.ok(journal.length >= 4);
  });
});

/** A template with one schema error (`optional` must be true, false or "quiet"). */
function badTemplate(): string {
  const file = path.join(dir, 'bad-template.json');
  const tree = { 'entry:NXentry': { x: { type: 'linked', location: 'start', field: 'scan_id', optional: 'yes' } } };
  fs.writeFileSync(file, JSON.stringify({ name: 'bad', version: '1.0.0', file: 'out.nxs', tree }));
  return file;
}

describe("exit codes are the README's: 0 success, 1 findings at error level, 2 bad usage or an unreadable input", () => {
  const missing = '/nonexistent/nxlayout-test';
  const cases: [string, () => string[], number][] = [
    ['write: a path that does not exist', () => ['write', missing, '--out', path.join(dir, 'x')], 2],
    ['write: no --out', () => ['write', EXAMPLES], 2],
    ['write: every run written', () => ['write', EXAMPLES, '--out', path.join(dir, 'exit-write')], 0],
    [
      'write: a log with no run',
      () => ['write', path.join(REPO, 'package.json'), '--out', path.join(dir, 'exit-none')],
      1,
    ],
    ['runs: a path that does not exist', () => ['runs', missing], 2],
    ['runs: runs listed', () => ['runs', EXAMPLES], 0],
    ['runs: no run could be read', () => ['runs', path.join(REPO, 'package.json')], 1],
    ['inspect: a file that does not exist', () => ['inspect', missing], 2],
    ['inspect: not an HDF5 file', () => ['inspect', path.join(REPO, 'package.json')], 2],
    ['validate: a template that does not exist', () => ['validate', missing], 2],
    ['validate: the shipped templates', () => ['validate', path.join(REPO, 'templates')], 0],
    ['validate: a template with an error', () => ['validate', badTemplate()], 1],
    [
      'write: a broken template',
      () => ['write', EXAMPLES, '--out', path.join(dir, 'exit-bad'), '--template', badTemplate()],
      2,
    ],
    ['watch: a spool that does not exist', () => ['watch', missing, '--out', dir, '--once'], 2],
    ['an unknown command', () => ['frobnicate'], 2],
  ];
  for (const [what, args, expected] of cases) {
    test(`${what}: exit ${expected}`, async () => {
      const r = await nxlayoutIn(args());
      assertNoCrash(r);
      assert.equal(r.status, expected, `${args().join(' ')}\n${r.stderr}`);
      assertCleanMessages(r, what);
    });
  }
});
