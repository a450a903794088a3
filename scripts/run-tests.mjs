#!/usr/bin/env node
// Runs the built test suites with node's test runner.
//   node scripts/run-tests.mjs            every dist/test/**/*.test.js but the slow ones
//   node scripts/run-tests.mjs --slow     only dist/test/**/*.slow.test.js
//   node scripts/run-tests.mjs FILTER...  only test files whose path contains one of FILTER
// Only *.test.js files run: helper modules beside the tests are never run as tests.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const repo = join(import.meta.dirname, '..');
const root = join(repo, 'dist', 'test');
const args = process.argv.slice(2);
const slow = args.includes('--slow');
const filters = args.filter((a) => !a.startsWith('--'));

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && entry.name.endsWith('.test.js')) yield path;
  }
}

// A test file renamed or removed in test/ leaves its old build in dist/ (tsc deletes nothing): skip those.
const built = (f) => existsSync(join(repo, 'test', relative(root, f)).replace(/\.js$/, '.ts'));
const files = [...walk(root)]
  .filter(built)
  .filter((f) => f.endsWith('.slow.test.js') === slow)
  .filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no test file under ${root} matches ${slow ? '--slow ' : ''}${filters.join(' ')}`);
  process.exit(2);
}
const concurrency = process.env.NXLAYOUT_TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
