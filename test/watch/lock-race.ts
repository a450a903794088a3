/**
 * The daemon lock's race (issue 12 item 10): two daemons, real processes, started together on one
 * output root — one runs, the other exits 2 naming its pid. lock.test.ts runs one round,
 * lock.slow.test.ts five.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_FILE } from '../../src/watch/lock.js';
import { watchCommandLine } from './helpers.js';

interface Daemon {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startDaemon(spool: string, out: string, children: ChildProcess[]): Daemon {
  const line = watchCommandLine([spool, '--out', out, '--status-interval', '0']);
  const child = spawn(line.command, line.args, { env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

/** ROUNDS races in BASE; every daemon started is pushed on CHILDREN (for the caller to kill in after()). */
export async function lockRace(base: string, rounds: number, children: ChildProcess[]): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const spool = path.join(base, `spool-${round}`);
    const out = path.join(base, `out-${round}`);
    fs.mkdirSync(spool, { recursive: true });
    fs.mkdirSync(out, { recursive: true });
    const a = startDaemon(spool, out, children);
    const b = startDaemon(spool, out, children);
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
}
