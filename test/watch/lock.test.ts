/**
 * The daemon lock (issue 12 item 10): two daemons started together never both run;
 * a daemon killed with -9 and left a zombie by a parent that does not reap it does
 * not block the next start. Real processes throughout.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { runWatchIn } from '../cli/helpers.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { holderState, LOCK_FILE, lockStateDir } from '../../src/watch/lock.js';
import { spawnSync } from 'node:child_process';
import { jsonl, sleep, smallRun, startUid, tempDir, waitFor, watchCommandLine } from './helpers.js';
import { lockRace } from './lock-race.js';

const base = tempDir('lock');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(base, { recursive: true, force: true });
});

/** The process state letter in /proc/PID/stat (R, S, Z…), or undefined when there is no such process. */
function procState(pid: number): string | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

describe('the daemon lock', () => {
  test('two daemons started together on one output root: one runs, the other exits 2 naming its pid (one round; five: lock.slow.test.ts)', async () => {
    await lockRace(base, 1, children);
  });

  test('a restart right after kill -9 of a daemon left a zombie (its parent does not reap it) is not refused', async () => {
    const spool = path.join(base, 'spool-zombie');
    const out = path.join(base, 'out-zombie');
    fs.mkdirSync(spool, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    const line = watchCommandLine([spool, '--out', out, '--status-interval', '0']);
    const quoted = [line.command, ...line.args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // sh starts the daemon, prints its pid, then becomes `sleep`, which never waits for its child.
    const parent = spawn('sh', ['-c', `${quoted} >/dev/null 2>&1 & echo $!; exec sleep 120`]);
    children.push(parent);
    let pidText = '';
    parent.stdout.on('data', (b: Buffer) => (pidText += b.toString()));
    await waitFor(() => pidText.includes('\n'), 'the daemon pid');
    const pid = Number(pidText.trim());
    const lock = path.join(out, '.nxlayout-state', LOCK_FILE);
    await waitFor(
      () => fs.existsSync(lock) && fs.readFileSync(lock, 'utf8').startsWith(`${pid} `),
      'the daemon holding the lock',
    );
    assert.equal(holderState(pid), 'running');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => procState(pid) === 'Z', 'the killed daemon to be a zombie');
    assert.equal(holderState(pid), 'gone', 'a zombie holds no lock');
    const docs = smallRun(11);
    fs.writeFileSync(path.join(spool, 'run.jsonl'), jsonl(docs));
    const t0 = Date.now();
    // The next start runs in this process (runWatchIn): what counts is that the zombie's lock does not refuse it.
    const r = await runWatchIn([spool, '--out', out, '--once']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - t0 < 20_000);
    assert.ok(fs.existsSync(path.join(out, `00011_${startUid(docs).slice(0, 8)}.nxs`)), r.stdout + r.stderr);
    assert.equal(procState(pid), 'Z', 'the holder was still an unreaped zombie throughout');
    parent.kill('SIGKILL');
    await sleep(50);
  });

  test('holderState: this process runs; a pid with another start time (a recycled pid) and a dead pid are gone', () => {
    assert.equal(holderState(process.pid), 'running');
    assert.equal(holderState(process.pid, '1'), 'gone');
    assert.equal(holderState(0), 'gone');
    assert.equal(holderState(2 ** 22 + 1), 'gone');
  });

  test("the private files of a starter killed while taking the lock are removed by the next one; a live starter's are kept", () => {
    const dir = path.join(base, 'private-files');
    fs.mkdirSync(dir, { recursive: true });
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    assert.equal(holderState(deadPid), 'gone');
    const left = [`${LOCK_FILE}.${deadPid}-0123abcd`, `${LOCK_FILE}.takeover.${deadPid}-331c4baa`];
    const live = `${LOCK_FILE}.${process.ppid}-89abcdef`;
    for (const name of [...left, live]) fs.writeFileSync(path.join(dir, name), `${deadPid}\n`);
    const release = lockStateDir(dir);
    try {
      assert.deepEqual(fs.readdirSync(dir).sort(), [LOCK_FILE, live].sort());
    } finally {
      release();
    }
    assert.deepEqual(fs.readdirSync(dir), [live]);
  });
});
