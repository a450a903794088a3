/** Test early and fail (seeds/000): the output root and the spool are checked before anything is watched. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';
import { isInside } from '../nexus/index.js';

function why(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  // Node's messages already start with the code ("ENOENT: no such file…"): never "ENOENT: ENOENT:".
  if (err.code === undefined || err.message.startsWith(`${err.code}:`))
    return err instanceof Error ? err.message : String(e);
  return `${err.code}: ${err.message}`;
}

/** ROOT exists, is a directory, and a file can be created and removed in it. */
export function checkOutputRoot(root: string): void {
  let info: fs.Stats;
  try {
    info = fs.statSync(root);
  } catch (e) {
    throw new NxlError(
      'WATCH_IO',
      `the output root ${root} does not exist or cannot be reached (${why(e)})`,
      { file: root },
      { hint: 'create it (mkdir -p) or point --out at an existing, writable directory' },
    );
  }
  if (!info.isDirectory())
    throw new NxlError(
      'WATCH_IO',
      `the output root ${root} is not a directory`,
      { file: root },
      { hint: 'point --out at a directory' },
    );
  const probe = path.join(root, `.nxlayout-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.writeFileSync(probe, 'probe', { flag: 'wx' });
    fs.rmSync(probe);
  } catch (e) {
    fs.rmSync(probe, { force: true });
    throw new NxlError(
      'WATCH_IO',
      `the output root ${root} is not writable (${why(e)})`,
      { file: root },
      {
        hint: "give the daemon's user write permission on it, or check that its file system is not mounted read-only or full",
      },
    );
  }
}

/** SPOOL exists, is a directory, and can be listed. */
export function checkSpool(spool: string): void {
  let info: fs.Stats;
  try {
    info = fs.statSync(spool);
  } catch (e) {
    throw new NxlError(
      'WATCH_IO',
      `the spool directory ${spool} does not exist or cannot be reached (${why(e)})`,
      { file: spool },
      { hint: 'check the path (and that its file system is mounted)' },
    );
  }
  if (!info.isDirectory())
    throw new NxlError(
      'WATCH_IO',
      `the spool ${spool} is not a directory`,
      { file: spool },
      { hint: 'give the directory where the runs are logged' },
    );
  try {
    fs.readdirSync(spool);
  } catch (e) {
    throw new NxlError(
      'WATCH_IO',
      `the spool directory ${spool} cannot be read (${why(e)})`,
      { file: spool },
      { hint: "give the daemon's user read and execute permission on it" },
    );
  }
}

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The spool is neither the output root nor inside it: the daemon never reads what is under
 * its output root (its own files), so such a spool would have every log silently ignored.
 * Compared after resolving symlinks, so an alias of the output root is caught too.
 */
export function checkSpoolOutsideOutput(spool: string, root: string): void {
  const s = real(spool);
  const r = real(root);
  if (!isInside(r, s)) return;
  const what = s === r ? 'is the output root' : `is inside the output root ${root}`;
  throw new NxlError(
    'WATCH_IO',
    `the spool ${spool} ${what}: the daemon never reads logs under its output root (where it writes), so every log would be ignored`,
    { file: spool },
    {
      hint: 'keep the logs and the NeXus files apart: point --out at a directory that does not contain the spool (the output root may lie inside the spool, the spool not inside the output root)',
    },
  );
}
