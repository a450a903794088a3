/**
 * The safety net for discovery: a walk of the spool that finds the logs the
 * file watcher never announced (a file created in a new folder before the
 * watcher's listing of it may give no event). Only real folders are entered
 * (no symbolic links) and only regular files with a log's name are returned.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { isLogFileName } from '../run/index.js';

export async function findLogs(root: string, skipDir: (dir: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // gone or unreadable: the watcher reports it
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!skipDir(p)) pending.push(p);
      } else if (e.isFile() && isLogFileName(e.name)) found.push(p);
    }
  }
  return found;
}
