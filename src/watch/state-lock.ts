/** One daemon per state directory: two would each believe a run unwritten and race for it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';

export const LOCK_FILE = 'daemon.pid';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock (a lock of a dead process is taken over); returns its release. */
export function lockStateDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  fs.mkdirSync(dir, { recursive: true });
  let holder = NaN;
  try {
    holder = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    // No lock yet.
  }
  if (alive(holder)) {
    throw new NxlError('WATCH_STATE', `another nxlayout watch (pid ${holder}) uses the state directory ${dir}`, { file }, {
      hint: 'stop that daemon first, or give this one its own --state directory (and its own output root)',
    });
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (Number(fs.readFileSync(file, 'utf8').trim()) === process.pid) fs.rmSync(file, { force: true });
    } catch {
      // Already gone.
    }
  };
}
