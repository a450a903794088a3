/**
 * What the daemon's file watcher looks at under the spool (chokidar's
 * `ignored`). chokidar runs with `followSymlinks: false`, so it hands over a
 * symlink's own lstat: a link to a file is read as that log, a link to a
 * folder is not followed (a loop would never end), and FIFOs, sockets and
 * devices, which would block the reader forever, are never opened. Each such
 * path is reported once through `onSkipped`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { entryKind, isLogFileName, skippedWarning } from '../documents/index.js';
import { isInside } from '../nexus/index.js';

export interface SpoolFilterOptions {
  spool: string;
  /** Folders never read (the output root and the state directory, when they are under the spool). */
  exclude: string[];
  onSkipped?: (warning: Diagnostic) => void;
}

/** The `ignored` function for chokidar: true for what must not be watched or read. */
export function spoolFilter(options: SpoolFilterOptions): (p: string, stats?: fs.Stats) => boolean {
  const spool = path.resolve(options.spool);
  const reported = new Set<string>();
  return (p, stats) => {
    const abs = path.resolve(p);
    // The spool itself is watched even when its path is a symlink.
    if (abs === spool) return false;
    if (options.exclude.some((dir) => isInside(dir, abs))) return true;
    if (stats === undefined) return false;
    let target: fs.Stats | undefined;
    if (stats.isSymbolicLink()) {
      try {
        target = fs.statSync(abs);
      } catch {
        target = undefined;
      }
    }
    const kind = entryKind(stats, target);
    if (kind === 'directory') return false;
    if (kind === 'file') return !isLogFileName(path.basename(abs));
    if (kind !== 'directory-link' && !isLogFileName(path.basename(abs))) return true;
    if (!reported.has(abs)) {
      reported.add(abs);
      const warning = skippedWarning(abs, kind);
      if (warning !== undefined) options.onSkipped?.(warning);
    }
    return true;
  };
}
