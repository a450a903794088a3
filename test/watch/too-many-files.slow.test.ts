/**
 * The daemon under a descriptor limit (issue 12 items 1 and 11): a real daemon process under
 * `ulimit -n 128` with more logs than descriptors writes every run (a log holds no descriptor
 * between reads; before: 92 of 200 logs recorded as rejected-log for good). And a log that
 * cannot be opened because the process has no descriptor left (a real EMFILE, in a child
 * process that used up its descriptors) is reported "too many open files" once and read at
 * a later poll, never rejected.
 */
import { after, describe, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonl, readJournal, sleep, smallRun, tempDir, waitFor, spawnWatch } from './helpers.js';

const base = tempDir('emfile');
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe('watch under ulimit -n', () => {
  test('more logs than descriptors: every run written once, no log rejected, no run recorded as failed', async () => {
    const spool = path.join(base, 'spool');
    const out = path.join(base, 'out');
    const state = path.join(base, 'state');
    fs.mkdirSync(spool);
    fs.mkdirSync(out);
    for (let i = 0; i < 120; i++)
      fs.writeFileSync(path.join(spool, `r${String(i).padStart(3, '0')}.jsonl`), jsonl(smallRun(i + 1)));
    const w = spawnWatch(
      [
        spool,
        '--out',
        out,
        '--state',
        state,
        '--status-interval',
        '0',
        '--poll-interval',
        '1s',
        '--disk-full-retry',
        '1s',
      ],
      { ulimit: 128 },
    );
    const written = (): number =>
      w
        .stdout()
        .split('\n')
        .filter((l) => l.includes(' wrote ')).length;
    try {
      await waitFor(() => written() > 0, 'a first file', 90_000);
      // Settled: no new file for 3 s.
      let last = -1;
      while (written() !== last) {
        last = written();
        await sleep(3000);
      }
    } finally {
      w.child.kill('SIGTERM');
    }
    assert.equal(await w.exited, 0, w.stderr().slice(-2000));
    const journal = readJournal(state);
    const byStatus = (s: string): number => journal.filter((r) => r.status === s).length;
    console.log(
      `under ulimit -n 128 with 120 logs: ${byStatus('written')} written, ${byStatus('failed')} failed, ${byStatus('rejected-log')} logs rejected; ${w.stderr().split('too many open files').length - 1} too-many-open-files reports`,
    );
    assert.equal(byStatus('rejected-log'), 0, 'no log rejected for lack of descriptors');
    assert.equal(byStatus('failed'), 0, 'no run recorded as failed for lack of descriptors');
    assert.equal(byStatus('written'), 120, `${byStatus('written')} written`);
    assert.equal(new Set(journal.filter((r) => r.status === 'written').map((r) => r.uid)).size, 120, 'each run once');
    assert.doesNotMatch(w.stderr(), /signature mismatch|WebAssembly/);
    assert.equal(fs.readdirSync(out).filter((n) => n.includes('.nxlayout-tmp-')).length, 0, 'no temp file left');
  });
});

describe('a log that cannot be opened for want of a descriptor', () => {
  test('a real EMFILE: reported once as "too many open files", not rejected, read once a descriptor is free', () => {
    const log = path.join(base, 'emfile.jsonl');
    fs.writeFileSync(log, jsonl(smallRun(7)));
    const follower = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/watch/log-follower.js');
    const script = path.join(base, 'emfile-child.mjs');
    fs.writeFileSync(
      script,
      `
      import * as fs from 'node:fs';
      const { LogFollower } = await import(${JSON.stringify(follower)});
      const held = [];
      try { for (;;) held.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }
      const f = new LogFollower(${JSON.stringify(log)});
      const first = await f.read();
      const second = await f.read();
      for (const fd of held) fs.closeSync(fd);
      const third = await f.read();
      const show = (b) => ({ problems: b.items.filter((i) => i.kind === 'problem').map((i) => i.diagnostic.severity + ' ' + i.diagnostic.message), documents: b.items.filter((i) => i.kind === 'document').length, rejected: b.rejected?.message });
      console.log(JSON.stringify({ held: held.length, first: show(first), second: show(second), third: show(third), rejected: f.rejected?.message ?? null }));
    `,
    );
    const out = execFileSync('bash', ['-c', 'ulimit -n 64; exec "$0" "$@"', process.execPath, script], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as Record<
      string,
      { problems: string[]; documents: number; rejected?: string }
    > & { held: number; rejected: string | null };
    assert.ok(r.held > 0, 'the child used up its descriptors');
    assert.equal(r.first.documents, 0);
    assert.equal(r.first.problems.length, 1);
    assert.match(
      r.first.problems[0]!,
      /^warning too many open files: .*emfile\.jsonl cannot be opened now \(too many open files \(EMFILE\).*tried again at each poll, not rejected/,
    );
    assert.equal(r.first.rejected, undefined);
    assert.deepEqual(r.second, { problems: [], documents: 0 }, 'reported once');
    assert.equal(r.third.documents, smallRun(7).length, 'read in full once a descriptor is free');
    assert.equal(r.rejected, null);
  });
});
