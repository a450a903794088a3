/**
 * Log discovery under a directory (`write DIR`, `runs DIR`): every regular
 * file with a log name, recursively, in name order. Hostile spools are met
 * with a warning and skipped, never followed into a hang:
 * - a folder that cannot be listed (EACCES…): skipped, the rest is read;
 * - FIFOs, sockets and devices: never opened (reading one blocks forever);
 * - symlinks to folders: not followed (a link loop would never end); each
 *   real folder is also listed once only (by device and inode), which stops
 *   loops through bind mounts;
 * - symlinks to files: read as the file they point to.
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import * as path from 'node:path';
import { diagnostic, type Diagnostic } from '../errors.js';

const LOG_FILE = /\.(jsonl|msgpack|json)(\.gz)?$/i;

/** True for a file name a directory search picks up as a document log. */
export function isLogFileName(name: string): boolean {
  return LOG_FILE.test(name);
}

/** What kind of file system object stands at a path, as log discovery sees it. */
export type EntryKind = 'directory' | 'file' | 'directory-link' | 'special' | 'dangling-link';

/** `special` for FIFOs, sockets and devices. `target`: the stat of a symlink's target (undefined when dangling). */
export function entryKind(own: Stats, target?: Stats): EntryKind {
  if (own.isSymbolicLink()) {
    if (target === undefined) return 'dangling-link';
    if (target.isDirectory()) return 'directory-link';
    return target.isFile() ? 'file' : 'special';
  }
  if (own.isDirectory()) return 'directory';
  return own.isFile() ? 'file' : 'special';
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The warning for a path log discovery skips; undefined for kinds that are read. */
export function skippedWarning(p: string, kind: EntryKind): Diagnostic | undefined {
  switch (kind) {
    case 'special':
      return diagnostic(
        'DOC_SKIPPED',
        'warning',
        `skipped ${p}: not a regular file (a FIFO, socket or device), so it is never read`,
        { file: p },
        'a document log must be a regular file; remove it from the spool or replace it with the file itself',
      );
    case 'directory-link':
      return diagnostic(
        'DOC_SKIPPED',
        'warning',
        `skipped ${p}: a symbolic link to a folder, which log discovery does not follow`,
        { file: p },
        'give the folder it points to as its own argument (or move the logs into the spool); links to folders are not followed so that a link loop cannot hang the search',
      );
    case 'dangling-link':
      return diagnostic(
        'DOC_SKIPPED',
        'warning',
        `skipped ${p}: a symbolic link whose target does not exist`,
        { file: p },
        'remove the link or restore its target',
      );
    default:
      return undefined;
  }
}

export interface FindLogsOptions {
  /** Folders not to enter (a daemon's output root and state folder inside its spool). */
  skipDir?: (dir: string) => boolean;
}

interface Walk {
  logs: string[];
  diagnostics: Diagnostic[];
  seen: Set<string>;
  skipDir: (dir: string) => boolean;
}

async function walk(dir: string, w: Walk, top = false): Promise<void> {
  let entries: Dirent[];
  try {
    const info = await stat(dir);
    const id = `${info.dev}:${info.ino}`;
    if (w.seen.has(id)) return;
    w.seen.add(id);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    w.diagnostics.push(
      top
        ? diagnostic(
            'DOC_IO',
            'error',
            `cannot read the folder ${dir} (${why(e)})`,
            { file: dir },
            'check the path and its permissions',
          )
        : diagnostic(
            'DOC_IO',
            'warning',
            `skipped the folder ${dir}: it cannot be read (${why(e)}); the logs elsewhere are read`,
            { file: dir },
            'give the user running nxlayout read and execute permission on it, or ignore this warning if its logs are not wanted',
          ),
    );
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!w.skipDir(full)) await walk(full, w);
      continue;
    }
    if (entry.isFile()) {
      if (isLogFileName(entry.name)) w.logs.push(full);
      continue;
    }
    if (!isLogFileName(entry.name) && !entry.isSymbolicLink()) continue;
    let kind: EntryKind;
    try {
      const own = await lstat(full);
      kind = entryKind(own, own.isSymbolicLink() ? await stat(full).catch(() => undefined) : undefined);
    } catch {
      continue; // gone since it was listed
    }
    if (kind === 'file') {
      if (isLogFileName(entry.name)) w.logs.push(full);
      continue;
    }
    // Links to folders are reported whatever their name; other things only when they look like logs.
    if (kind !== 'directory-link' && !isLogFileName(entry.name)) continue;
    const warning = skippedWarning(full, kind);
    if (warning !== undefined) w.diagnostics.push(warning);
  }
}

/** The log files under `dir`, recursively, in name order, and warnings for what was skipped. */
export async function findLogsUnder(
  dir: string,
  options: FindLogsOptions = {},
): Promise<{ logs: string[]; diagnostics: Diagnostic[] }> {
  const w: Walk = { logs: [], diagnostics: [], seen: new Set(), skipDir: options.skipDir ?? (() => false) };
  await walk(dir, w, true);
  return { logs: w.logs, diagnostics: w.diagnostics };
}
