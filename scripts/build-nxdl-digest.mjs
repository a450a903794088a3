#!/usr/bin/env node
/**
 * Builds schemas/nxdl-digest.json from a NeXus definitions checkout: for each
 * base class, application and contributed definition, the names, NX types,
 * requiredness, enumerations, nesting and `extends` that `nxlayout validate`
 * checks. No documentation text is copied. The definitions are LGPL-3.0-or-later
 * (see schemas/NXDL-NOTICE.md); the digest is derived from them.
 *
 *   npm run build && node scripts/build-nxdl-digest.mjs [DEFINITIONS_DIR] [OUT]
 *
 * DEFINITIONS_DIR defaults to ../shared/nexus-definitions, OUT to schemas/nxdl-digest.json.
 * The NXDL reader is the one validate/ uses (dist/src/validate/), so both read NXDL the same way.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'nexus-definitions'));
const out = path.resolve(process.argv[3] ?? path.join(root, 'schemas', 'nxdl-digest.json'));

let readDefinitionsDir;
try {
  ({ readDefinitionsDir } = await import(path.join(root, 'dist', 'src', 'validate', 'nxdl-load.js')));
} catch (e) {
  console.error(`cannot load the compiled NXDL reader (${e.message}): run \`npm run build\` first`);
  process.exit(2);
}

/** Leaves out what the reader restores (empty lists, `"requirement": "optional"`) to keep the file small. */
function compact(value) {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value !== 'object' || value === null) return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length === 0) continue;
    if (k === 'requirement' && v === 'optional') continue;
    out[k] = compact(v);
  }
  return out;
}

try {
  const digest = await readDefinitionsDir(dir);
  const sorted = Object.fromEntries(
    Object.entries(digest.definitions)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, d]) => [k, compact(d)]),
  );
  // one definition a line: small, and diffs stay readable when the definitions change
  const lines = Object.entries(sorted).map(([name, d]) => `    ${JSON.stringify(name)}: ${JSON.stringify(d)}`);
  const head = `  "format": ${JSON.stringify(digest.format)},\n  "version": ${JSON.stringify(digest.version)},\n  "license": ${JSON.stringify(digest.license)},\n`;
  await writeFile(out, `{\n${head}  "definitions": {\n${lines.join(',\n')}\n  }\n}\n`);
  const counts = {};
  for (const d of Object.values(sorted)) counts[d.category] = (counts[d.category] ?? 0) + 1;
  console.log(
    `${out}: ${lines.length} definitions (${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), NXDL ${digest.version}`,
  );
} catch (e) {
  console.error(e.message + (e.hint ? ` — ${e.hint}` : ''));
  process.exit(2);
}
