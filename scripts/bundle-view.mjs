#!/usr/bin/env node
// Bundles the page of `nxlayout view` (src/view/page/main.tsx: H5Web + its h5wasm provider + React)
// with esbuild into dist/src/view/assets/ (view.js, view.css), the static assets the package ships.
// Run by `npm run build`, `npm ci` (prepare) and `npm test`, after tsc. Nothing is fetched at run time:
// H5Web's worker and h5wasm's WebAssembly are inlined in the bundle, and it uses no web fonts.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageJson, stampSummary, upToDate, writeStamp } from './build-stamp.mjs';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'src', 'view', 'assets');
// Skipped when every file esbuild read last time (its metafile's inputs: the page, H5Web, React…),
// esbuild's version, this script and the bundle are unchanged (scripts/build-stamp.mjs).
if (upToDate('bundle-view')) {
  console.error(`${stampSummary('bundle-view')} (up to date)`);
  process.exit(0);
}
const { build } = await import('esbuild');
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: { view: join(root, 'src', 'view', 'page', 'main.tsx') },
  outdir,
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
});
const sizes = Object.keys(result.metafile.outputs).map(
  (f) => `${f.replace(/^.*assets\//, '')} ${(statSync(join(root, f)).size / 1e6).toFixed(2)} MB`,
);
const summary = `bundle-view: ${sizes.join(', ')} → ${outdir}`;
writeStamp(
  'bundle-view',
  [
    ...Object.keys(result.metafile.inputs),
    relative(root, packageJson('esbuild', root)),
    relative(root, fileURLToPath(import.meta.url)),
  ],
  Object.keys(result.metafile.outputs),
  { summary },
);
console.error(summary);
