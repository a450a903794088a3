#!/usr/bin/env node
// Precompiles every ajv schema nxlayout validates with into plain JavaScript
// (ajv's standalone code), so no process compiles a schema at start-up:
//   node scripts/build-validators.mjs        (run by `npm run build` and `prepare`, after tsc)
// Writes dist/validators/{layout,formats,event-model,event-model-all}.cjs (dist/ is
// not committed). Each module records the hash of its sources; src/documents/precompiled.ts
// ignores a stale or missing one and compiles at run time instead.
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { importClosure, inputsDigest, packageJson, stampSummary, upToDate, writeStamp } from './build-stamp.mjs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repo, 'dist');
const outDir = join(dist, 'validators');
const load = (p) => import(pathToFileURL(join(dist, 'src', p)).href);

// Skipped when the modules it loads (and what they import), ajv's version, this script and the
// validators it wrote are unchanged since it last ran (scripts/build-stamp.mjs).
const ENTRIES = ['layout/schema.js', 'documents/precompiled-node.js', 'documents/validate.js'];
const OUTPUTS = ['formats', 'layout', 'event-model', 'event-model-all'].map((n) => `dist/validators/${n}.cjs`);
const inputs = [
  ...importClosure(ENTRIES.map((p) => join(dist, 'src', p))),
  relative(repo, packageJson('ajv')),
  relative(repo, fileURLToPath(import.meta.url)),
];
if (upToDate('build-validators', { inputs })) {
  console.log(`${stampSummary('build-validators')} (up to date)`);
  process.exit(0);
}
const digest = inputsDigest(inputs);

const { _ } = await import('ajv');
const standaloneCode = (await import('ajv/dist/standalone/index.js')).default;
const layout = await load('layout/schema.js');
const { sourceHash } = await load('documents/precompiled-node.js');
const events = await load('documents/validate.js');

mkdirSync(outDir, { recursive: true });
function write(name, code) {
  const file = join(outDir, `${name}.cjs`);
  writeFileSync(`${file}.tmp`, code);
  renameSync(`${file}.tmp`, file);
  return `${name}.cjs (${(code.length / 1024).toFixed(0)} KiB)`;
}
const written = [];

// The layout schema's custom format: the very function the run-time path uses.
written.push(write('formats', `"use strict";\nexports.regex = ${layout.isRegex.toString()};\n`));
{
  const ajv = layout.createLayoutAjv({ code: { source: true, formats: _`require("./formats.cjs")` } });
  ajv.addSchema(layout.layoutSchema);
  ajv.addSchema(layout.PROJECTION_SCHEMA, 'projection');
  const code = standaloneCode(ajv, { layout: String(layout.layoutSchema.$id), projection: 'projection' });
  written.push(
    write('layout', `${code}\nexports.sourceHash = ${JSON.stringify(sourceHash(layout.layoutValidatorsSource()))};\n`),
  );
}

for (const module of events.EVENT_MODEL_MODULES) {
  const ajv = events.createEventModelAjv(module.options, { code: { source: true } });
  const schemas = events.eventModelSchemas(module.modes);
  for (const [key, schema] of Object.entries(schemas)) ajv.addSchema(schema, key);
  const code = standaloneCode(ajv, Object.fromEntries(Object.keys(schemas).map((k) => [k, k])));
  written.push(
    write(
      module.name,
      `${code}\nexports.sourceHash = ${JSON.stringify(sourceHash(events.eventModelSource(module)))};\n`,
    ),
  );
}
const summary = `precompiled validators: ${written.join(', ')} in dist/validators/`;
writeStamp('build-validators', inputs, OUTPUTS, { summary, digest });
console.log(summary);
