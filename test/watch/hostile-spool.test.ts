/**
 * Hostile spools (issue 12 items 4, 5, 7, 8): symlink loops, FIFOs, sockets, unreadable
 * folders and a spool inside the output root, met by `watch --once`, `write DIR` and `runs DIR`
 * as separate processes. Without the fixes the FIFO hangs them (the timeouts fail the test).
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { dumpNumbers } from '../integration/h5.js';
import { jsonl, listFiles, REPO, runWatch, smallRun, startUid, tempDir } from './helpers.js';
import { runWatchIn } from '../cli/helpers.js';

const BIN = path.join(REPO, 'dist/src/cli/bin.js');
const base = tempDir('hostile');
const servers: net.Server[] = [];
after(() => {
  for (const s of servers) s.close();
  fs.rmSync(base, { recursive: true, force: true });
});

function cli(args: string[], asNobody = false): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const argv = [process.execPath, BIN, ...args];
  const [cmd, ...rest] = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...argv] : argv;
  const r = spawnSync(cmd, rest, { cwd: REPO, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.error, undefined, `${args.join(' ')} did not finish: ${String(r.error)}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The file of run `scanId` holds I0 = 100 + i * scanId (smallRun), read back with h5dump. */
function assertRunFile(out: string, docs: ReturnType<typeof smallRun>, scanId: number): void {
  const file = path.join(out, `${String(scanId).padStart(5, '0')}_${startUid(docs).slice(0, 8)}.nxs`);
  assert.ok(fs.existsSync(file), `${file} written`);
  assert.deepEqual(dumpNumbers(file, '/entry/data/I0'), [100, 100 + scanId, 100 + 2 * scanId]);
}

/** A spool with two good logs (one through a file symlink), a FIFO, a socket, link loops and a link to a folder. */
async function hostileSpool(name: string): Promise<{ spool: string; runs: Map<number, ReturnType<typeof smallRun>> }> {
  const spool = path.join(base, name);
  const elsewhere = path.join(base, `${name}-elsewhere`);
  fs.mkdirSync(path.join(spool, 'sub'), { recursive: true });
  fs.mkdirSync(elsewhere, { recursive: true });
  const runs = new Map([1, 2, 3].map((n) => [n, smallRun(n)]));
  fs.writeFileSync(path.join(spool, 'sub', 'run1.jsonl'), jsonl(runs.get(1)!));
  fs.writeFileSync(path.join(elsewhere, 'run2.jsonl'), jsonl(runs.get(2)!));
  fs.writeFileSync(path.join(elsewhere, 'run3-target.jsonl'), jsonl(runs.get(3)!));
  fs.symlinkSync(path.join(elsewhere, 'run3-target.jsonl'), path.join(spool, 'run3.jsonl'));
  fs.symlinkSync(elsewhere, path.join(spool, 'folder-link'));
  fs.symlinkSync('..', path.join(spool, 'sub', 'loop-up'));
  fs.symlinkSync('.', path.join(spool, 'loop-self'));
  assert.equal(spawnSync('mkfifo', [path.join(spool, 'fifo.jsonl')]).status, 0);
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(path.join(spool, 'socket.jsonl'), resolve));
  servers.push(server);
  return { spool, runs };
}

describe('hostile spools', () => {
  test('watch --once: FIFOs and sockets are skipped with one warning each, folder links (loops) not followed, file links read', async () => {
    const { spool, runs } = await hostileSpool('spool-watch');
    for (const [label, root] of [
      ['spool path', spool],
      ['spool given through a symlink', path.join(base, 'spool-watch-alias')],
    ] as const) {
      if (root !== spool) fs.symlinkSync(spool, root);
      const out = path.join(base, `out-watch-${root === spool ? 'a' : 'b'}`);
      fs.mkdirSync(out);
      const t0 = Date.now();
      // A process first (a FIFO that hangs it is killed and fails the test); the alias in this process.
      const r =
        root === spool
          ? await runWatch([root, '--out', out, '--once'], 30_000)
          : await runWatchIn([root, '--out', out, '--once']);
      assert.equal(r.signal, null, `${label}: watch --once ended by itself (took ${Date.now() - t0} ms)`);
      assert.equal(r.code, 0, `${label}: ${r.stderr}`);
      assertRunFile(out, runs.get(1)!, 1);
      assertRunFile(out, runs.get(3)!, 3);
      assert.deepEqual(
        listFiles(out).filter((f) => f.endsWith('.nxs')).length,
        2,
        `${label}: run 2 (behind the folder link) is not read`,
      );
      for (const skipped of ['fifo.jsonl', 'socket.jsonl']) {
        const warnings = r.stderr.split('\n').filter((l) => l.includes(`${skipped}: not a regular file`));
        assert.equal(warnings.length, 1, `${label}: one warning for ${skipped}:\n${r.stderr}`);
        assert.match(warnings[0], /WARNING .*DOC_SKIPPED/);
      }
      for (const link of ['folder-link', 'loop-self', path.join('sub', 'loop-up')]) {
        assert.equal(
          r.stderr.split('\n').filter((l) => l.includes(`${link}: a symbolic link to a folder`)).length,
          1,
          `${label}: one warning for ${link}:\n${r.stderr}`,
        );
      }
    }
  });

  test('write DIR and runs DIR: the same spool ends, with the same runs and warnings', async () => {
    const { spool, runs } = await hostileSpool('spool-write');
    const out = path.join(base, 'out-write');
    const w = cli(['write', spool, '--out', out]);
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /2 of 2 runs written/);
    assertRunFile(out, runs.get(1)!, 1);
    assertRunFile(out, runs.get(3)!, 3);
    assert.match(w.stderr, /fifo\.jsonl: not a regular file/);
    assert.match(w.stderr, /socket\.jsonl: not a regular file/);
    assert.match(w.stderr, /loop-self: a symbolic link to a folder/);
    assert.match(w.stderr, /loop-up: a symbolic link to a folder/);
    const r = cli(['runs', spool, '--json']);
    const listed = JSON.parse(r.stdout) as { uid: string }[];
    assert.deepEqual(listed.map((x) => x.uid).sort(), [startUid(runs.get(1)!), startUid(runs.get(3)!)].sort());
  });

  test('write DIR: an unreadable subfolder (a real EACCES, as user nobody) is skipped with a warning; the rest is written', () => {
    const root = path.join(base, 'perm');
    const spool = path.join(root, 'spool');
    const out = path.join(root, 'out');
    const runs = new Map([1, 2, 3].map((n) => [n, smallRun(n)]));
    for (const [dir, n] of [
      ['a', 1],
      ['locked', 2],
      ['z', 3],
    ] as const) {
      fs.mkdirSync(path.join(spool, dir), { recursive: true });
      fs.writeFileSync(path.join(spool, dir, `run${n}.jsonl`), jsonl(runs.get(n)!));
      fs.chmodSync(path.join(spool, dir, `run${n}.jsonl`), 0o644);
    }
    fs.mkdirSync(out);
    for (const d of [base, root, spool, path.join(spool, 'a'), path.join(spool, 'z')]) fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(spool, 'locked'), 0o700); // root's: nobody gets EACCES
    fs.chmodSync(out, 0o777);
    const w = cli(['write', spool, '--out', out], true);
    assert.equal(w.status, 0, w.stderr);
    assert.match(w.stderr, /warning DOC_IO: skipped the folder .*locked: it cannot be read \(EACCES/);
    assert.match(w.stderr, /2 of 2 runs written/);
    assertRunFile(out, runs.get(1)!, 1);
    assertRunFile(out, runs.get(3)!, 3);
  });

  test('a spool equal to the output root, inside it, or inside it through a symlink: refused at start (exit 2)', async () => {
    const out = path.join(base, 'out-nested');
    const inner = path.join(out, 'spool');
    fs.mkdirSync(inner, { recursive: true });
    fs.writeFileSync(path.join(inner, 'run.jsonl'), jsonl(smallRun(4)));
    const alias = path.join(base, 'alias-of-inner');
    fs.symlinkSync(inner, alias);
    for (const [spool, what] of [
      [out, 'is the output root'],
      [inner, 'is inside the output root'],
      [alias, 'is inside the output root'],
    ] as const) {
      const r = await runWatchIn([spool, '--out', out, '--once']);
      assert.equal(r.code, 2, `${spool}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`WATCH_IO: the spool .* ${what}.*every log would be ignored`));
    }
    // The output root inside the spool stays allowed (its files are not read as logs).
    const spool = path.join(base, 'spool-outer');
    const nestedOut = path.join(spool, 'out');
    fs.mkdirSync(nestedOut, { recursive: true });
    const docs = smallRun(5);
    fs.writeFileSync(path.join(spool, 'run5.jsonl'), jsonl(docs));
    const ok = await runWatchIn([spool, '--out', nestedOut, '--once']);
    assert.equal(ok.code, 0, ok.stderr);
    assertRunFile(nestedOut, docs, 5);
  });
});
