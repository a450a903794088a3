#!/usr/bin/env node
// The TypeScript step of `npm run build`: `tsc -b tsconfig.json`, incremental. tsconfig.json keeps
// dist/tsconfig.tsbuildinfo (deleted with dist/: a fresh clone, or `rm -rf dist`, compiles everything);
// with it, tsc compiles and type-checks again only what changed since (and what depends on it), and
// does nothing — under a second — when no source is newer than it. tsc -b does not notice an output
// deleted by hand, so this script first checks that every source has its .js and .d.ts in dist/, and
// rebuilds all (`--force`) when one is missing.
//   node scripts/build-tsc.mjs [--verbose]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const repo = join(import.meta.dirname, '..');
const ROOTS = ['src', 'test', 'bench']; // tsconfig.json's include

function* sources(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) yield path;
  }
}

const missing = [];
for (const root of ROOTS)
  for (const file of sources(join(repo, root))) {
    const out = join(repo, 'dist', relative(repo, file)).slice(0, -'.ts'.length);
    if (!existsSync(`${out}.js`) || !existsSync(`${out}.d.ts`)) missing.push(relative(repo, file));
  }
const args = ['-b', join(repo, 'tsconfig.json'), ...process.argv.slice(2)];
// Without dist/tsconfig.tsbuildinfo every output is missing anyway, and tsc builds everything.
if (missing.length > 0 && existsSync(join(repo, 'dist', 'tsconfig.tsbuildinfo'))) {
  console.log(`build-tsc: ${missing[0]} has no output in dist/ (${missing.length} in all): compiling everything`);
  args.push('--force');
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, ...args], { stdio: 'inherit', cwd: repo });
process.exit(r.status ?? 1);
