/**
 * A full disk under the daemon (issue 12 item 11): the run is reported as "disk full", not
 * recorded as failed, and written once space returns, by the same daemon process. The output
 * root is a real 1 MiB tmpfs, filled to the last byte with a filler file.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dumpNumbers } from '../integration/h5.js';
import { drop, fillDisk, jsonl, readJournal, smallRun, startUid, tempDir, waitFor, spawnWatch } from './helpers.js';

const base = tempDir('diskfull');
let mounted: string | undefined;
after(() => {
  if (mounted !== undefined) spawnSync('umount', [mounted]);
  fs.rmSync(base, { recursive: true, force: true });
});

describe('watch on a full disk', () => {
  test('"disk full": the run waits (not recorded), and is written by the running daemon when space returns', async (t) => {
    const out = path.join(base, 'out');
    fs.mkdirSync(out);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', out]).status !== 0) {
      t.skip('mount -t tmpfs needs root');
      return;
    }
    mounted = out;
    const spool = path.join(base, 'spool');
    const state = path.join(base, 'state');
    fs.mkdirSync(spool);
    const w = spawnWatch([
      spool,
      '--out',
      out,
      '--state',
      state,
      // Retries every 100 ms (was 300): the 350 ms on the full disk below still span 3.5 of them.
      '--disk-full-retry',
      '100ms',
      '--status-interval',
      '0',
      '--poll-interval',
      '200ms',
    ]);
    try {
      await waitFor(() => w.stdout().includes('watching '), 'the daemon to start');
      const filler = fillDisk(out);
      const docs = smallRun(51);
      drop(path.join(spool, 'run.jsonl'), jsonl(docs));
      await waitFor(() => w.stderr().includes('disk full'), 'the disk-full report', 30_000);
      assert.match(
        w.stderr(),
        new RegExp(
          `ERROR .*NEXUS_DISK_FULL: run ${startUid(docs)}: disk full, its file was not written .*written again as soon as the output file system has free space \\(tried every 100 ms\\)`,
        ),
      );
      assert.doesNotMatch(w.stderr(), /WebAssembly|signature/);
      await new Promise((r) => setTimeout(r, 350)); // a few retry rounds on the still-full disk
      assert.deepEqual(fs.readdirSync(out), ['filler'], 'nothing written, no temp file left');
      assert.deepEqual(readJournal(state), [], 'the run is not recorded as failed');
      fs.rmSync(filler);
      const file = path.join(out, `00051_${startUid(docs).slice(0, 8)}.nxs`);
      await waitFor(() => w.stdout().includes(`wrote ${file}`), 'the run written after space returned', 30_000);
      assert.deepEqual(dumpNumbers(file, '/entry/data/I0'), [100, 151, 202]);
      assert.deepEqual(
        readJournal(state).map((r) => [r.uid, r.status]),
        [[startUid(docs), 'written']],
      );
      assert.equal(w.stdout().split(`wrote ${file}`).length, 2, 'written once');
    } finally {
      w.child.kill('SIGTERM');
    }
    assert.equal(await w.exited, 0, w.stderr());
  });
});
