// The folders of src/ and the imports between them: which folder imports which, and whether any
// import runs against the data flow (a folder importing one of a later step, or one of its own step).
//
//   node scripts/import-matrix.mjs            the working tree's src/
//   node scripts/import-matrix.mjs REV        src/ at a git revision (a commit, a tag, a branch)
//
// Prints a Markdown table (rows import columns; each cell counts import/export-from statements and
// dynamic import() calls between two folders; "(root)" is src/'s own files) and then every import
// against the data flow with its file and line. Exits 1 when there is one. test/build/import-matrix.test.ts runs
// the same check on every `npm test`. Imports are read by TypeScript's own scanner (ts.preProcessFile).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// required, not imported: an ESM import of this 9 MB CommonJS file first scans it for its export names (+0.3 s)
const ts = createRequire(import.meta.url)('typescript');

export const REPO = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/**
 * The step of the data flow each part of src/ belongs to (DESIGN.md's data flow: documents ← run ←
 * layout ← evaluate ← nexus ← the commands). A module may import only from a step with a lower
 * number. src/index.ts and src/node.ts, the public API, gather everything; src/'s other files
 * (errors, json-pointer, paths, version) are the vocabulary every step shares.
 */
export const STEPS = {
  '(root)': 0,
  documents: 1,
  run: 2,
  layout: 3,
  evaluate: 4,
  nexus: 5,
  convert: 6,
  import: 6,
  report: 6,
  validate: 7,
  view: 7,
  watch: 7,
  bus: 8,
  cli: 9,
  '(api)': 10,
};
const API_FILES = new Set(['src/index.ts', 'src/node.ts']);
const SOURCE = /\.(ts|tsx|mts)$/;

/** The folder of a path under src/ ('src/layout/lint/x.ts' → 'layout'; 'src/errors.ts' → '(root)'). */
export function folderOf(file) {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1] : '(root)';
}

/** The step a file (or an import's './x.js' target) belongs to, a key of STEPS ('(api)': src/index.ts, src/node.ts). */
export function stepOf(file) {
  return API_FILES.has(file.replace(/\.js$/, '.ts')) ? '(api)' : folderOf(file);
}

/**
 * Every relative import between two folders of src/.
 * @param {{ path: string, text: string }[]} files  paths relative to the repository ('src/run/run.ts')
 * @returns {{ file: string, line: number, specifier: string, target: string, from: string, to: string }[]}
 */
export function folderImports(files) {
  const edges = [];
  for (const { path, text } of files) {
    if (!SOURCE.test(path) || path.endsWith('.d.ts')) continue;
    for (const { fileName, pos } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = posix.normalize(posix.join(posix.dirname(path), fileName));
      if (!target.startsWith('src/')) continue;
      const from = folderOf(path);
      const to = folderOf(target);
      if (from === to && stepOf(path) === stepOf(target)) continue;
      const line = text.slice(0, pos).split('\n').length;
      edges.push({ file: path, line, specifier: fileName, target, from, to });
    }
  }
  return edges;
}

/** The imports that run against the data flow, and the folders STEPS does not place. */
export function layerViolations(edges) {
  const found = [];
  for (const e of edges) {
    const a = stepOf(e.file);
    const b = stepOf(e.target);
    for (const step of [a, b]) {
      if (!(step in STEPS))
        found.push({ ...e, reason: `src/${step}/ has no step in scripts/import-matrix.mjs's STEPS` });
    }
    if (a in STEPS && b in STEPS && STEPS[b] >= STEPS[a]) {
      found.push({ ...e, reason: `${a} (step ${STEPS[a]}) imports ${b} (step ${STEPS[b]}): not an earlier step` });
    }
  }
  return found;
}

/** The Markdown table of folder-to-folder import counts. */
export function matrixTable(edges, folders) {
  const counts = new Map();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const key = `${e.from}>${e.to}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const cols = [...new Set(folders)].sort((a, b) => (a === '(root)' ? -1 : b === '(root)' ? 1 : a.localeCompare(b)));
  const cell = (r, c) => (r === c ? '·' : String(counts.get(`${r}>${c}`) ?? ''));
  return [
    `| imports → | ${cols.join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
    ...cols.map((r) => `| **${r}** | ${cols.map((c) => cell(r, c)).join(' | ')} |`),
  ].join('\n');
}

/** src/'s source files in the working tree under `root`. */
export function workingTreeFiles(root = REPO) {
  const dir = join(root, 'src');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && SOURCE.test(d.name))
    .map((d) => {
      const full = join(d.parentPath ?? d.path, d.name);
      return { path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') };
    });
}

/** src/'s source files at a git revision. */
export function revisionFiles(rev, root = REPO) {
  const git = (...args) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, stdio: 'pipe' });
  return git('ls-tree', '-r', '--name-only', rev, '--', 'src')
    .split('\n')
    .filter((f) => SOURCE.test(f))
    .map((f) => ({ path: f, text: git('show', `${rev}:${f}`) }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rev = process.argv[2];
  if (rev === '--help' || rev === '-h') {
    console.log('usage: node scripts/import-matrix.mjs [REV]   (default: the working tree)');
    process.exit(0);
  }
  let files;
  try {
    files = rev ? revisionFiles(rev) : workingTreeFiles();
  } catch (e) {
    const why = String(e.stderr ?? e.message).trim();
    console.error(`import-matrix: cannot read src/ ${rev ? `at revision '${rev}'` : 'of the working tree'}: ${why}`);
    process.exit(2);
  }
  const edges = folderImports(files);
  console.log(
    matrixTable(
      edges,
      files.map((f) => folderOf(f.path)),
    ),
  );
  const bad = layerViolations(edges);
  for (const v of bad) console.log(`${v.file}:${v.line}: imports '${v.specifier}' — ${v.reason}`);
  console.log(`\n${edges.length} imports from one step to another, ${bad.length} against the data flow`);
  process.exitCode = bad.length > 0 ? 1 : 0;
}
