#!/usr/bin/env node
// Writes docs/calculations.md from the calculation registry itself, so the
// reference lists every built-in calculation with its arguments and never
// drifts from the code (test/evaluate/calculations-doc.test.ts checks it).
//   node scripts/build-calculations-doc.mjs           write the file
//   node scripts/build-calculations-doc.mjs --check   exit 1 when the file is out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { calculationsReference } = await import(join(root, 'dist/src/evaluate/calculations-doc.js'));
const file = join(root, 'docs/calculations.md');
const text = calculationsReference();
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== text) {
    console.error(`${file} is out of date: run node scripts/build-calculations-doc.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
