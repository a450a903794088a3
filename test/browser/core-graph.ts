/** The core's import graph, read from the TypeScript sources: every module src/index.ts reaches (type-only imports erased). */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/browser/). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CoreModule {
  /** Path relative to the repository, `src/…ts`. */
  readonly file: string;
  /** Module specifiers of value imports and re-exports. */
  readonly imports: string[];
  /** How it was reached from the entry (entry first). */
  readonly via: string[];
}

/** Value imports of a TypeScript module: `import type`/`export type` are erased by tsc and do not count. */
export function valueImports(text: string): string[] {
  const found: string[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^;'"]*?from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    if (m[2] !== undefined) continue;
    // `import { type A, type B } from` is erased too when every name is a type
    const names = /\{([^}]*)\}/.exec(m[3] ?? '')?.[1];
    if (
      names !== undefined &&
      !/\*|^\s*[A-Za-z_$]/.test(
        (m[3] ?? '')
          .replace(/\{[^}]*\}/, '')
          .replace(/from\s+$/, '')
          .trim() || '',
      ) &&
      names
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
        .every((n) => n.startsWith('type '))
    )
      continue;
    found.push(m[4]!);
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!);
  return found;
}

/** Every module reachable from `entry` (relative to the repository) through relative value imports. */
export function coreModules(entry = 'src/index.ts'): Map<string, CoreModule> {
  const seen = new Map<string, CoreModule>();
  const queue: { file: string; via: string[] }[] = [{ file: entry, via: [] }];
  while (queue.length > 0) {
    const { file, via } = queue.shift()!;
    if (seen.has(file)) continue;
    const imports = valueImports(readFileSync(path.join(REPO, file), 'utf8'));
    seen.set(file, { file, imports, via });
    for (const spec of imports) {
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts');
      queue.push({ file: target, via: [...via, file] });
    }
  }
  return seen;
}
