/** `nxlayout write` (files, --dry-run, --overwrite, --json) and `nxlayout inspect` (text and --json), spawned. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectRuns, readRawLog } from '../integration/raw-documents.js';
import { assertNoCrash, lines, nxlayoutIn, REALDATA, tempDir, USAXS } from './helpers.js';

const ONE_RUN = path.join(REALDATA, 'apstools/uid-3ab777ae.json');
const ONE_FILE = '10014_3ab777ae.nxs';
const usaxs = [...expectRuns(readRawLog(USAXS)).values()];
const expectedName = (scanId: number, uid: string): string =>
  `${String(scanId).padStart(5, '0')}_${uid.slice(0, 8)}.nxs`;

let dir = '';
/** ONE_RUN written once, with --json: its results, and the file inspect and the overwrite test start from. */
let oneJson: { stdout: string; stderr: string; status: number | null };
let oneFile = '';
before(async () => {
  dir = tempDir('write');
  oneJson = await nxlayoutIn(['write', ONE_RUN, '--out', path.join(dir, 'one'), '--json']);
  oneFile = path.join(dir, 'one', ONE_FILE);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('nxlayout write', () => {
  test('usaxs.json.gz --out: 10 files, one "wrote" line each, exit 0', async () => {
    const out = path.join(dir, 'usaxs');
    const r = await nxlayoutIn(['write', USAXS, '--out', out]);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const expected = usaxs.map((run) => expectedName(run.start.scan_id, run.uid)).sort();
    assert.deepEqual(fs.readdirSync(out).sort(), expected);
    const wrote = lines(r.stdout).filter((l) => l.startsWith('wrote '));
    assert.equal(wrote.length, 10);
    for (const name of expected) assert.equal(wrote.filter((l) => l.includes(name)).length, 1, name);
    assert.match(r.stderr, /^10 of 10 runs written$/m);
    for (const name of expected)
      assert.equal(
        fs.readFileSync(path.join(out, name)).subarray(0, 8).toString('latin1'),
        '\x89HDF\r\n\x1a\n',
        `${name} is HDF5`,
      );
  });

  test('--dry-run: writes nothing, prints the planned tree with paths, dtypes, shapes and sources', async () => {
    const out = path.join(dir, 'dry');
    const r = await nxlayoutIn(['write', ONE_RUN, '--out', out, '--dry-run']);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.existsSync(out), false, 'not even the output root is created');
    const plan = r.stdout;
    assert.match(plan, new RegExp(`^plan for .*${ONE_FILE}`, 'm'));
    assert.match(plan, /^ +entry:NXentry$/m);
    assert.match(plan, /^ +entry_identifier +string scalar +<- start\.uid = "3ab777ae-53f8-4723-8727-e6aeb36d9916"$/m);
    assert.match(plan, /^ +scan_id +int64 scalar +<- start\.scan_id = 10014$/m);
    assert.match(plan, /^ +value +float64 \[11\] +<- event primary\/I0 \[all 11 rows\]$/m);
    assert.match(plan, /^ +time +float64 \[11\] +<- event primary\/I0 timestamps/m);
    assert.match(plan, /^ +start_time +string scalar +<- calculated iso8601\(\$\.start\.time\)/m);
    assert.match(plan, /^ +data:NXdata$/m);
    assert.match(plan, /^ +I0 +-> \/entry\/instrument\/bluesky\/streams\/primary\/I0\/value \(soft link\)$/m);
    assert.match(plan, /^ +@signal = "I0"$/m);
    assert.match(r.stderr, /^1 of 1 runs planned$/m);
  });

  test('an existing file: untouched without --overwrite (exit 1, NEXUS_EXISTS), replaced with it (exit 0)', async () => {
    const out = path.join(dir, 'overwrite');
    const file = path.join(out, ONE_FILE);
    fs.mkdirSync(out);
    fs.copyFileSync(oneFile, file);
    const past = new Date('2001-02-03T04:05:06Z');
    fs.utimesSync(file, past, past);
    const bytes = fs.readFileSync(file);
    const { ino } = fs.statSync(file);

    const again = await nxlayoutIn(['write', ONE_RUN, '--out', out]);
    assertNoCrash(again);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /NEXUS_EXISTS/);
    assert.ok(again.stderr.includes(file), again.stderr);
    assert.match(again.stdout, /^FAILED run 3ab777ae/m);
    assert.deepEqual(fs.readFileSync(file), bytes);
    assert.equal(fs.statSync(file).mtimeMs, past.getTime());
    assert.equal(fs.statSync(file).ino, ino);

    const replaced = await nxlayoutIn(['write', ONE_RUN, '--out', out, '--overwrite']);
    assertNoCrash(replaced);
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.notEqual(fs.statSync(file).mtimeMs, past.getTime());
    assert.notEqual(fs.statSync(file).ino, ino, 'a new file was renamed into place');
    assert.deepEqual(fs.readdirSync(out), [ONE_FILE], 'no temporary file left');
  });

  test('--json: { runs: one result per run (uid, status, file, events), diagnostics }', async () => {
    assert.equal(oneJson.status, 0, oneJson.stderr);
    const { runs: results, diagnostics } = JSON.parse(oneJson.stdout) as {
      runs: { uid: string; status: string; file: string; events: number }[];
      diagnostics: unknown[];
    };
    assert.deepEqual(diagnostics, [], 'no problem outside the run');
    assert.deepEqual(
      results.map((x) => [x.uid, x.status, x.file, x.events]),
      [['3ab777ae-53f8-4723-8727-e6aeb36d9916', 'written', oneFile, 11]],
    );
    assert.ok(fs.statSync(oneFile).isFile());
  });

  test('write without --out (and without --dry-run) is a usage error: exit 2, one line, nothing written', async () => {
    const r = await nxlayoutIn(['write', ONE_RUN], { cwd: dir });
    assertNoCrash(r);
    assert.equal(r.status, 2);
    assert.equal(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, /CLI_USAGE.*--out/);
  });
});

describe('nxlayout inspect', () => {
  let file = '';
  before(async () => {
    file = oneFile;
  });

  test('inspect FILE: the tree with classes, dtypes, shapes, attributes, link targets and values', async () => {
    const r = await nxlayoutIn(['inspect', file]);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const t = r.stdout;
    assert.match(t, /^\/$/m);
    assert.match(t, /@default = "entry"/);
    assert.match(t, /entry:NXentry$/m);
    assert.match(t, /data:NXdata$/m);
    assert.match(t, /@signal = "/);
    assert.match(t, /I0 -> \/entry\/instrument\/bluesky\/streams\/primary\/I0\/value/);
    assert.match(t, /entry_identifier +utf-8 string scalar += "3ab777ae-53f8-4723-8727-e6aeb36d9916"/);
    // A run this small is written at the end, each column at its exact size in one piece (no chunks).
    assert.match(t, /value +float64 \[11\] += \[/);
    assert.match(t, /scan_id +int64 scalar += 10014/);
  });

  test('inspect --json: the same tree as data', async () => {
    const r = await nxlayoutIn(['inspect', '--json', file]);
    assert.equal(r.status, 0, r.stderr);
    type Node = {
      kind: string;
      path: string;
      children?: Node[];
      attributes?: { name: string; value: unknown }[];
      target?: string;
      dtype?: string;
      shape?: number[];
      preview?: unknown;
    };
    const root = JSON.parse(r.stdout) as Node;
    const find = (n: Node, p: string): Node | undefined =>
      n.path === p ? n : n.children?.map((c) => find(c, p)).find((x) => x !== undefined);
    assert.equal(root.kind, 'group');
    assert.equal(root.attributes?.find((a) => a.name === 'default')?.value, 'entry');
    const data = find(root, '/entry/data')!;
    assert.equal(data.attributes?.find((a) => a.name === 'NX_class')?.value, 'NXdata');
    assert.deepEqual(find(root, '/entry/data/I0'), {
      kind: 'soft-link',
      path: '/entry/data/I0',
      target: '/entry/instrument/bluesky/streams/primary/I0/value',
    });
    const scan = find(root, '/entry/scan_id')!;
    assert.deepEqual([scan.kind, scan.shape, String(scan.preview)], ['dataset', [], '10014']);
    const i0 = find(root, '/entry/instrument/bluesky/streams/primary/I0/value')!;
    assert.deepEqual(i0.shape, [11]);
  });

  test('inspect of a file that is not HDF5, or missing: one-line error, exit 2, no crash', async () => {
    for (const bad of [ONE_RUN, path.join(dir, 'missing.nxs')]) {
      const r = await nxlayoutIn(['inspect', bad]);
      assertNoCrash(r);
      assert.equal(r.status, 2);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, /NEXUS_READ/);
      assert.ok(r.stderr.includes(bad));
    }
  });
});
