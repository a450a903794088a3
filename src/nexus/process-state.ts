/**
 * Whether a process still runs, as lock and temp-file owners are checked: a dead pid,
 * a zombie (killed but not reaped by its parent: state Z or X in /proc/PID/stat) and a
 * pid recycled for another process (another start time) are gone.
 */
import * as fs from 'node:fs';

export type ProcessState = 'running' | 'gone';

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function procStat(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The start time of process `pid` (clock ticks after boot), or undefined without /proc. */
export function startTimeOf(pid: number): string | undefined {
  return procStat(pid)?.[19];
}

/** Whether `pid` (started at `startTime`, when known) still runs. */
export function processState(pid: number, startTime?: string): ProcessState {
  if (!Number.isInteger(pid) || pid <= 0) return 'gone';
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  const stat = procStat(pid);
  if (stat === undefined) return fs.existsSync('/proc/self/stat') ? 'gone' : 'running';
  if (stat[0] === 'Z' || stat[0] === 'X') return 'gone';
  if (startTime !== undefined && stat[19] !== startTime) return 'gone';
  return 'running';
}
