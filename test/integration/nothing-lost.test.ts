/**
 * Issue 11, "Nothing lost": every run of the broken-runs fixtures gets
 * exactly one file through `nxlayout write` (spawned), read back with h5dump:
 * its values, and its status and problems record. `--json` holds every
 * diagnostic printed on stderr; `--strict` keeps the old behaviour; `watch`
 * reports what `write` reports; the decoding threads read the same.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import type { JsonDiagnostic, JsonRunResult } from '../../src/cli/reporters/json-output.js';
import { parseJsonText } from '../../src/documents/index.js';
import { formatDiagnostic, type Diagnostic } from '../../src/errors.js';
import { createDefaultRegistry } from '../../src/evaluate/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { assertNoCrash, type CliResult, lines, nxlayoutIn } from '../cli/helpers.js';
import { BROKEN_RUNS, type BrokenRun } from './broken-runs.js';
import { dumpDataBody, rows, tool, withFile } from './h5.js';
import { DEFAULT_TEMPLATE } from './paths.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-nothing-lost-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const logs = path.join(dir, 'logs');
fs.mkdirSync(logs);
for (const run of BROKEN_RUNS) fs.writeFileSync(path.join(logs, `${run.name}.jsonl`), run.text);
const byName = new Map(BROKEN_RUNS.map((r) => [r.name, r]));
const runOf = (name: string): BrokenRun => byName.get(name)!;

interface WriteJson {
  runs: JsonRunResult[];
  diagnostics: JsonDiagnostic[];
}

const STREAM = '/entry/instrument/bluesky/streams/primary';
const PROVENANCE = '/entry/nxlayout_provenance';

/**
 * The values h5dump prints for a dataset (numbers as numbers, NaN and ±inf included; strings as strings):
 * from one cached h5dump of the whole file (-y -w 0) for the checks of a file, h5dump -d for a link.
 */
function dumped(file: string, p: string): (number | string)[] {
  const values: (number | string)[] = [];
  for (const v of dumpDataBody(file, p).match(/"(?:[^"\\]|\\.)*"|[^,\s]+/g) ?? []) {
    if (v.startsWith('"')) values.push(v.slice(1, -1));
    else values.push(v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
  }
  return values;
}

/** A string attribute as h5dump reads it (undefined: h5dump finds none). */
function dumpedAttribute(file: string, p: string, name: string): string | undefined {
  const out = tool('h5dump', ['-A', '-g', p, file]);
  const at = out.indexOf(`ATTRIBUTE "${name}"`);
  return at < 0 ? undefined : out.slice(at).match(/\(0\): "([^"]*)"/)?.[1];
}

describe('nxlayout write: every broken run gets exactly one file, marked for what went wrong', () => {
  let r: CliResult;
  let json: WriteJson;
  const out = path.join(dir, 'out');
  const result = (name: string) => json.runs.find((x) => x.uid === runOf(name).uid)!;
  const file = (name: string): string => result(name).file!;
  const codes = (name: string): string[] => result(name).diagnostics.map((d) => d.code);
  const problems = (name: string): string[] =>
    withFile(file(name), (f) => [rows(f, `${PROVENANCE}/problems`)].flat() as string[]);
  const status = (name: string): number | string => dumped(file(name), `${PROVENANCE}/status`)[0];

  before(async () => {
    r = await nxlayoutIn(['write', logs, '--out', out, '--json']);
    json = JSON.parse(r.stdout) as WriteJson;
  });

  test('one file per run, every run written, exit 0', async () => {
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(json.runs.map((x) => x.uid).sort(), BROKEN_RUNS.map((x) => x.uid).sort());
    assert.ok(
      json.runs.every((x) => x.status === 'written'),
      JSON.stringify(json.runs.map((x) => [x.uid, x.status])),
    );
    const files = fs.readdirSync(out).filter((n) => n.endsWith('.nxs'));
    assert.equal(files.length, BROKEN_RUNS.length);
    assert.deepEqual(new Set(json.runs.map((x) => path.basename(x.file!))), new Set(files));
  });

  test("legacy keys (a resource's `id`, no `root`, extra keys in datum, descriptor, event): kept with DOC_SCHEMA warnings, every event written", async () => {
    const warnings = result('legacy').diagnostics.filter((d) => d.code === 'DOC_SCHEMA');
    assert.ok(warnings.length >= 6, JSON.stringify(warnings.map((d) => d.location.pointer)));
    assert.ok(warnings.every((d) => d.severity === 'warning'));
    const pointers = new Set(warnings.map((d) => `${d.location.document?.name} ${d.location.pointer}`));
    for (const p of [
      'resource /id',
      'resource /ts',
      'resource ',
      'datum /legacy_note',
      'event /legacy_event_key',
      'descriptor /legacy.key',
    ]) {
      assert.ok(
        [...pointers].some((x) => x === p || (p.endsWith(' ') && x.startsWith(p))),
        `${p} in ${[...pointers].join(', ')}`,
      );
    }
    assert.equal(result('legacy').events, 3);
    assert.deepEqual(dumped(file('legacy'), `${STREAM}/det/value`), [10, 20, 30]);
    assert.equal(status('legacy'), 'complete', 'usable documents outside the schema lose nothing');
    assert.equal(problems('legacy').length, warnings.length, 'each recorded in the file');
    assert.equal(dumpedAttribute(file('legacy'), '/entry', 'nxlayout_status'), undefined);
  });

  test('no stop document: written, incomplete (status, @nxlayout_status, RUN_NO_STOP in the problems)', async () => {
    assert.equal(result('no-stop').incomplete, true);
    assert.deepEqual(dumped(file('no-stop'), `${STREAM}/det/value`), [10, 20, 30]);
    assert.equal(status('no-stop'), 'incomplete');
    assert.equal(dumpedAttribute(file('no-stop'), '/entry', 'nxlayout_status'), 'incomplete');
    assert.match(String(problems('no-stop')[0]), /RUN_NO_STOP/);
  });

  test('no event at all: written, incomplete (RUN_NO_EVENTS)', async () => {
    assert.equal(result('no-events').events, 0);
    assert.ok(codes('no-events').includes('RUN_NO_EVENTS'));
    assert.equal(status('no-events'), 'incomplete');
    assert.match(String(problems('no-events')[0]), /RUN_NO_EVENTS/);
  });

  test('a detector with external data that took no frame: written, incomplete (RUN_NO_FRAMES), the rest of the run kept', async () => {
    assert.ok(codes('no-frames').includes('RUN_NO_FRAMES'));
    assert.equal(result('no-frames').diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.deepEqual(dumped(file('no-frames'), '/entry/instrument/bluesky/streams/baseline/ring/value'), [101.5]);
    assert.equal(status('no-frames'), 'incomplete');
    assert.ok(problems('no-frames').some((p) => /RUN_NO_FRAMES.*cam_image/.test(String(p))));
  });

  test('wrong-typed readings: the columns are written (NaN, JSON text), each a warning naming the event; partial', async () => {
    const f = file('wrong-types');
    assert.deepEqual(dumped(f, `${STREAM}/det/value`), [10, NaN, 30]);
    assert.deepEqual(dumped(f, `${STREAM}/label/value`), ['p1', 'p2', '12']);
    assert.deepEqual(dumped(f, `${STREAM}/cnt/value`), [NaN, 2, 3]);
    assert.deepEqual(
      dumped(f, `${STREAM}/aux/value`),
      ['0.5', '[1,2]', '1.5'],
      'a list in a scalar column: the column as JSON text',
    );
    const typed = result('wrong-types').diagnostics.filter((d) => d.code === 'RUN_READING_TYPE');
    assert.deepEqual(
      typed.map((d) => [d.location.field, d.location.document?.uid]).sort(),
      [
        ['aux', uidOfEvent('wrong-types', 2)],
        ['cnt', uidOfEvent('wrong-types', 1)],
        ['det', uidOfEvent('wrong-types', 2)],
        ['label', uidOfEvent('wrong-types', 3)],
      ].sort(),
    );
    assert.ok(typed.every((d) => /seq_num \d/.test(d.message)));
    assert.equal(status('wrong-types'), 'partial');
    assert.equal(problems('wrong-types').length, 4);
  });

  test('NaN / Infinity / -Infinity tokens are read as the numbers, not a parse error; "NaN" in a string stays text', async () => {
    const f = file('nan-tokens');
    assert.deepEqual(dumped(f, `${STREAM}/det/value`), [NaN, Infinity, -Infinity]);
    assert.deepEqual(dumped(f, `${STREAM}/label/value`), ['NaN', 'p2', 'p3']);
    assert.deepEqual(
      dumped(f, `${STREAM}/cnt/value`),
      [1, NaN, 3],
      'an integer column holding NaN is written as float64',
    );
    assert.ok(!codes('nan-tokens').some((c) => c.startsWith('DOC_')), 'no DOC_PARSE');
    assert.ok(!json.diagnostics.some((d) => d.code === 'DOC_PARSE'));
    // NaN where the data key declares an integer is named; NaN in a number column is a reading like any other.
    const typed = result('nan-tokens').diagnostics.filter((d) => d.code === 'RUN_READING_TYPE');
    assert.deepEqual(
      typed.map((d) => [d.location.field, d.location.document?.uid]),
      [['cnt', uidOfEvent('nan-tokens', 2)]],
    );
    assert.equal(status('nan-tokens'), 'partial');
  });

  test('duplicate event uid: the copy skipped (RUN_DUPLICATE_UID), 3 events; stop num_events disagreeing: RUN_NUM_EVENTS', async () => {
    assert.equal(result('duplicate-events').events, 3);
    assert.deepEqual(dumped(file('duplicate-events'), `${STREAM}/det/value`), [10, 20, 30]);
    assert.ok(codes('duplicate-events').includes('RUN_DUPLICATE_UID'));
    assert.equal(status('duplicate-events'), 'partial');
    const off = result('num-events').diagnostics.find((d) => d.code === 'RUN_NUM_EVENTS');
    assert.ok(off);
    assert.match(off.message, /primary: stop says 5, 3 read/);
    assert.equal(off.location.pointer, '/num_events');
    assert.equal(status('num-events'), 'partial');
  });

  test('a replayed run and a document after the stop: one file each, reported once per run and kind', async () => {
    assert.equal(result('replayed').events, 3);
    const late = json.diagnostics.filter((d) => d.location.run === runOf('replayed').uid);
    assert.deepEqual([...new Set(late.map((d) => d.code))].sort(), ['RUN_AFTER_STOP', 'RUN_REPLAYED']);
    const stderr = lines(r.stderr);
    assert.equal(stderr.filter((l) => l.includes('RUN_REPLAYED')).length, 1);
    assert.equal(
      stderr.filter((l) => l.includes('RUN_AFTER_STOP') && l.includes(runOf('replayed').uid.slice(0, 8))).length,
      1,
      "the replay's documents: one summary line",
    );
    assert.ok(json.diagnostics.some((d) => d.code === 'RUN_AFTER_STOP' && d.location.run === runOf('after-stop').uid));
    assert.equal(
      stderr.filter((l) => l.includes('RUN_AFTER_STOP') && l.includes(runOf('after-stop').uid.slice(0, 8))).length,
      1,
    );
  });

  test('--json holds every diagnostic printed on stderr', async () => {
    // The JSON's location says nexus_path where the Diagnostic says nexusPath.
    const asDiagnostic = (d: JsonDiagnostic): Diagnostic => {
      const { nexus_path: nexusPath, ...location } = d.location;
      return { ...d, location: nexusPath === undefined ? location : { ...location, nexusPath } };
    };
    const all = [...json.diagnostics, ...json.runs.flatMap((x) => x.diagnostics)].map((d) =>
      formatDiagnostic(asDiagnostic(d)),
    );
    let matched = 0;
    for (const l of lines(r.stderr)) {
      const counted = /^run (\S+): (?:1 kind|\d+ kinds) of warning, (\d+) in all: (.*); --verbose lists them$/.exec(l);
      if (counted !== null) {
        // The warnings only counted: that many template warnings of that run, by code, are in the JSON.
        const run = json.runs.find((x) => x.uid.startsWith(counted[1]!))!;
        const warnings = run.diagnostics.filter((d) => d.severity === 'warning' && !/^(DOC|RUN)_/.test(d.code));
        assert.equal(warnings.length, Number(counted[2]), l);
        for (const part of counted[3]!.split(', ')) {
          const [code, n] = part.split(' ×');
          assert.equal(warnings.filter((d) => d.code === code).length, Number(n), l);
        }
        continue;
      }
      assert.ok(
        all.some((text) => l === text || l.startsWith(`${text} [`)),
        `stderr line not in --json: ${l}`,
      );
      matched++;
    }
    assert.ok(matched >= 10, `${matched} diagnostics lines matched`);
  });

  function uidOfEvent(name: string, seq: number): string {
    for (const l of runOf(name).text.split('\n')) {
      if (!l.startsWith('["event"')) continue;
      const [, doc] = parseJsonText(l) as [string, { uid: string; seq_num: number }];
      if (doc.seq_num === seq) return doc.uid;
    }
    throw new Error(`no event ${seq} in ${name}`);
  }
});

describe("--strict keeps event-model's schema exactly", () => {
  test('the legacy run fails (nothing written, exit 1); runs inside the schema are written', async () => {
    const out = path.join(dir, 'strict');
    const r = await nxlayoutIn([
      'write',
      path.join(logs, 'legacy.jsonl'),
      path.join(logs, 'num-events.jsonl'),
      '--out',
      out,
      '--strict',
      '--json',
    ]);
    assertNoCrash(r);
    assert.equal(r.status, 1);
    const { runs } = JSON.parse(r.stdout) as WriteJson;
    const legacy = runs.find((x) => x.uid === runOf('legacy').uid)!;
    assert.equal(legacy.status, 'failed');
    assert.ok(legacy.diagnostics.some((d) => d.code === 'DOC_SCHEMA' && d.severity === 'error'));
    assert.equal(runs.find((x) => x.uid === runOf('num-events').uid)!.status, 'written');
    assert.deepEqual(fs.readdirSync(out).filter((n) => n.endsWith('.nxs')).length, 1);
  });
});

describe('nxlayout watch --once reports what write reports', () => {
  test('replay, document after the stop, duplicate event, num_events: one line each; one file per run', async () => {
    const spool = path.join(dir, 'spool');
    const out = path.join(dir, 'watch-out');
    fs.mkdirSync(spool);
    fs.mkdirSync(out);
    const names = ['replayed', 'after-stop', 'duplicate-events', 'num-events'];
    for (const name of names) fs.writeFileSync(path.join(spool, `${name}.jsonl`), runOf(name).text);
    const r = await nxlayoutIn(['watch', spool, '--out', out, '--once', '--status-interval', '0']);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const err = lines(r.stderr);
    const count = (code: string, name: string) =>
      err.filter((l) => l.includes(code) && l.includes(runOf(name).uid.slice(0, 8))).length;
    assert.equal(count('RUN_REPLAYED', 'replayed'), 1);
    assert.equal(count('RUN_AFTER_STOP', 'replayed'), 0, "a replay's documents are the replay");
    assert.equal(count('RUN_AFTER_STOP', 'after-stop'), 1);
    assert.equal(count('RUN_DUPLICATE_UID', 'duplicate-events'), 1);
    assert.equal(count('RUN_NUM_EVENTS', 'num-events'), 1);
    assert.equal(fs.readdirSync(out).filter((n) => n.endsWith('.nxs')).length, names.length);
  });
});

describe('the decoding threads read the broken runs as the main thread does', () => {
  test('same runs, events and diagnostics (events packed into pages on the workers)', async () => {
    const { layout } = await loadLayout(DEFAULT_TEMPLATE);
    assert.ok(layout);
    const names = ['duplicate-events', 'nan-tokens', 'wrong-types', 'legacy'];
    const files = names.map((n) => path.join(logs, `${n}.jsonl`));
    const run = async (mode: string, threads: number) => {
      const out = path.join(dir, `threads-${mode}`);
      fs.mkdirSync(out);
      return convertLogs(files, {
        outRoot: out,
        layouts: [],
        fallback: layout,
        registry: createDefaultRegistry(),
        decodeThreads: threads,
        decodeThreadsMinBytes: 0,
      });
    };
    const main = await run('main', 0);
    const threads = await run('threads', 2);
    const view = (rs: RunResult[]) =>
      rs.map((x) => [
        x.uid,
        x.status,
        x.events,
        x.completeness,
        x.diagnostics
          .filter((d) => /^(DOC|RUN)_/.test(d.code))
          .map((d) => d.code)
          .sort(),
      ]);
    assert.deepEqual(view(threads.results), view(main.results));
    assert.ok(
      main.results
        .find((x) => x.uid === runOf('duplicate-events').uid)!
        .diagnostics.some((d) => d.code === 'RUN_DUPLICATE_UID'),
    );
    assert.deepEqual(
      dumped(threads.results.find((x) => x.uid === runOf('nan-tokens').uid)!.file!, `${STREAM}/det/value`),
      [NaN, Infinity, -Infinity],
    );
  });
});
