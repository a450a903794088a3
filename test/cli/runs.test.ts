/** `nxlayout runs`: real logs listed (text and --json), bad input reported one line each, never a crash. */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectRuns, readRawLog } from '../integration/raw-documents.js';
import { assertNoCrash, lines, nxlayoutIn, tempDir, USAXS } from './helpers.js';

/** The usaxs runs as the raw documents say: uid, scan_id, events per stream. */
const usaxs = [...expectRuns(readRawLog(USAXS)).values()].map((r) => ({
  uid: r.uid,
  scanId: r.start.scan_id as number,
  events: Object.fromEntries([...r.streams.values()].map((s) => [s.name, s.length])),
}));

describe('nxlayout runs', () => {
  test('usaxs.json.gz: the 10 runs, one line each, with scan_id and events per stream', async () => {
    assert.equal(usaxs.length, 10);
    const r = await nxlayoutIn(['runs', '../shared/realdata/apstools/usaxs.json.gz']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const [header, ...rows] = lines(r.stdout);
    assert.match(header, /^UID +SCAN +PLAN +START +DURATION +STATUS +EVENTS +LOG$/);
    assert.equal(rows.length, 10);
    for (const run of usaxs) {
      const row = rows.find((l) => l.startsWith(run.uid.slice(0, 8)));
      assert.ok(row, `a line for run ${run.uid}`);
      const cells = row.split(/ {2,}/);
      assert.equal(cells[1], String(run.scanId), row);
      const events = Object.fromEntries(cells[6].split(',').map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]));
      assert.deepEqual(events, run.events, row);
      assert.equal(cells[7], '../shared/realdata/apstools/usaxs.json.gz');
    }
  });

  test('usaxs.json.gz --json: one record per run with uid, scan_id and num_events', async () => {
    const r = await nxlayoutIn(['runs', '--json', USAXS]);
    assert.equal(r.status, 0, r.stderr);
    const records = JSON.parse(r.stdout) as {
      uid: string;
      scan_id: number;
      num_events: Record<string, number>;
      exit_status: string;
      log: string;
    }[];
    assert.deepEqual(
      records
        .map((x) => ({ uid: x.uid, scanId: x.scan_id, events: x.num_events }))
        .sort((a, b) => a.uid.localeCompare(b.uid)),
      [...usaxs].sort((a, b) => a.uid.localeCompare(b.uid)),
    );
    assert.ok(records.every((x) => x.exit_status === 'success' && x.log === USAXS));
  });
});

describe('nxlayout runs: bad input', () => {
  let dir = '';
  const line = (x: unknown): string => JSON.stringify(x);
  /** A complete little run n as jsonl lines: start, descriptor, event, stop. */
  const run = (n: number) => {
    const uid = `0000000${n}-aaaa-4bbb-8ccc-00000000000${n}`;
    const desc = `0000000${n}-dddd-4bbb-8ccc-00000000000${n}`;
    return {
      uid,
      desc,
      lines: [
        line(['start', { uid, time: 1_700_000_000, scan_id: 100 + n, plan_name: 'count' }]),
        line([
          'descriptor',
          {
            uid: desc,
            run_start: uid,
            time: 1_700_000_001,
            name: 'primary',
            data_keys: { x: { dtype: 'number', shape: [], source: 'sim' } },
          },
        ]),
        line([
          'event',
          {
            uid: `e${n}`,
            descriptor: desc,
            time: 1_700_000_002,
            seq_num: 1,
            data: { x: 1 },
            timestamps: { x: 1_700_000_002 },
          },
        ]),
        line([
          'stop',
          { uid: `s${n}`, run_start: uid, time: 1_700_000_003, exit_status: 'success', num_events: { primary: 1 } },
        ]),
      ],
    };
  };
  const BAD = {
    truncated: { line: 5, runs: [101] },
    garbage: { line: 5, runs: [105, 106] },
    'event-before-descriptor': { line: 2, runs: [103], pointer: '/descriptor' },
    'schema-invalid': { line: 4, runs: [104], pointer: '/time' },
    empty: { runs: [] },
    binary: { runs: [] },
  } as const;
  const file = (name: keyof typeof BAD): string => path.join(dir, `${name}.jsonl`);

  before(async () => {
    dir = tempDir('runs');
    const [a, b, c, d, e, f] = [run(1), run(2), run(3), run(4), run(5), run(6)];
    fs.writeFileSync(file('truncated'), [...a.lines, b.lines[0].slice(0, 30)].join('\n'));
    fs.writeFileSync(file('garbage'), [...e.lines, 'this is not json {', ...f.lines].join('\n') + '\n');
    const early = line([
      'event',
      { uid: 'early', descriptor: c.desc, time: 1_700_000_002, seq_num: 1, data: { x: 0 }, timestamps: { x: 1 } },
    ]);
    fs.writeFileSync(file('event-before-descriptor'), [c.lines[0], early, ...c.lines.slice(1)].join('\n') + '\n');
    const invalid = line([
      'event',
      { uid: 'bad', descriptor: d.desc, time: 'yesterday', seq_num: 2, data: { x: 2 }, timestamps: { x: 1 } },
    ]);
    fs.writeFileSync(file('schema-invalid'), [...d.lines.slice(0, 3), invalid, d.lines[3]].join('\n') + '\n');
    fs.writeFileSync(file('empty'), '');
    fs.writeFileSync(file('binary'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256)));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, bad] of Object.entries(BAD) as [keyof typeof BAD, (typeof BAD)[keyof typeof BAD]][]) {
    test(`${name}: a one-line error naming the file${'line' in bad ? ', line' : ''}${'pointer' in bad ? ' and pointer' : ''}; the rest still read`, async () => {
      const r = await nxlayoutIn(['runs', file(name)]);
      assertNoCrash(r);
      const errors = lines(r.stderr);
      assert.equal(errors.length, 1, `one line on stderr:\n${r.stderr}`);
      const where = 'line' in bad ? `${file(name)}:${bad.line}[ :]` : `${file(name)}:`;
      assert.match(errors[0], new RegExp(`^${where.replace(/[.]/g, '\\.')}`), errors[0]);
      assert.match(errors[0], / error [A-Z_]+: /);
      if ('pointer' in bad) assert.match(errors[0], new RegExp(` at ${bad.pointer}: `));
      const listed = lines(r.stdout)
        .slice(1)
        .map((l) => Number(l.split(/ {2,}/)[1]));
      assert.deepEqual(listed.sort(), [...bad.runs]);
      assert.equal(r.status, bad.runs.length > 0 ? 0 : 1, 'non-zero only when nothing could be read');
    });
  }

  test('all of them in one invocation: every problem reported, every readable run listed, exit 0', async () => {
    const r = await nxlayoutIn(['runs', ...Object.keys(BAD).map((n) => file(n as keyof typeof BAD))]);
    assertNoCrash(r);
    assert.equal(r.status, 0, r.stderr);
    const errors = lines(r.stderr);
    assert.equal(errors.length, Object.keys(BAD).length, r.stderr);
    for (const name of Object.keys(BAD))
      assert.equal(errors.filter((e) => e.startsWith(`${file(name as keyof typeof BAD)}:`)).length, 1, name);
    const listed = lines(r.stdout)
      .slice(1)
      .map((l) => Number(l.split(/ {2,}/)[1]));
    assert.deepEqual(listed.sort(), [101, 103, 104, 105, 106]);
  });

  test('nothing readable at all (empty + binary): exit 1, both reported; --json prints []', async () => {
    const r = await nxlayoutIn(['runs', '--json', file('empty'), file('binary')]);
    assertNoCrash(r);
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout), []);
    assert.equal(lines(r.stderr).length, 2);
  });

  test('a path that does not exist: reported, exit 2 (an unreadable input, as the README says), no crash', async () => {
    const missing = path.join(dir, 'no-such-log.jsonl');
    const r = await nxlayoutIn(['runs', missing]);
    assertNoCrash(r);
    assert.equal(r.status, 2);
    assert.equal(lines(r.stderr).length, 1);
    assert.ok(r.stderr.includes(missing), r.stderr);
  });
});
