#!/usr/bin/env node
// Bundles the page of `nxlayout view` (src/view/page/main.tsx: H5Web + its h5wasm provider + React)
// with esbuild into dist/src/view/assets/ (view.js, view.css), the static assets the package ships.
// Run by `npm run build`, `npm ci` (prepare) and `npm test`, after tsc. Nothing is fetched at run time:
// H5Web's worker and h5wasm's WebAssembly are inlined in the bundle, and it uses no web fonts.
import { build } from 'esbuild';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'src', 'view', 'assets');
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
});
const sizes = Object.keys(result.metafile.outputs).map(
  (f) => `${f.replace(/^.*assets\//, '')} ${(statSync(join(root, f)).size / 1e6).toFixed(2)} MB`,
);
console.error(`bundle-view: ${sizes.join(', ')} → ${outdir}`);
