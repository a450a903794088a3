#!/usr/bin/env node
// Runs the built test suites with node's test runner.
//   node scripts/run-tests.mjs            every dist/test/**/*.test.js but the slow ones
//   node scripts/run-tests.mjs --slow     only dist/test/**/*.slow.test.js
//   node scripts/run-tests.mjs FILTER...  only test files whose path contains one of FILTER
//   --isolate                             one node process per test file (node --test's own way)
// Only *.test.js files run: helper modules beside the tests are never run as tests.
//
// By default the files run in a pool of NXLAYOUT_TEST_CONCURRENCY (2) node processes, each taking
// the next file from a shared queue (the longest first: dist/test-times.json) and running it as a suite of its own (scripts/test-shard.mjs):
// a node process, the code and h5wasm are loaded once per pool process, not once per file (about
// 0.5–1 s of CPU each). The files in ISOLATED need a process of their own (they measure or change
// the whole process) and run as node --test runs any file. NXLAYOUT_TEST_CPU=1 prints each pooled
// file's CPU seconds (`# cpu FILE S`, with the children it waited for).
//
// The fast suite's temporary files go to a folder of its own on a RAM file system (/dev/shm, where
// there is one with 1 GiB free; NXLAYOUT_TEST_TMPDIR=DIR chooses another, NXLAYOUT_TEST_TMPDIR= keeps the system's
// TMPDIR): its tests write and fsync hundreds of small files, which a disk makes wait and costs
// system time. The slow suite keeps the system's (it writes GiBs).
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const repo = join(import.meta.dirname, '..');
const root = join(repo, 'dist', 'test');
const args = process.argv.slice(2);
const slow = args.includes('--slow');
const isolate = args.includes('--isolate');
const filters = args.filter((a) => !a.startsWith('--'));

/** Files (under dist/test) that run in a process of their own, not in the pool. */
const ISOLATED = new Set([]);
/**
 * The pool takes the files longest first (in wall time: some wait for processes and timers), so that
 * none taken last leaves the other pool processes idle at the end: by their wall times in the last run
 * that ran them (dist/test-times.json, written after each pooled run). Without one (a fresh build), the
 * files of LONG_FIRST (the longest, in this order), then the others.
 */
const TIMES = join(repo, 'dist', 'test-times.json');
const LONG_FIRST = [
  'watch/hostile-spool.test.js',
  'bus/operation.test.js',
  'watch/lock.test.js',
  'cli/write-inspect.test.js',
  'documents/log-thread.test.js',
  'cli/lazy-load.test.js',
  'documents/decode-pool.test.js',
  'watch/daemon.test.js',
  'nexus/h5wasm-extracted.test.js',
  'view/server.test.js',
];
/** File (relative to dist/test) → its wall time in ms when it last ran in the pool. */
function readTimes() {
  try {
    const times = JSON.parse(readFileSync(TIMES, 'utf8'));
    return typeof times === 'object' && times !== null ? times : {};
  } catch {
    return {}; // not run yet, or cut short
  }
}
const times = readTimes();
/** The expected wall time of a file: the last measured, else a rank of LONG_FIRST (before any measured), else 1 s. */
const expectedMs = (f) => {
  const rel = relative(root, f);
  if (typeof times[rel] === 'number') return times[rel];
  const i = LONG_FIRST.indexOf(rel);
  return i < 0 ? 1000 : 1e9 - i;
};

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
const concurrency = Number(process.env.NXLAYOUT_TEST_CONCURRENCY ?? '2');

// The slow suite's files each run long and apart; so does any run of one file.
const pooled =
  isolate || slow
    ? []
    : files.filter((f) => !ISOLATED.has(relative(root, f))).sort((a, b) => expectedMs(b) - expectedMs(a));
const alone = files.filter((f) => !pooled.includes(f));
const shards = Math.min(concurrency, pooled.length);
let queue;
const entries = [...alone];
if (shards > 0 && pooled.length > 1) {
  queue = mkdtempSync(join(tmpdir(), 'nxl-test-queue-'));
  mkdirSync(join(queue, 'claims'));
  writeFileSync(join(queue, 'files.json'), JSON.stringify({ root, files: pooled }));
  const shard = pathToFileURL(join(import.meta.dirname, 'test-shard.mjs')).href;
  for (let i = 0; i < shards; i++) {
    const entry = join(queue, `pool-${i + 1}.mjs`);
    writeFileSync(entry, `import ${JSON.stringify(shard)};\n`);
    entries.push(entry);
  }
} else entries.push(...pooled);

/** /dev/shm when it has room for the suite's files (a container's is often 64 MiB): 1 GiB free. */
function ramDir() {
  try {
    const st = statfsSync('/dev/shm');
    return st.bavail * st.bsize >= 2 ** 30 ? '/dev/shm' : '';
  } catch {
    return '';
  }
}
const tmpBase = process.env.NXLAYOUT_TEST_TMPDIR ?? ramDir();
const tmp = slow || tmpBase === '' ? undefined : mkdtempSync(join(tmpBase, 'nxl-test-tmp-'));
const env = { ...process.env };
if (queue !== undefined) env.NXLAYOUT_TEST_QUEUE = queue;
if (tmp !== undefined) {
  // Like /tmp: tests that run a command as another user (nobody) need to reach their folders.
  chmodSync(tmp, 0o1777);
  env.TMPDIR = tmp;
}
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...entries], {
  stdio: 'inherit',
  env,
});
if (queue !== undefined) {
  // Each file that ran records its wall time (claims/INDEX/ms): kept for the next run's order.
  for (const [i, f] of pooled.entries()) {
    try {
      times[relative(root, f)] = Number(readFileSync(join(queue, 'claims', String(i), 'ms'), 'utf8'));
    } catch {
      /* not run (the run was stopped) */
    }
  }
  try {
    writeFileSync(`${TIMES}.${process.pid}.tmp`, `${JSON.stringify(times, null, 1)}\n`);
    renameSync(`${TIMES}.${process.pid}.tmp`, TIMES);
  } catch {
    /* dist/ read-only: the next run orders as this one */
  }
  rmSync(queue, { recursive: true, force: true });
}
if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
process.exit(result.status ?? 1);
