/**
 * What the build computes once for every start (scripts/build-caches.mjs → dist/*.json: the help
 * texts, the shipped templates parsed): each file records the modules its data comes from
 * (paths relative to the package) and a digest of their contents. A cache is used only while
 * that digest holds: a module rebuilt since (a `tsc` after the build, another version of a
 * dependency) makes it stale, never wrong. Contents, not mtimes: an installed package keeps them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root (this module is dist/src/cli/build-cache.js). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface BuildCache<T> {
  /** Files (relative to the package root) the data was computed from. */
  sources: string[];
  /** sourcesDigest(sources) when the data was computed. */
  digest: string;
  data: T;
}

/** SHA-256 of each file's relative path and contents; undefined when one cannot be read. */
export function sourcesDigest(sources: readonly string[], root = PACKAGE_ROOT): string | undefined {
  const hash = createHash('sha256');
  for (const file of sources) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(root, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/** The data of cache file `file` when it exists and its sources are unchanged; else undefined. */
export function readBuildCache<T>(file: string, root = PACKAGE_ROOT): T | undefined {
  let cache: BuildCache<T>;
  try {
    cache = JSON.parse(fs.readFileSync(file, 'utf8')) as BuildCache<T>;
  } catch {
    return undefined; // not built, or cut short: compute as without a cache
  }
  if (!Array.isArray(cache.sources) || typeof cache.digest !== 'string') return undefined;
  return sourcesDigest(cache.sources, root) === cache.digest ? cache.data : undefined;
}
