import { describe, test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  drop,
  jsonl,
  listFiles,
  readJournal,
  REPO,
  runWatch,
  smallRun,
  startUid,
  tempDir,
  waitFor,
  watchCommandLine,
} from './helpers.js';
import { runWatchIn } from '../cli/helpers.js';

const base = tempDir('cli');
after(() => fs.rmSync(base, { recursive: true, force: true }));
const spool = path.join(base, 'spool');
const out = path.join(base, 'out');
fs.mkdirSync(spool, { recursive: true });
fs.mkdirSync(out, { recursive: true });

describe('nxlayout watch (command line)', () => {
  test('--help documents every option', async () => {
    const r = await runWatch(['--help']);
    assert.equal(r.code, 0);
    for (const opt of [
      '--out',
      '--templates',
      '--template',
      '--state',
      '--finalize-after',
      '--status-interval',
      '--log-format',
      '--once',
      'SIGTERM',
      'Exit status',
    ]) {
      assert.ok(r.stdout.includes(opt), `help mentions ${opt}`);
    }
  });

  test('test early and fail: ROOT under a file, ROOT missing, SPOOL missing, a broken template', async () => {
    const aFile = path.join(base, 'a-file');
    fs.writeFileSync(aFile, 'x');
    const underFile = await runWatchIn([spool, '--out', path.join(aFile, 'sub')]);
    assert.equal(underFile.code, 2);
    assert.match(underFile.stderr, /WATCH_IO: the output root .*a-file\/sub does not exist/);
    const notDir = await runWatchIn([spool, '--out', aFile]);
    assert.equal(notDir.code, 2);
    assert.match(notDir.stderr, /WATCH_IO: the output root .* is not a directory/);
    const missingRoot = await runWatchIn([spool, '--out', path.join(base, 'nope')]);
    assert.equal(missingRoot.code, 2);
    assert.match(missingRoot.stderr, /WATCH_IO: the output root .*nope does not exist/);
    const missingSpool = await runWatchIn([path.join(base, 'no-spool'), '--out', out]);
    assert.equal(missingSpool.code, 2);
    assert.match(missingSpool.stderr, /WATCH_IO: the spool directory .*no-spool does not exist/);
    const broken = path.join(base, 'broken.json');
    fs.writeFileSync(broken, '{ "name": "broken", ');
    const badTemplate = await runWatchIn([spool, '--out', out, '--template', broken]);
    assert.equal(badTemplate.code, 2);
    assert.match(badTemplate.stderr, /broken\.json.*LAYOUT_/);
    const badDuration = await runWatchIn([spool, '--out', out, '--finalize-after', 'soon']);
    assert.equal(badDuration.code, 2);
    assert.match(badDuration.stderr, /CLI_USAGE: "soon" is not a duration/);
    assert.deepEqual(listFiles(out), [], 'nothing written by failed starts');
  });

  test('--once: exit 0 when every run is written, 1 when one failed', async () => {
    const good = smallRun(1);
    drop(path.join(spool, 'good.jsonl'), jsonl(good));
    const ok = await runWatchIn([spool, '--out', out, '--once', '--log-format', 'json']);
    assert.equal(ok.code, 0, ok.stderr);
    const lines = ok.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const run = lines.find((l) => l.event === 'run');
    assert.equal(run?.uid, startUid(good));
    assert.equal(run?.status, 'written');
    assert.equal(run?.events, 3);
    assert.equal(typeof run?.ms, 'number');
    assert.ok(lines.some((l) => l.event === 'stopping'));
    // The summary closes the output: runs and logs counted, warnings and errors by code.
    const summary = lines[lines.length - 1];
    assert.equal(summary.event, 'summary');
    assert.equal(summary.runs_written, 1);
    assert.equal(summary.logs_done, 1);
    assert.equal(typeof summary.warnings_by_code, 'object');
    assert.deepEqual(summary.errors_by_code, {});
    // A foreign file in the way of the next run: it fails, the file is left alone.
    const bad = smallRun(2);
    fs.writeFileSync(path.join(out, `00002_${startUid(bad).slice(0, 8)}.nxs`), 'not ours');
    drop(path.join(spool, 'bad.jsonl'), jsonl(bad));
    const failed = await runWatchIn([spool, '--out', out, '--once']);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /FAILED run .*NEXUS_EXISTS/);
    assert.match(failed.stdout, /summary: 0 runs written, 0 incomplete, 1 failed, .*errors: NEXUS_EXISTS ×1/);
    assert.equal(fs.readFileSync(path.join(out, `00002_${startUid(bad).slice(0, 8)}.nxs`), 'utf8'), 'not ours');
    assert.deepEqual(
      readJournal(path.join(out, '.nxlayout-state')).map((r) => r.status),
      ['written', 'failed'],
    );
  });

  test('SIGTERM: an unfinished run is abandoned cleanly and the daemon exits 0', async () => {
    const root = path.join(base, 'out-sig');
    const sp = path.join(base, 'spool-sig');
    fs.mkdirSync(root);
    fs.mkdirSync(sp);
    const docs = smallRun(3, { stop: false });
    fs.writeFileSync(path.join(sp, 'open.jsonl'), jsonl(docs));
    const line = watchCommandLine([sp, '--out', root, '--status-interval', '200ms']);
    const child = spawn(line.command, line.args, { cwd: REPO });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    await waitFor(() => /status: .*1 open; logs: 1 followed/.test(stdout), 'a status line with the open run');
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await closed, 0);
    assert.match(stdout, new RegExp(`stopped \\(SIGTERM received\\); 1 unfinished runs abandoned.*${startUid(docs)}`));
    assert.deepEqual(listFiles(root), [], 'no partial file, no temporary file');
    assert.deepEqual(fs.readdirSync(path.join(root, '.nxlayout-state')), ['journal.jsonl'], 'the lock is released');
  });
});
