/**
 * Reading written files back for the integration tests: h5wasm directly (not
 * nxlayout's readTree), Debian's h5dump / h5ls, and comparing what a file
 * holds with what the documents said.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import h5wasm from 'h5wasm/node';

const Module: Awaited<typeof h5wasm.ready> = await h5wasm.ready;
export type H5File = InstanceType<typeof h5wasm.File>;
export type H5Dataset = InstanceType<typeof h5wasm.Dataset>;

/**
 * Runs an HDF5 command-line tool. A missing tool FAILS the test: CI installs
 * hdf5-tools, and a file only h5wasm can read must not pass.
 */
export function tool(name: 'h5dump' | 'h5ls', args: string[], cwd = '/'): string {
  const r = spawnSync(name, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new Error(`${name} could not run (${r.error.message}): install Debian's hdf5-tools`);
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  if (/HDF5-DIAG|error/i.test(r.stderr))
    throw new Error(`${name} ${args.join(' ')} reported: ${r.stderr.slice(0, 2000)}`);
  return r.stdout;
}

export function withFile<T>(file: string, body: (f: H5File) => T): T {
  const f = new h5wasm.File(file, 'r');
  try {
    return body(f);
  } finally {
    f.close();
  }
}

export type LinkInfo =
  | { kind: 'soft'; target: string }
  | { kind: 'external'; file: string; target: string }
  | { kind: 'group' }
  | { kind: 'dataset' }
  | { kind: 'missing' };

/** What is at `p`, without following soft or external links. */
export function linkInfo(f: H5File, p: string): LinkInfo {
  const parent = p.slice(0, p.lastIndexOf('/')) || '/';
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (p !== '/' && (linkInfo(f, parent).kind !== 'group' || !Module.get_names(f.file_id, parent, false).includes(name)))
    return { kind: 'missing' };
  return knownLinkInfo(f, p);
}

/** linkInfo of a path known to exist (a child just listed): no existence check. */
function knownLinkInfo(f: H5File, p: string): LinkInfo {
  if (p !== '/') {
    const soft = Module.get_symbolic_link(f.file_id, p);
    if (typeof soft === 'string') return { kind: 'soft', target: soft };
    const ext = Module.get_external_link(f.file_id, p);
    if (ext && typeof ext.filename === 'string') return { kind: 'external', file: ext.filename, target: ext.obj_path };
  }
  const type = Module.get_type(f.file_id, p);
  if (type === Module.H5G_GROUP) return { kind: 'group' };
  if (type === Module.H5G_DATASET) return { kind: 'dataset' };
  return { kind: 'missing' };
}

function children(f: H5File, p: string): string[] {
  return [...Module.get_names(f.file_id, p, false)].map((n) => (p === '/' ? `/${n}` : `${p}/${n}`));
}

/** Every group reached from the root without following links. */
export function allGroups(f: H5File): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    out.push(p);
    for (const c of children(f, p)) if (knownLinkInfo(f, c).kind === 'group') visit(c);
  };
  visit('/');
  return out;
}

/** Every dataset reached from the root without following links. */
export function allDatasets(f: H5File, under = '/'): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    for (const c of children(f, p)) {
      const k = knownLinkInfo(f, c).kind;
      if (k === 'group') visit(c);
      else if (k === 'dataset') out.push(c);
    }
  };
  visit(under);
  return out;
}

export function attribute(f: H5File, p: string, name: string): unknown {
  const node = p === '/' ? f : f.get(p);
  if (node === null || !('attrs' in node)) return undefined;
  const a = node.attrs[name];
  return a === undefined ? undefined : a.json_value;
}

export function dataset(f: H5File, p: string): H5Dataset {
  const d = f.get(p);
  assert.ok(d instanceof h5wasm.Dataset, `${p} is not a dataset`);
  return d;
}

/** A dataset's rows as plain JSON-like values (scalars → the value itself). */
export function rows(f: H5File, p: string): unknown {
  const d = dataset(f, p);
  const shape = d.shape ?? [];
  // h5wasm gives [] for any dataset with no elements: rebuild the nesting its shape says ([3, 0] → [[], [], []]).
  if (shape.length > 0 && shape.includes(0)) return emptyNested(shape);
  return d.to_array();
}

function emptyNested(shape: readonly number[]): unknown[] {
  if (shape[0] === 0 || shape.length === 1) return [];
  return Array.from({ length: shape[0] }, () => emptyNested(shape.slice(1)));
}

/** Every external link reached from the root without following links. */
export function allExternalLinks(f: H5File): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    for (const c of children(f, p)) {
      const k = knownLinkInfo(f, c).kind;
      if (k === 'group') visit(c);
      else if (k === 'external') out.push(c);
    }
  };
  visit('/');
  return out;
}

export interface Resolved {
  file: string;
  path: string;
}

/**
 * Follows soft and external links from `p` (external file names relative to
 * the file's directory) to a dataset; throws when the chain breaks.
 */
export function resolveToDataset(file: string, p: string, depth = 0): Resolved {
  if (depth > 8) throw new Error(`link loop at ${file}:${p}`);
  const info = withFile(file, (f) => linkInfo(f, p));
  switch (info.kind) {
    case 'dataset':
      return { file, path: p };
    case 'soft':
      return resolveToDataset(file, info.target, depth + 1);
    case 'external':
      return resolveToDataset(path.resolve(path.dirname(file), info.file), info.target, depth + 1);
    default:
      throw new Error(`${file}:${p} is ${info.kind}, not a dataset`);
  }
}

/** One reading as the file holds it equals the document's reading (ragged/object readings are JSON text). */
export function sameReading(actual: unknown, expected: unknown, float32 = false): boolean {
  if (expected === undefined || expected === null)
    return (typeof actual === 'number' && Number.isNaN(actual)) || actual === '';
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    return float32
      ? Math.fround(expected) === actual
      : actual === expected || (Number.isNaN(actual) && Number.isNaN(expected));
  }
  if (typeof expected === 'boolean') return actual === expected || actual === (expected ? 1 : 0);
  if (typeof expected === 'string') return actual === expected;
  if (typeof actual === 'string') {
    try {
      assert.deepStrictEqual(JSON.parse(actual), expected);
      return true;
    } catch {
      return false;
    }
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => sameReading(actual[i], e, float32))
    );
  }
  return false;
}

/** Asserts row i of the dataset equals reading i of the documents, for every row, with the first mismatches in the message. */
export function assertColumn(actual: unknown, expected: readonly unknown[], label: string, float32 = false): void {
  assert.ok(
    Array.isArray(actual),
    `${label}: expected ${expected.length} rows, the file holds ${JSON.stringify(actual)}`,
  );
  assert.equal(actual.length, expected.length, `${label}: row count`);
  const bad: string[] = [];
  expected.forEach((e, i) => {
    if (!sameReading(actual[i], e, float32))
      bad.push(
        `row ${i}: file ${JSON.stringify(actual[i])?.slice(0, 120)} ≠ documents ${JSON.stringify(e)?.slice(0, 120)}`,
      );
  });
  assert.deepEqual(bad, [], `${label}: ${bad.length} row(s) differ`);
}

/** Writes a small HDF5 file (a detector's) with the given datasets. */
export function writeDetectorFile(
  file: string,
  datasets: {
    path: string;
    data: Float64Array | BigInt64Array | Int32Array | Uint16Array;
    shape: number[];
    dtype: string;
  }[],
): void {
  const f = new h5wasm.File(file, 'w');
  try {
    for (const d of datasets) {
      const parts = d.path.split('/').filter((s) => s !== '');
      let at = '';
      for (const part of parts.slice(0, -1)) {
        at += `/${part}`;
        if (linkInfo(f, at).kind === 'missing') f.create_group(at);
      }
      f.create_dataset({ name: d.path, data: d.data, shape: d.shape, dtype: d.dtype });
    }
  } finally {
    f.close();
  }
}

/** Files up to this size are dumped whole once, larger ones a dataset at a time. */
const WHOLE_DUMP_BYTES = 128 * 1024;

/** The last whole-file h5dump of each file, valid while the file is unchanged (inode, size, mtime). */
const wholeDumps = new Map<string, { key: string; blocks: Map<string, string> }>();

/**
 * The DATA block of every dataset of a small `file` from one h5dump of the whole file (a process per
 * file, not per dataset), by absolute path; datasets h5dump shows as links (soft, external, hard links
 * after the first) are not in it.
 */
function datasetDataBlocks(file: string, cwd: string): Map<string, string> | undefined {
  const st = fs.statSync(path.resolve(cwd, file));
  // A large file's whole listing costs more than the datasets asked for.
  if (st.size > WHOLE_DUMP_BYTES) return undefined;
  const key = `${cwd}|${st.ino}|${st.size}|${st.mtimeMs}`;
  const cached = wholeDumps.get(file);
  if (cached?.key === key) return cached.blocks;
  const lines = tool('h5dump', ['-y', '-w', '0', file], cwd).split('\n');
  const blocks = new Map<string, string>();
  const names: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^( *)(GROUP|DATASET) "([^"]*)" \{$/.exec(lines[i]);
    if (m === null || m[1].length % 3 !== 0) continue;
    const depth = m[1].length / 3;
    names.length = depth;
    names[depth] = m[3];
    if (m[2] === 'GROUP') continue;
    const inner = ' '.repeat(m[1].length + 3);
    let j = i + 1;
    while (j < lines.length && lines[j].startsWith(inner) && lines[j] !== `${inner}DATA {`) j++;
    if (lines[j] !== `${inner}DATA {`) continue;
    const end = lines.indexOf(`${inner}}`, j + 1);
    if (end < 0) continue;
    blocks.set(`/${names.slice(1).join('/')}`, lines.slice(j + 1, end).join('\n'));
  }
  wholeDumps.set(file, { key, blocks });
  return blocks;
}

/** h5dump's DATA block of one dataset, as numbers (reading through any links). */
export function dumpNumbers(file: string, p: string, cwd = '/'): number[] {
  return numbers(dumpDataBody(file, p, cwd));
}

/**
 * The text inside h5dump's DATA block of one dataset (`-y -w 0`: values separated by commas, strings
 * quoted), from the cached whole-file dump of a small file, else (a large file, a link) `h5dump -d`.
 */
export function dumpDataBody(file: string, p: string, cwd = '/'): string {
  let body = datasetDataBlocks(file, cwd)?.get(p);
  if (body === undefined) {
    // A link (soft, external, a second hard link) or a path the whole-file listing names otherwise: h5dump -d.
    const out = tool('h5dump', ['-y', '-w', '0', '-d', p, file], cwd);
    const start = out.indexOf('DATA {');
    assert.ok(start >= 0, `no DATA block in h5dump of ${p}:\n${out.slice(0, 2000)}`);
    body = out.slice(out.indexOf('\n', start) + 1, out.indexOf('\n   }', start));
  }
  return body;
}

function numbers(body: string): number[] {
  return body
    .split(/[\s,]+/)
    .filter((t) => t !== '')
    .map(Number);
}

/**
 * dumpNumbers of several datasets of one file with at most one h5dump run for them all (beside the
 * cached whole-file dump of a small file): `h5dump -d A -d B …`, each top-level block checked to be the
 * dataset asked. A second hard link to an object that run already printed (`HARDLINK`, no data) is
 * dumped by a run of its own.
 */
export function dumpNumbersMany(
  file: string,
  paths: readonly string[],
  cwd = '/',
  /** false: datasets known to be links (external): straight to h5dump -d, no whole-file dump. */
  whole = true,
): number[][] {
  const wholeBlocks = whole ? datasetDataBlocks(file, cwd) : undefined;
  const bodies = new Map<string, number[]>();
  for (const p of paths) {
    const b = wholeBlocks?.get(p);
    if (b !== undefined) bodies.set(p, numbers(b));
  }
  const rest = [...new Set(paths.filter((p) => !bodies.has(p)))];
  if (rest.length > 0) {
    const blocks = tool('h5dump', ['-y', '-w', '0', ...rest.flatMap((p) => ['-d', p]), file], cwd)
      .split(/^(?=DATASET ")/m)
      .slice(1);
    assert.equal(blocks.length, rest.length, `h5dump of ${file}: one block per dataset asked (${rest.join(', ')})`);
    rest.forEach((p, i) => {
      assert.ok(blocks[i].startsWith(`DATASET "${p}" {`), `h5dump block ${i} is ${p}: ${blocks[i].slice(0, 80)}`);
      const lines = blocks[i].split('\n');
      const start = lines.indexOf('   DATA {');
      if (start < 0 && /^ {3}HARDLINK "/m.test(blocks[i])) {
        bodies.set(p, dumpNumbers(file, p, cwd));
        return;
      }
      assert.ok(start >= 0, `no DATA block in h5dump of ${p}:\n${blocks[i].slice(0, 2000)}`);
      const end = lines.indexOf('   }', start + 1);
      assert.ok(end > start, `no end of the DATA block in h5dump of ${p}`);
      bodies.set(p, numbers(lines.slice(start + 1, end).join('\n')));
    });
  }
  return paths.map((p) => bodies.get(p) ?? []);
}
