#!/usr/bin/env node
// Extracts the event-model JSON schemas from the "Formal schema" blocks of the
// event-model documentation snapshot in shared/seeds/002_*.txt, so the origin
// of schemas/event-model/*.json is reproducible:
//   node scripts/extract-event-model-schemas.mjs [seed.txt] [outdir]
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const seeds = join(repo, '..', 'shared', 'seeds');
const seed =
  process.argv[2] ??
  join(
    seeds,
    readdirSync(seeds).find((f) => f.startsWith('002_')),
  );
const outDir = process.argv[3] ?? join(repo, 'schemas', 'event-model');

// The schema's "title" in the seed → the file name nxlayout uses (the document name).
const FILES = {
  run_start: 'start.json',
  event_descriptor: 'descriptor.json',
  event: 'event.json',
  event_page: 'event_page.json',
  run_stop: 'stop.json',
  resource: 'resource.json',
  datum: 'datum.json',
  datum_page: 'datum_page.json',
  stream_resource: 'stream_resource.json',
  stream_datum: 'stream_datum.json',
};

const lines = readFileSync(seed, 'utf8').split(/\r?\n/);
const found = new Map();
for (let i = 0; i < lines.length; i++) {
  if (!/formal\b.*\bschema:\s*$/i.test(lines[i])) continue;
  let start = i + 1;
  while (start < lines.length && lines[start].trim() === '') start++;
  if (lines[start] !== '{') throw new Error(`${seed}:${start + 1}: expected "{" after "${lines[i]}"`);
  // The block ends at the first closing brace in column 0 (the blocks are pretty-printed).
  let end = start + 1;
  while (end < lines.length && lines[end] !== '}') end++;
  const schema = JSON.parse(lines.slice(start, end + 1).join('\n'));
  const file = FILES[schema.title];
  if (file === undefined)
    throw new Error(`${seed}:${start + 1}: unexpected schema title ${JSON.stringify(schema.title)}`);
  if (found.has(file)) throw new Error(`${seed}:${start + 1}: second schema for ${schema.title}`);
  found.set(file, schema);
  i = end;
}

const missing = Object.entries(FILES)
  .filter(([, f]) => !found.has(f))
  .map(([t]) => t);
if (missing.length > 0) throw new Error(`${seed}: no formal schema found for ${missing.join(', ')}`);

mkdirSync(outDir, { recursive: true });
for (const [file, schema] of found) {
  writeFileSync(join(outDir, file), JSON.stringify(schema, null, 2) + '\n');
  console.log(`${join(outDir, file)} (${schema.title})`);
}
