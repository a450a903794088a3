/**
 * Reproducible files: the same runs written from two checkouts (two copies of
 * the templates and logs, in different folders) give files whose h5dump is
 * identical, equal to the examples committed in git; provenance names the
 * template by a path relative to its templates folder. `npm run examples`
 * (scripts/examples.mjs) leaving the checkout as it was: reproducible.slow.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { filesUnder } from './files-under.js';
import { nxlayoutIn, REPO, tempDir } from './helpers.js';

/**
 * h5dump's text of each of several files under `root` (names relative to it) without its first line
 * (the file name), by one h5dump run per folder, run in that folder (h5dump takes several files and
 * prints an `HDF5 "NAME" {` block for each): relative name → that text.
 */
function dumpAll(root: string, rels: readonly string[]): Map<string, string> {
  const byFolder = new Map<string, string[]>();
  for (const rel of rels) byFolder.set(path.dirname(rel), [...(byFolder.get(path.dirname(rel)) ?? []), rel]);
  const found = new Map<string, string>();
  for (const [folder, mine] of byFolder) {
    const r = spawnSync(
      'h5dump',
      mine.map((rel) => path.basename(rel)),
      {
        cwd: path.join(root, folder),
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      },
    );
    if (r.error) throw new Error(`h5dump could not run (${r.error.message}): install Debian's hdf5-tools`);
    assert.equal(r.status, 0, r.stderr);
    const blocks = r.stdout.split(/^(?=HDF5 ")/m).filter((b) => b.startsWith('HDF5 "'));
    assert.equal(blocks.length, mine.length, `h5dump prints one HDF5 block per file of ${folder}`);
    mine.forEach((rel, i) => {
      assert.ok(blocks[i]!.startsWith(`HDF5 "${path.basename(rel)}" {\n`), blocks[i]!.slice(0, 200));
      found.set(rel, blocks[i]!.slice(blocks[i]!.indexOf('\n') + 1));
    });
  }
  return found;
}

/** A checkout's worth of inputs: the templates and the example logs, in its own folder. */
function checkout(root: string): void {
  fs.cpSync(path.join(REPO, 'templates'), path.join(root, 'templates'), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples', 'runs'), path.join(root, 'examples', 'runs'), { recursive: true });
  fs.mkdirSync(path.join(root, 'examples', 'xpcs'), { recursive: true });
  for (const log of fs.readdirSync(path.join(REPO, 'examples', 'xpcs')).filter((n) => n.endsWith('.jsonl'))) {
    fs.copyFileSync(path.join(REPO, 'examples', 'xpcs', log), path.join(root, 'examples', 'xpcs', log));
  }
  // The detector files the 8-ID runs link to (made by scripts/make-xpcs-example.mjs): inputs, not outputs.
  const detector = path.join('examples', 'xpcs', 'output', 'A002_silica');
  fs.mkdirSync(path.join(root, detector), { recursive: true });
  for (const h5 of fs.readdirSync(path.join(REPO, detector)).filter((n) => n.endsWith('.h5'))) {
    fs.copyFileSync(path.join(REPO, detector, h5), path.join(root, detector, h5));
  }
}

async function writeExamples(root: string): Promise<void> {
  for (const [logs, out] of [
    ['examples/runs', 'examples/output'],
    ['examples/xpcs', 'examples/xpcs/output'],
  ] as const) {
    const r = await nxlayoutIn(['write', logs, '--out', out, '--templates', 'templates', '--quiet'], { cwd: root });
    assert.equal(r.status, 0, r.stderr);
  }
}

let dir = '';
before(async () => {
  dir = tempDir('reproducible');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reproducible files', () => {
  test('two checkouts write files with identical h5dump, equal to the examples in git', async () => {
    const a = path.join(dir, 'checkout-a');
    const b = path.join(dir, 'elsewhere', 'checkout-b');
    for (const root of [a, b]) {
      checkout(root);
      await writeExamples(root);
    }
    const outputs = ['examples/output', 'examples/xpcs/output'];
    for (const out of outputs) {
      const files = filesUnder(path.join(a, out)).filter((rel) => !rel.endsWith('.h5'));
      assert.deepEqual(
        files,
        filesUnder(path.join(b, out)).filter((rel) => !rel.endsWith('.h5')),
      );
      assert.ok(files.length >= 2, out);
      // One h5dump per folder of each checkout (and of git's examples) for all its files
      const [dumpsA, dumpsB, dumpsGit] = [a, b, REPO].map((root) => dumpAll(path.join(root, out), files));
      for (const rel of files) {
        const fresh = dumpsA.get(rel)!;
        assert.equal(dumpsB.get(rel), fresh, `${out}/${rel} differs between two checkouts`);
        assert.equal(
          dumpsGit.get(rel),
          fresh,
          `${out}/${rel} in git is not what a fresh run writes: run npm run examples and commit`,
        );
        assert.doesNotMatch(
          fresh,
          new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
          `${rel} records an absolute path of its checkout`,
        );
      }
    }
    const provenance = spawnSync(
      'h5dump',
      ['-d', '/entry/nxlayout_provenance/template_file', path.join(a, 'examples/output/00001_5c1a7e2d.nxs')],
      { encoding: 'utf8' },
    );
    assert.match(provenance.stdout, /\(0\): "default\.json"/);
  });
});
