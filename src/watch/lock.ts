/**
 * One daemon per state directory: two would each believe a run unwritten and race for it.
 *
 * The lock is the file `daemon.pid` holding "PID STARTTIME" (the holder's start time in
 * clock ticks since boot, from /proc, so that a recycled pid is not taken for the holder).
 * - It is created atomically with its content: written under a private name, then hard-linked
 *   to `daemon.pid`, which fails with EEXIST when another daemon holds it (no read-then-write
 *   window; a reader never sees an empty lock).
 * - A lock whose holder is dead, a zombie (killed but not yet reaped by its parent) or another
 *   process that got its pid is stale: it is taken over under a short takeover lock, so that two
 *   daemons that find the same stale lock cannot both take it.
 * - A live holder is given a moment to finish exiting (a restart right after a stop); then the
 *   start is refused, naming the holder's pid.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';
import { processState, startTimeOf } from '../nexus/process-state.js';

export const LOCK_FILE = 'daemon.pid';
/** How long a live holder is given to finish exiting before the start is refused. */
const DYING_WAIT_MS = 2_000;
/** A takeover lock older than this was left by a process that died in the middle of it. */
const TAKEOVER_STALE_MS = 10_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the lock's holder `pid` (started at `startTime`) still runs: dead, zombie and recycled pids are gone. */
export const holderState = processState;

interface Holder {
  pid: number;
  startTime?: string;
}

function readHolder(file: string): Holder | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const [pid, startTime] = text.trim().split(/\s+/);
  return startTime === undefined ? { pid: Number(pid) } : { pid: Number(pid), startTime };
}

/** Creates `file` holding `content`, atomically; false when it exists. */
function createWith(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temp, content, { flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Removes the lock of `stale` unless another daemon replaced it meanwhile; under the takeover lock. False: another starter is at it. */
function removeStale(file: string, stale: Holder): boolean {
  const takeover = `${file}.takeover`;
  if (!createWith(takeover, `${process.pid}\n`)) {
    try {
      if (Date.now() - fs.statSync(takeover).mtimeMs > TAKEOVER_STALE_MS) fs.rmSync(takeover, { force: true });
    } catch {
      // Released meanwhile.
    }
    return false;
  }
  try {
    const now = readHolder(file);
    if (now !== undefined && now.pid === stale.pid && now.startTime === stale.startTime)
      fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(takeover, { force: true });
  }
  return true;
}

/** The private names createWith writes before linking: `daemon.pid.PID-RANDOM`, `daemon.pid.takeover.PID-RANDOM`. */
const PRIVATE_NAME = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}(?:\\.takeover)?\\.(\\d+)-[0-9a-f]{8}$`);

/** Removes the private files of starters that died between writing and removing them (a kill -9 at that moment). */
function removeDeadPrivateFiles(dir: string): void {
  for (const name of fs.readdirSync(dir)) {
    const pid = PRIVATE_NAME.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || holderState(Number(pid)) !== 'gone') continue;
    fs.rmSync(path.join(dir, name), { force: true });
  }
}

function refused(dir: string, file: string, holder: Holder): NxlError {
  return new NxlError(
    'WATCH_STATE',
    `another nxlayout watch (pid ${holder.pid}) uses the state directory ${dir}`,
    { file },
    {
      hint: 'stop that daemon first, or give this one its own --state directory (and its own output root)',
    },
  );
}

/** Takes the lock of state directory `dir` (a stale lock is taken over); returns its release. */
export function lockStateDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  fs.mkdirSync(dir, { recursive: true });
  const startTime = startTimeOf(process.pid);
  const content = `${process.pid}${startTime === undefined ? '' : ` ${startTime}`}\n`;
  const deadline = Date.now() + DYING_WAIT_MS;
  for (;;) {
    if (createWith(file, content)) break;
    const holder = readHolder(file);
    if (holder === undefined) continue; // released meanwhile
    if (holder.pid === process.pid && holder.startTime === startTime) break; // ours already
    if (holderState(holder.pid, holder.startTime) === 'gone') {
      if (!removeStale(file, holder)) sleepSync(20);
      continue;
    }
    if (Date.now() >= deadline) throw refused(dir, file, holder);
    sleepSync(50);
  }
  removeDeadPrivateFiles(dir);
  return () => {
    try {
      const holder = readHolder(file);
      if (holder?.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}
