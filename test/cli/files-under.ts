import * as fs from 'node:fs';
import * as path from 'node:path';

/** The files under `dir` (not folders), as paths relative to `base`, sorted. */
export function filesUnder(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? filesUnder(p, base) : e.isFile() ? [path.relative(base, p)] : [];
    })
    .sort();
}
