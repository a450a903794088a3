// What lets each step of `npm run build` after tsc (build-h5wasm, build-validators, build-caches,
// bundle-view) skip its work when nothing it reads has changed since it last ran.
//
// A step that ran writes a stamp, dist/.build-stamps/STEP.json: the files it read (its inputs:
// paths relative to the package root, the script itself and this module included), the files it
// wrote (its outputs), and a SHA-256 of each list's paths and contents. The step is up to date
// when both digests still hold: an input changed (a schema, a module, another version of a
// package) or an output changed or removed (`rm -rf dist/h5wasm`) makes it run again. Contents,
// not mtimes: a `git checkout` or a `touch` that changes nothing rebuilds nothing. A fresh clone
// has no stamp: every step runs. NXLAYOUT_BUILD_FORCE=1 runs them all anyway.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
/** This module, relative to `root` (an input of every step). */
const self = (root) => relative(root, fileURLToPath(import.meta.url));

/** The stamp file of `step` under `dist` (default: the package's dist/). */
export const stampFile = (step, dist = join(REPO, 'dist')) => join(dist, '.build-stamps', `${step}.json`);

/** SHA-256 of each file's path (relative to `root`) and contents; undefined when one cannot be read. */
export function filesDigest(files, root = REPO) {
  const hash = createHash('sha256');
  for (const file of files) {
    let bytes;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\0${bytes.length}\0`).update(bytes);
  }
  return hash.digest('hex');
}

/**
 * The modules `entries` (absolute paths of .js/.mjs files) import statically with relative specifiers,
 * transitively, and the package.json of every package they import (its version stands for its code),
 * relative to `root`, sorted. Throws when one does not exist.
 */
export function importClosure(entries, root = REPO) {
  const seen = new Set();
  const packages = new Set();
  const queue = entries.map((file) => [file, 'an entry']);
  while (queue.length > 0) {
    const [file, by] = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    if (!existsSync(file)) throw new Error(`build-stamp: ${file} (an input, ${by}) does not exist`);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) queue.push([resolve(dirname(file), spec), `imported by ${relative(root, file)}`]);
      else if (!spec.startsWith('node:') && !spec.startsWith('#')) packages.add(packageJson(spec, root));
    }
  }
  const files = [...seen, ...packages];
  for (const f of files) if (!existsSync(f)) throw new Error(`build-stamp: ${f} (an input) does not exist`);
  return files.map((f) => relative(root, f)).sort();
}

/** node_modules/NAME/package.json of a bare specifier ('ajv/dist/x.js', '@scope/name'), absolute. */
export function packageJson(spec, root = REPO) {
  const name = spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
  return join(root, 'node_modules', name, 'package.json');
}

function read(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // never built, or cut short
  }
}

/**
 * Whether `step` is up to date: its stamp exists, and its inputs and outputs are as it recorded them.
 * `inputs` (optional) are the inputs as the step computes them now: a stamp recorded with another
 * list is stale (a module added to the import graph). Without it, the recorded list is checked.
 */
export function upToDate(step, { inputs, dist, root = REPO } = {}) {
  if (process.env.NXLAYOUT_BUILD_FORCE === '1') return false;
  const stamp = read(stampFile(step, dist));
  if (stamp === undefined || !Array.isArray(stamp.inputs) || !Array.isArray(stamp.outputs)) return false;
  // Outputs may record where they are (the templates' folder, h5wasm's output): a moved clone builds again.
  if (stamp.root !== root) return false;
  if (inputs !== undefined && [...new Set([...inputs, self(root)])].sort().join('\n') !== stamp.inputs.join('\n'))
    return false;
  return (
    filesDigest(stamp.inputs, root) === stamp.inputsDigest && filesDigest(stamp.outputs, root) === stamp.outputsDigest
  );
}

/** The recorded summary line of an up-to-date step (what it printed when it ran), or undefined. */
export function stampSummary(step, { dist } = {}) {
  return read(stampFile(step, dist))?.summary;
}

/**
 * The inputs' digest now, taken before a step reads them: a file changed while the step runs leaves
 * a stamp that does not match it (the next build runs the step again).
 */
export function inputsDigest(inputs, root = REPO) {
  return filesDigest([...new Set([...inputs, self(root)])].sort(), root);
}

/**
 * Records that `step` built `outputs` from `inputs` (paths relative to `root`; this module is added to the
 * inputs), with the line it printed (`summary`). `digest`: inputsDigest(inputs) taken before the step read them.
 */
export function writeStamp(step, inputs, outputs, { summary, digest, dist, root = REPO } = {}) {
  const ins = [...new Set([...inputs, self(root)])].sort();
  const outs = [...new Set(outputs)].sort();
  const stamp = {
    summary,
    root,
    inputs: ins,
    inputsDigest: digest ?? filesDigest(ins, root),
    outputs: outs,
    outputsDigest: filesDigest(outs, root),
  };
  if (stamp.inputsDigest === undefined || stamp.outputsDigest === undefined)
    throw new Error(`build-stamp: ${step}: an input or output cannot be read`);
  const file = stampFile(step, dist);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(stamp, null, 1)}\n`);
  renameSync(`${file}.${process.pid}.tmp`, file);
}
