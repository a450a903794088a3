/**
 * Output files under real resource limits (issue 12 items 9 and 11): long names, temp files
 * of a writer killed with -9, a full disk (a real, small tmpfs) and a full descriptor table
 * (a real process under `ulimit -n`). Processes and file systems are real; nothing is mocked.
 */
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NxlError } from '../../src/errors.js';
import { H5wasmSink, openOutput } from '../../src/nexus/index.js';
import { nxlayoutIn } from '../cli/helpers.js';
import { dumpNumbers, tool } from '../integration/h5.js';
import { fillDisk, jsonl, smallRun, startUid } from '../watch/helpers.js';

const OUTPUT_FILE = new URL('../../src/nexus/index.js', import.meta.url).href;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-resources-'));
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  fs.rmSync(base, { recursive: true, force: true });
});

const temps = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.includes('.nxlayout-tmp-'));

/** Runs `script` in its own node process, after `shell` (e.g. `ulimit -n 64`). */
function node(script: string, shell = ':'): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    'bash',
    ['-c', `${shell}; exec "$0" "$@"`, process.execPath, '--input-type=module', '-e', script],
    { encoding: 'utf8', timeout: 60_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small tmpfs of `size`, or undefined when this process may not mount (not root). */
function smallDisk(name: string, size: string): string | undefined {
  const dir = path.join(base, name);
  fs.mkdirSync(dir);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}

describe('output files and resources', () => {
  for (const [label, stem] of [
    ['ASCII', 'a'.repeat(240)],
    ['UTF-8 (2-byte characters)', 'é'.repeat(120)],
  ] as const) {
    test(`a legal 244-byte file name (${label}): the temp name stays within 255 bytes and the file is written`, () => {
      const dir = path.join(base, `long-${label.length}`);
      fs.mkdirSync(dir);
      const name = `${stem}.nxs`;
      assert.equal(Buffer.byteLength(name), 244);
      const out = openOutput(dir, name);
      const tempName = path.basename(out.tempPath);
      assert.ok(Buffer.byteLength(tempName) <= 255, `${Buffer.byteLength(tempName)} bytes`);
      assert.ok(fs.existsSync(out.tempPath));
      assert.ok(!tempName.includes('\uFFFD'), 'no character cut in half');
      out.sink.writeField('/values', 'float64', [3], [1.5, 2.5, 3.5], [], {});
      out.commit();
      assert.deepEqual(fs.readdirSync(dir), [name]);
      assert.deepEqual(dumpNumbers(path.join(dir, name), '/values'), [1.5, 2.5, 3.5]);
    });
  }

  test('the temp file of a writer killed with -9 is removed by the next `write` (in this process) into the same directory', async () => {
    const out = path.join(base, 'killed');
    fs.mkdirSync(out);
    const killed = node(
      [
        `import { openOutput } from ${JSON.stringify(OUTPUT_FILE)};`,
        `const o = openOutput(${JSON.stringify(out)}, 'big.nxs');`,
        // Past the write cache's 4 MiB (src/nexus/write-cache.ts), so the bytes are on disk when it dies.
        `o.sink.writeField('/values', 'float64', [600000], Array.from({ length: 600000 }, (_, i) => i), [], {});`,
        `console.log(o.tempPath);`,
        `process.kill(process.pid, 'SIGKILL');`,
      ].join('\n'),
    );
    assert.equal(killed.status, null, 'the writer died by SIGKILL');
    const left = killed.stdout.trim();
    assert.ok(fs.statSync(left).size > 4_000_000, 'a temp file of more than 4 MB is left behind');
    const log = path.join(base, 'killed-run.jsonl');
    const docs = smallRun(21);
    fs.writeFileSync(log, jsonl(docs));
    const w = await nxlayoutIn(['write', log, '--out', out]);
    assert.equal(w.status, 0, w.stderr);
    assert.ok(!fs.existsSync(left), "the dead writer's temp file is gone");
    assert.deepEqual(fs.readdirSync(out), [`00021_${startUid(docs).slice(0, 8)}.nxs`]);
  });

  test('a full disk (64 KiB tmpfs): "disk full" (NEXUS_DISK_FULL), nothing left behind, not even an empty temp file', async (t) => {
    const disk = smallDisk('full', '64k');
    if (disk === undefined) {
      t.skip('mount -t tmpfs needs root');
      return;
    }
    const log = path.join(base, 'big-run.jsonl');
    fs.writeFileSync(log, jsonl(smallRun(22, { events: 5000 })));
    const w = await nxlayoutIn(['write', log, '--out', disk]);
    assert.equal(w.status, 1, w.stderr);
    assert.match(w.stderr, /NEXUS_DISK_FULL: disk full: no space left on the device/);
    assert.match(w.stderr, /free space on the output file system/);
    assert.deepEqual(temps(disk), [], 'the partial temp file was removed');
    // Filled to the last byte: the temp file can be created (an inode), its first write fails.
    fillDisk(disk);
    const small = path.join(base, 'small-run.jsonl');
    fs.writeFileSync(small, jsonl(smallRun(23)));
    const full = await nxlayoutIn(['write', small, '--out', disk]);
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, /NEXUS_DISK_FULL: disk full/);
    assert.deepEqual(fs.readdirSync(disk), ['filler'], 'no 0-byte temp file after the failed create');
    // Space returns: the same command writes the run.
    fs.rmSync(path.join(disk, 'filler'));
    const again = await nxlayoutIn(['write', small, '--out', disk]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(tool('h5ls', ['-r', path.join(disk, fs.readdirSync(disk)[0])]), /\/entry\/data\/I0/);
  });

  test('a full disk at close: the failure of the last rows is the error thrown, not the failed close it causes', (t) => {
    const disk = smallDisk('full-at-close', '4m');
    if (disk === undefined) {
      t.skip('mount -t tmpfs needs root');
      return;
    }
    const file = path.join(disk, 'x.h5');
    const sink = new H5wasmSink(file);
    // Metadata the close must still write (so the close fails on a full disk too), and buffered rows.
    const attributes = [{ name: 'note', dtype: 'string' as const, shape: [], data: ['x'.repeat(100)] }];
    for (let g = 0; g < 500; g++) sink.createGroup(`/g${g}`, attributes);
    sink.appendRows(
      sink.createColumn('/x', 'float64', [], [], {}),
      Array.from({ length: 1000 }, (_, i) => i * 1.5),
    );
    fillDisk(disk);
    let thrown: unknown;
    try {
      sink.close();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof NxlError, String(thrown));
    assert.equal(thrown.code, 'NEXUS_DISK_FULL');
    assert.match(thrown.message, /while write the last rows before closing/, 'the first failure, not "while close"');
    sink.close(); // closed all the same: a second close does nothing
    fs.rmSync(path.join(disk, 'filler'));
    fs.rmSync(file);
    assert.deepEqual(fs.readdirSync(disk), []);
  });

  test('too many open files (a real process under ulimit -n 64): "too many open files" (NEXUS_TOO_MANY_FILES), no temp left', () => {
    const dir = path.join(base, 'emfile');
    fs.mkdirSync(dir);
    const r = node(
      [
        `import * as fs from 'node:fs';`,
        `import { openOutput } from ${JSON.stringify(OUTPUT_FILE)};`,
        `const fds = [];`,
        `try { for (;;) fds.push(fs.openSync('/dev/null', 'r')); } catch (e) { if (e.code !== 'EMFILE') throw e; }`,
        `let out;`,
        `try { openOutput(${JSON.stringify(dir)}, 'x.nxs'); out = { ok: true }; } catch (e) { out = { code: e.code, message: e.message, hint: e.hint }; }`,
        `for (const fd of fds) fs.closeSync(fd);`,
        `console.log(JSON.stringify({ ...out, fds: fds.length }));`,
      ].join('\n'),
      'ulimit -n 64',
    );
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { code: string; message: string; hint: string; fds: number };
    assert.ok(got.fds > 10 && got.fds < 64, `${got.fds} descriptors filled the table`);
    assert.equal(got.code, 'NEXUS_TOO_MANY_FILES');
    assert.match(got.message, /too many open files/);
    assert.match(got.hint, /ulimit -n|LimitNOFILE/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
