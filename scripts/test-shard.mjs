// One process of the test runner's pool (see run-tests.mjs): takes test files from a shared queue
// one at a time and runs each as a suite named after it, in this process — node starts once per
// shard, not once per file, and h5wasm, ajv and the code load once. The queue is the directory
// NXLAYOUT_TEST_QUEUE: files.json (the files in order); a file is taken by creating claims/INDEX
// (mkdir is atomic: every file runs exactly once, in whichever shard takes it first); claims/INDEX/ms, written
// when the file has run, is its wall time in ms.
// With NXLAYOUT_TEST_CPU=1 each file's CPU seconds (this process and the children it waited for,
// user + sys, from /proc/self/stat) are printed after it: `cpu FILE S (user U sys S, children U + S)`.
import { after, describe } from 'node:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const queue = process.env.NXLAYOUT_TEST_QUEUE;
if (queue === undefined) throw new Error('test-shard.mjs runs under scripts/run-tests.mjs (NXLAYOUT_TEST_QUEUE unset)');
const { root, files } = JSON.parse(readFileSync(join(queue, 'files.json'), 'utf8'));

function claim(index) {
  try {
    mkdirSync(join(queue, 'claims', String(index)));
    return true;
  } catch (e) {
    if (e.code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * CPU seconds of this process and its waited-for children so far (Linux: /proc/self/stat, in clock ticks of
 * 1/100 s): [user, system, children's user, children's system].
 */
function cpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3): utime, stime, cutime, cstime are fields 14–17.
  return fields.slice(11, 15).map((ticks) => Number(ticks) / 100);
}
const showCpu = process.env.NXLAYOUT_TEST_CPU === '1';

for (let i = 0; i < files.length; i++) {
  if (!claim(i)) continue;
  // The suite imports the file: its tests and hooks (top-level before/after included) belong to the suite,
  // and the next file is taken when this one's suite has run.
  const cpu0 = showCpu ? cpuSeconds() : [];
  const t0 = performance.now();
  await new Promise((resolve) =>
    describe(relative(root, files[i]), async () => {
      after(resolve);
      await import(pathToFileURL(files[i]).href);
    }),
  );
  // Its wall time, for run-tests.mjs to order the next run by (the longest first).
  writeFileSync(join(queue, 'claims', String(i), 'ms'), String(Math.round(performance.now() - t0)));
  if (showCpu) {
    // The file's own after() hooks run after this resolve: let them, then count.
    await new Promise((resolve) => setImmediate(resolve));
    const [user, sys, childUser, childSys] = cpuSeconds().map((s, k) => s - cpu0[k]);
    const total = (user + sys + childUser + childSys).toFixed(2);
    console.log(
      `cpu ${relative(root, files[i])} ${total} (user ${user.toFixed(2)} sys ${sys.toFixed(2)}, children ${childUser.toFixed(2)} + ${childSys.toFixed(2)})`,
    );
  }
}
