/**
 * main() called in-process (as nxlayoutIn does, and a library user may): the same output and exit
 * code as the spawned executable, and nothing left behind in the process — the decode limits an
 * option put in force, process.exitCode, the working directory, signal handlers.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LIMITS, resolveLimits } from '../../src/documents/limits.js';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { createProgress } from '../../src/cli/progress.js';
import { nxlayout, nxlayoutIn, REPO, tempDir } from './helpers.js';

const EXAMPLES = path.join(REPO, 'examples', 'runs');

let dir = '';
before(() => {
  dir = tempDir('in-process');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('main() in-process', () => {
  test('prints what the spawned executable prints, with the same exit code (runs --json; a bad option)', async () => {
    for (const args of [['runs', EXAMPLES, '--json'], ['runs', EXAMPLES, '--max-depth', '0'], ['frobnicate']]) {
      const spawned = nxlayout(args);
      const inProcess = await nxlayoutIn(args);
      assert.equal(inProcess.status, spawned.status, args.join(' '));
      assert.equal(inProcess.stdout, spawned.stdout, args.join(' '));
      assert.equal(inProcess.stderr, spawned.stderr, args.join(' '));
    }
  });

  test('--max-documents, --max-line-bytes, --max-depth hold for that call only: the next one starts from the defaults', async () => {
    const limited = await nxlayoutIn([
      'runs',
      EXAMPLES,
      '--json',
      '--max-documents',
      '3',
      '--max-line-bytes',
      '1M',
      '--max-depth',
      '50',
    ]);
    assert.match(limited.stderr, /DOC_LIMIT/, 'the limit applied during the call');
    assert.deepEqual(resolveLimits(undefined), { ...DEFAULT_LIMITS }, 'the defaults are back after the call');
    const next = await nxlayoutIn(['runs', EXAMPLES, '--json']);
    assert.equal(next.status, 0, next.stderr);
    assert.doesNotMatch(next.stderr, /DOC_LIMIT/);
  });

  test('watch --once in-process leaves no signal handler, exit code or working directory behind', async () => {
    const spool = path.join(dir, 'spool');
    const out = path.join(dir, 'out');
    fs.cpSync(EXAMPLES, spool, { recursive: true });
    fs.mkdirSync(out);
    const listeners = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    const exitCode = process.exitCode;
    const cwd = process.cwd();
    const lines: string[] = [];
    const io: Io = { out: (t) => lines.push(t), err: (t) => lines.push(t), interactive: false };
    assert.equal(await main(['watch', spool, '--out', out, '--once'], io), 0, lines.join('\n'));
    assert.ok(
      lines.some((l) => /summary: 3 runs written/.test(l)),
      lines.join('\n'),
    );
    assert.deepEqual({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }, listeners);
    assert.equal(process.exitCode, exitCode);
    assert.equal(process.cwd(), cwd);
  });

  test("the progress line goes to the console's errRaw, never to process.stderr; none without errRaw", () => {
    const raw: string[] = [];
    const tty: Io = { out: () => {}, err: () => {}, interactive: true, errRaw: (t) => raw.push(t) };
    const progress = createProgress(tty);
    progress.update(1, 2, 'writing');
    progress.done();
    assert.equal(raw.length, 2);
    assert.match(raw[0], /\[#+\.+\] +50% writing$/);
    assert.equal(raw[1], '\r\x1b[2K');
    const write = process.stderr.write;
    let leaked = '';
    process.stderr.write = ((t: string) => {
      leaked += t;
      return true;
    }) as typeof process.stderr.write;
    try {
      const none = createProgress({ out: () => {}, err: () => {}, interactive: true });
      none.update(1, 2, 'writing');
      none.done();
    } finally {
      process.stderr.write = write;
    }
    assert.equal(leaked, '');
  });
});
