// One process of the test runner's pool (see run-tests.mjs): takes test files from a shared queue
// one at a time and runs each as a suite named after it, in this process — node starts once per
// shard, not once per file, and h5wasm, ajv and the code load once. The queue is the directory
// NXLAYOUT_TEST_QUEUE: files.json (the files in order); a file is taken by creating claims/INDEX
// (mkdir is atomic: every file runs exactly once, in whichever shard takes it first).
import { after, describe } from 'node:test';
import { mkdirSync, readFileSync } from 'node:fs';
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

for (let i = 0; i < files.length; i++) {
  if (!claim(i)) continue;
  // The suite imports the file: its tests and hooks (top-level before/after included) belong to the suite,
  // and the next file is taken when this one's suite has run.
  await new Promise((resolve) =>
    describe(relative(root, files[i]), async () => {
      after(resolve);
      await import(pathToFileURL(files[i]).href);
    }),
  );
}
