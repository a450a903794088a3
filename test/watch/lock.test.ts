/**
 * The daemon lock (issue 12 item 10): two daemons started together never both run;
 * a daemon killed with -9 and left a zombie by a parent that does not reap it does
 * not block the next start. Real processes throughout.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { holderState, LOCK_FILE, lockStateDir } from '../../src/watch/lock.js';
import { spawnSync } from 'node:child_process';
import { jsonl, runWatch, sleep, smallRun, startUid, tempDir, waitFor, watchCommandLine } from './helpers.js';

const base = tempDir('lock');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(base, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startDaemon(spool: string, out: string): Daemon {
  const line = watchCommandLine([spool, '--out', out, '--status-interval', '0']);
  const child = spawn(line.command, line.args, { env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

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
  test('two daemons started together on one output root: one runs, the other exits 2 naming its pid (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      const spool = path.join(base, `spool-${round}`);
      const out = path.join(base, `out-${round}`);
      fs.mkdirSync(spool, { recursive: true });
      fs.mkdirSync(out, { recursive: true });
      const a = startDaemon(spool, out);
      const b = startDaemon(spool, out);
      const first = await Promise.race([a.exited.then(() => a), b.exited.then(() => b)]);
      const winner = first === a ? b : a;
      assert.equal(await first.exited, 2, `round ${round}: the loser exits 2:\n${first.stderr()}`);
      assert.match(
        first.stderr(),
        new RegExp(`WATCH_STATE: another nxlayout watch \\(pid ${winner.child.pid}\\) uses the state directory`),
        `round ${round}`,
      );
      assert.equal(winner.child.exitCode, null, `round ${round}: the winner still runs`);
      assert.equal(
        fs
          .readFileSync(path.join(out, '.nxlayout-state', LOCK_FILE), 'utf8')
          .split(' ')[0]
          .trim(),
        String(winner.child.pid),
      );
      winner.child.kill('SIGTERM');
      assert.equal(await winner.exited, 0, winner.stderr());
      assert.ok(!fs.existsSync(path.join(out, '.nxlayout-state', LOCK_FILE)), 'the lock is released on stop');
    }
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
    const r = await runWatch([spool, '--out', out, '--once']);
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
