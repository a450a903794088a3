/** The paths a command was given: which cannot be read at all (exit 2, as the README says). */
import * as fs from 'node:fs';

/** The paths that do not exist or cannot be reached (stat fails); the others are read as usual. */
export function unreadablePaths(paths: readonly string[]): string[] {
  return paths.filter((p) => {
    try {
      fs.statSync(p);
      return false;
    } catch {
      return true;
    }
  });
}
