/** `--help` of every command lists every option it accepts; bad usage exits 2 with a one-line reason. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildProgram } from '../../src/cli/main.js';
import { assertNoCrash, lines, nxlayout, nxlayoutIn, USAXS } from './helpers.js';

/** The commands and their options as the program declares them (so a new option cannot miss the help). */
const program = buildProgram({ out: () => {}, err: () => {}, interactive: false }, () => {});
const commands = program.commands.map((c) => ({
  name: c.name(),
  options: c.options.map((o) => ({ long: o.long, short: o.short })),
}));

describe('nxlayout --help', () => {
  test('the program declares at least runs, write and inspect, with their options', () => {
    const byName = Object.fromEntries(commands.map((c) => [c.name, c.options.map((o) => o.long)]));
    assert.deepEqual(byName.runs?.sort(), ['--json', '--max-depth', '--max-documents', '--max-line-bytes', '--strict']);
    assert.deepEqual(byName.write?.sort(), [
      '--decode-threads',
      '--dry-run',
      '--json',
      '--max-depth',
      '--max-documents',
      '--max-line-bytes',
      '--out',
      '--overwrite',
      '--projections',
      '--quiet',
      '--strict',
      '--template',
      '--templates',
      '--verbose',
    ]);
    assert.deepEqual(byName.inspect, ['--json', '--width']);
  });

  test('nxlayout --help lists every command (spawned: the executable starts and exits 0)', () => {
    const r = nxlayout(['--help']);
    assert.equal(r.status, 0, r.stderr);
    for (const c of commands) assert.match(r.stdout, new RegExp(`^ +${c.name}\\b`, 'm'), c.name);
  });

  for (const c of commands) {
    test(`nxlayout ${c.name} --help lists every option`, async () => {
      const r = await nxlayoutIn([c.name, '--help']);
      assertNoCrash(r);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^Usage: nxlayout ${c.name}\\b`, 'm'));
      for (const o of c.options) {
        const flags = o.short === undefined ? `${o.long}` : `${o.short}, ${o.long}`;
        assert.ok(r.stdout.includes(flags), `${c.name} --help shows ${flags}:\n${r.stdout}`);
      }
      assert.ok(r.stdout.includes('-h, --help'));
    });
  }
});

describe('bad usage exits 2', () => {
  for (const args of [
    ['runs', USAXS, '--bogus'],
    ['write', USAXS, '--out', '/tmp/x', '--no-such-option'],
    ['inspect', '--frobnicate', 'x.nxs'],
  ]) {
    test(`nxlayout ${args.join(' ')}`, async () => {
      const r = await nxlayoutIn(args);
      assertNoCrash(r);
      assert.equal(r.status, 2);
      const bad = args.find((a) => a.startsWith('--') && !['--out'].includes(a))!;
      assert.match(lines(r.stderr)[0], new RegExp(`unknown option '${bad}'`));
      assert.equal(r.stdout, '');
    });
  }

  test('a missing argument, a bad option value, an unknown command, two exclusive options', async () => {
    for (const [args, reason] of [
      [['runs'], /missing required argument 'log'/],
      [['inspect', 'x.nxs', '--width', 'many'], /--width.*positive integer/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [
        ['write', USAXS, '--dry-run', '--template', 'a.json', '--templates', 'dir'],
        /--template.*cannot be used with.*--templates|--templates.*cannot be used with.*--template/,
      ],
    ] as const) {
      const r = await nxlayoutIn([...args]);
      assertNoCrash(r);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, reason);
    }
  });
});
