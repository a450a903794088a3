/**
 * The shipped templates as `write`, `watch`… choose them without --template(s), parsed and checked
 * at build time (scripts/build-caches.mjs → dist/templates-cache.json; see build-cache.ts): a start
 * reads them (~3 ms) instead of parsing, validating and linting every template (~0.13 s of CPU).
 * Used only while the templates folder holds exactly the files parsed then, with the same texts,
 * at the same place, and the parsing modules are unchanged; else the templates are parsed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT, readBuildCache } from './build-cache.js';
import type { ChosenTemplates } from './templates.js';

/** dist/templates-cache.json. */
export const TEMPLATES_CACHE = `${PACKAGE_ROOT}dist/templates-cache.json`;

export interface ShippedTemplates {
  /** The templates folder (absolute: the layouts' sourcePath and diagnostics name files in it). */
  dir: string;
  /** File name → text of every template in it. */
  files: Record<string, string>;
  chosen: ChosenTemplates;
}

/** File name → text of every `*.json` file directly in `dir` (the files loadLayouts reads). */
export function templateTexts(dir: string): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith('.json')) texts[e.name] = fs.readFileSync(path.join(dir, e.name), 'utf8');
  }
  return texts;
}

/** The templates chosen at build time from `dir`, when the cache holds them and is current; else undefined. */
export function cachedShippedTemplates(
  dir: string,
  file = TEMPLATES_CACHE,
  root = PACKAGE_ROOT,
): ChosenTemplates | undefined {
  const cached = readBuildCache<ShippedTemplates>(file, root);
  if (cached === undefined || cached.dir !== dir) return undefined;
  let texts: Record<string, string>;
  try {
    texts = templateTexts(dir);
  } catch {
    return undefined; // the folder cannot be read: parsing says why
  }
  const names = Object.keys(texts);
  if (names.length !== Object.keys(cached.files).length || names.some((n) => cached.files[n] !== texts[n]))
    return undefined;
  return cached.chosen;
}
