/**
 * The daemon under a descriptor limit (issue 12 item 11): a real daemon process under
 * `ulimit -n 128` with more logs than descriptors. Logs that cannot be opened are reported
 * "too many open files" and tried again, never rejected (before: 92 of 200 logs recorded as
 * rejected-log for good); a run whose output cannot be created says "too many open files"
 * (before: a WebAssembly "function signature mismatch") and is not recorded as failed.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonl, readJournal, sleep, smallRun, tempDir, waitFor, watchCommandLine } from './helpers.js';

const base = tempDir('emfile');
after(() => fs.rmSync(base, { recursive: true, force: true }));

describe('watch under ulimit -n', () => {
  test('more logs than descriptors: "too many open files", no log rejected, no run recorded as failed', async () => {
    const spool = path.join(base, 'spool');
    const out = path.join(base, 'out');
    const state = path.join(base, 'state');
    fs.mkdirSync(spool);
    fs.mkdirSync(out);
    for (let i = 0; i < 120; i++) fs.writeFileSync(path.join(spool, `r${String(i).padStart(3, '0')}.jsonl`), jsonl(smallRun(i + 1)));
    const line = watchCommandLine([spool, '--out', out, '--state', state, '--status-interval', '0', '--poll-interval', '1s', '--disk-full-retry', '1s']);
    const child = spawn('bash', ['-c', 'ulimit -n 128; exec "$0" "$@"', line.command, ...line.args], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const written = (): number => stdout.split('\n').filter((l) => l.includes(' wrote ')).length;
    try {
      await waitFor(() => stderr.includes('too many open files'), 'a too-many-open-files report', 90_000);
      // Settled: no new file for 3 s.
      let last = -1;
      while (written() !== last) {
        last = written();
        await sleep(3000);
      }
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr.slice(-2000));
    const journal = readJournal(state);
    const byStatus = (s: string): number => journal.filter((r) => r.status === s).length;
    console.log(`under ulimit -n 128 with 120 logs: ${byStatus('written')} written, ${byStatus('failed')} failed, ${byStatus('rejected-log')} logs rejected; ${stderr.split('too many open files').length - 1} too-many-open-files reports`);
    assert.equal(byStatus('rejected-log'), 0, 'no log rejected for lack of descriptors');
    assert.equal(byStatus('failed'), 0, 'no run recorded as failed for lack of descriptors');
    assert.ok(byStatus('written') >= 60, `${byStatus('written')} written`);
    assert.match(stderr, /WARNING .*too many open files: .*r\d{3}\.jsonl cannot be opened now .*tried again at each poll, not rejected/);
    assert.doesNotMatch(stderr, /signature mismatch|WebAssembly/);
    assert.equal(fs.readdirSync(out).filter((n) => n.includes('.nxlayout-tmp-')).length, 0, 'no temp file left');
  });
});
