/**
 * Issue 12 item 1: the daemon's safety-net walk of the spool (SpoolScan,
 * SafetyNet) lists only the folders that changed since its last walk, keeps
 * nothing per log, and still finds every log the watcher did not announce —
 * in a changed folder, a new subfolder, behind a file link — without entering
 * folder links, FIFOs or skipped folders. On a real file system.
 */
import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Followers } from '../../src/watch/followers.js';
import { SafetyNet } from '../../src/watch/safety-net.js';
import { CHANGE_MARGIN_MS, SpoolScan } from '../../src/watch/spool-scan.js';
import { sleep, tempDir, waitFor } from './helpers.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function spoolDir(prefix: string): string {
  const base = tempDir(prefix);
  dirs.push(base);
  const spool = path.join(base, 'spool');
  fs.mkdirSync(spool);
  return spool;
}

test('SpoolScan: finds the unknown logs (subfolders, file links), not the known ones, nor FIFOs, folder links or skipped folders', async () => {
  const spool = spoolDir('scan-find');
  const elsewhere = path.join(path.dirname(spool), 'elsewhere');
  fs.mkdirSync(elsewhere);
  fs.mkdirSync(path.join(spool, 'a', 'deep'), { recursive: true });
  fs.mkdirSync(path.join(spool, 'out'));
  for (const f of ['r1.jsonl', 'notes.txt', 'a/r2.msgpack', 'a/deep/r3.json.gz', 'a/known.jsonl', 'out/w.jsonl'])
    fs.writeFileSync(path.join(spool, f), '{}\n');
  fs.writeFileSync(path.join(elsewhere, 'target.jsonl'), '{}\n');
  fs.symlinkSync(path.join(elsewhere, 'target.jsonl'), path.join(spool, 'link.jsonl'));
  fs.symlinkSync(elsewhere, path.join(spool, 'folder-link'));
  fs.symlinkSync('..', path.join(spool, 'a', 'loop-up'));
  assert.equal(spawnSync('mkfifo', [path.join(spool, 'fifo.jsonl')]).status, 0);
  const scan = new SpoolScan({
    spool,
    skipDir: (d) => d === path.join(spool, 'out'),
    known: (log) => log.endsWith('known.jsonl'),
  });
  assert.deepEqual(
    (await scan.unknownLogs()).map((l) => path.relative(spool, l)),
    ['link.jsonl', 'r1.jsonl', 'a/r2.msgpack', 'a/deep/r3.json.gz'],
  );
  assert.equal(scan.listed, 3, 'spool, a, a/deep listed; out skipped; links not entered');
});

test('SpoolScan: a folder unchanged since its listing is not listed again; a changed one (a log added, renamed in, a folder made) is, and its new logs found', async () => {
  const spool = spoolDir('scan-changed');
  for (let d = 0; d < 5; d++) {
    fs.mkdirSync(path.join(spool, `day${d}`));
    for (let n = 0; n < 50; n++) fs.writeFileSync(path.join(spool, `day${d}`, `run-${n}.jsonl`), '{}\n');
  }
  const known = new Set<string>();
  // A clock ahead of the file system's by more than the margin: every listing is trusted.
  const scan = new SpoolScan({
    spool,
    skipDir: () => false,
    known: (l) => known.has(l),
    now: () => Date.now() + 60_000,
  });
  const first = await scan.unknownLogs();
  assert.equal(first.length, 250);
  assert.equal(scan.listed, 6);
  for (const l of first) known.add(l);
  assert.deepEqual(await scan.unknownLogs(), []);
  assert.equal(scan.listed, 0, 'nothing changed: no folder listed');
  assert.equal(scan.folders, 6, 'a listing kept per folder');

  fs.writeFileSync(path.join(spool, 'day3', 'late.jsonl'), '{}\n');
  fs.writeFileSync(path.join(spool, '.incoming.part'), '{}\n');
  fs.renameSync(path.join(spool, '.incoming.part'), path.join(spool, 'day1', 'moved-in.jsonl'));
  fs.mkdirSync(path.join(spool, 'day4', 'sub'));
  fs.writeFileSync(path.join(spool, 'day4', 'sub', 'nested.jsonl'), '{}\n');
  assert.deepEqual((await scan.unknownLogs()).map((l) => path.relative(spool, l)).sort(), [
    'day1/moved-in.jsonl',
    'day3/late.jsonl',
    'day4/sub/nested.jsonl',
  ]);
  // spool (its entry .incoming.part went), day1, day3, day4 and the new day4/sub.
  assert.equal(scan.listed, 5);

  fs.rmSync(path.join(spool, 'day2'), { recursive: true });
  await scan.unknownLogs();
  assert.equal(scan.folders, 6, 'a deleted folder is forgotten');
});

test('SpoolScan: a listing made while its folder had just changed is made again at the next walk; every fullEveryMs all folders are listed', async () => {
  const spool = spoolDir('scan-margin');
  fs.mkdirSync(path.join(spool, 'd'));
  fs.writeFileSync(path.join(spool, 'd', 'r.jsonl'), '{}\n');
  let now = Date.now();
  const scan = new SpoolScan({ spool, skipDir: () => false, known: () => true, now: () => now, fullEveryMs: 600_000 });
  await scan.unknownLogs();
  assert.equal(scan.listed, 2);
  await scan.unknownLogs();
  assert.equal(scan.listed, 2, `changed within ${CHANGE_MARGIN_MS} ms: listed again`);
  now += CHANGE_MARGIN_MS + 1000;
  await scan.unknownLogs();
  assert.equal(scan.listed, 2, 'listed once more, now trusted');
  await scan.unknownLogs();
  assert.equal(scan.listed, 0);
  now += 600_000;
  await scan.unknownLogs();
  assert.equal(scan.listed, 2, 'the full listing');
});

test('SafetyNet: a log no event announced is queued by the walk; a put-aside log that grew by its stat check; followed logs every poll', async () => {
  const spool = spoolDir('net');
  const grown = path.join(spool, 'grown.jsonl');
  fs.writeFileSync(grown, '{}\n');
  const st = fs.statSync(grown);
  const marks = new Map([[grown, { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, offset: st.size }]]);
  const followers = new Followers(marks);
  const queued: string[] = [];
  let works = 0;
  const net = new SafetyNet({
    spool,
    skipDir: () => false,
    followers,
    add: (log) => queued.push(log),
    work: async (task) => {
      works++;
      await task();
    },
    pollMs: 50,
    statEveryPoll: false,
    rescanMs: 200,
  });
  try {
    const log = path.join(spool, 'sub', 'missed.jsonl');
    fs.mkdirSync(path.dirname(log));
    fs.writeFileSync(log, '{}\n');
    await waitFor(() => queued.includes(log), 'the missed log queued', 5000);
    assert.ok(works >= 1, 'the walk runs as the daemon work');
    assert.ok(!queued.includes(grown), 'an unchanged put-aside log is not queued');
    fs.appendFileSync(grown, '{}\n');
    await waitFor(() => queued.includes(grown), 'the grown put-aside log queued', 5000);
    // Followed: the follower is polled every tick.
    const found = await followers.lookup(log);
    assert.equal(found.kind, 'follow');
    queued.length = 0;
    await sleep(200);
    assert.ok(queued.filter((l) => l === log).length >= 2, 'a followed log is read again every poll');
  } finally {
    net.close();
  }
});
