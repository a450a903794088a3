#!/usr/bin/env node
// `npm run build` (and the build `npm test` runs first): each step in order, stopping at the first
// that fails. Each skips its work when what it reads is unchanged since it last ran — embed-schemas
// writes only what differs, build-tsc is tsc's incremental build, the others keep a stamp of their
// inputs and outputs (scripts/build-stamp.mjs) — so a build after a small change takes seconds, and one
// with nothing changed about two. A fresh clone builds everything. NXLAYOUT_BUILD_FORCE=1 reruns every
// step but tsc's (`node scripts/build-tsc.mjs --force` for that).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const STEPS = [
  'embed-schemas.mjs', // schemas/*.json → src/**/*.generated.ts (before tsc)
  'build-h5wasm.mjs', // h5wasm's WebAssembly as a file: dist/h5wasm/
  'build-tsc.mjs', // src/, test/, bench/ → dist/
  'build-validators.mjs', // ajv's standalone validators: dist/validators/ (after tsc: it loads the schemas)
  'build-caches.mjs', // the help texts and shipped templates: dist/*.json (after the validators)
  'bundle-view.mjs', // the `view` page: dist/src/view/assets/
];
for (const step of STEPS) {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, step)], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: scripts/${step} failed (${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}
