#!/usr/bin/env node
// `npm run examples`: writes the example runs (examples/runs → examples/output,
// examples/xpcs → examples/xpcs/output) and leaves the checkout clean.
//
// The files are written to a temporary folder first; a committed file is replaced
// only when its content (h5dump, the file name line aside) differs from the fresh
// one. HDF5 stores the time each object header was written (h5wasm offers no way
// to turn that off), so two writes of the same run differ in a few bytes that no
// reader shows: comparing bytes would rewrite every example on every run.
// Without h5dump (Debian's hdf5-tools) every file is copied.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(repo, 'dist/src/cli/bin.js');
const sets = [
  { logs: 'examples/runs', out: 'examples/output' },
  { logs: 'examples/xpcs', out: 'examples/xpcs/output', keep: (name) => name.endsWith('.h5') }, // the detector files
];

function run(args, cwd = repo) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function filesUnder(dir, base = dir) {
  let out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out = out.concat(filesUnder(p, base));
    else if (entry.isFile()) out.push(path.relative(base, p));
  }
  return out.sort();
}

/** h5dump's text without its first line (which names the file); undefined without h5dump. */
function dump(file) {
  const r = spawnSync('h5dump', [path.basename(file)], {
    cwd: path.dirname(file),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (r.error !== undefined || r.status !== 0) return undefined;
  return r.stdout.slice(r.stdout.indexOf('\n') + 1);
}

const tmp = mkdtempSync(path.join(tmpdir(), 'nxlayout-examples-'));
try {
  let updated = 0;
  let unchanged = 0;
  for (const set of sets) {
    // A mirror of the checkout (the logs, and the detector files the runs link to, at the same
    // relative places): external links are stored relative to the output file, so the files are
    // written where they will be, relative to the logs; paths are given relative, as from the root.
    const target = path.join(repo, set.out);
    cpSync(path.join(repo, set.logs), path.join(tmp, set.logs), {
      recursive: true,
      filter: (p) => !p.startsWith(target) || (set.keep?.(p) ?? false) || statSync(p).isDirectory(),
    });
    const fresh = path.join(tmp, set.out);
    run(['write', set.logs, '--out', set.out, '--quiet'], tmp);
    const produced = filesUnder(fresh).filter((rel) => !(set.keep?.(rel) ?? false));
    for (const rel of produced) {
      const from = path.join(fresh, rel);
      const to = path.join(target, rel);
      let same = false;
      try {
        statSync(to);
        const a = dump(from);
        same = a !== undefined && a === dump(to);
      } catch {
        same = false;
      }
      if (same) unchanged++;
      else {
        mkdirSync(path.dirname(to), { recursive: true });
        copyFileSync(from, to);
        updated++;
        console.log(`updated ${path.join(set.out, rel)}`);
      }
    }
    // A file no run produces any more is stale.
    for (const rel of filesUnder(target)) {
      if (!produced.includes(rel) && !(set.keep?.(rel) ?? false)) {
        rmSync(path.join(target, rel));
        console.log(`removed ${path.join(set.out, rel)} (no run writes it)`);
      }
    }
  }
  console.log(`examples: ${updated} updated, ${unchanged} unchanged (same h5dump)`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
run(['runs', 'examples/runs', 'examples/xpcs']);
