/**
 * Reading a written file's default plot and attributes with Debian's h5dump
 * and h5ls only (a second HDF5 implementation, not h5wasm), and checking it
 * against the NeXus rules of issue 11.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { tool } from './h5.js';

/** Values of an h5dump DATA block: strings when quoted, else numbers. */
function dataValues(block: string): (string | number)[] {
  const body = block.slice(block.indexOf('DATA {') + 'DATA {'.length);
  const end = body.search(/^\s*}\s*$/m);
  const text = (end < 0 ? body : body.slice(0, end)).replace(/\(\d+(,\d+)*\):/g, ' ');
  const quoted = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
  if (quoted.length > 0 || /H5T_STRING/.test(block)) return quoted;
  return text
    .split(/[\s,]+/)
    .filter((t) => t !== '')
    .map(Number);
}

/** One attribute of an object, read by h5dump (undefined when the object has no such attribute). */
export function h5dumpAttr(file: string, object: string, name: string): (string | number)[] | undefined {
  const spec = object === '/' ? `/${name}` : `${object}/${name}`;
  const r = spawnSync('h5dump', ['-w', '0', '-a', spec, file], { encoding: 'utf8', cwd: path.dirname(file) });
  if (r.error) throw new Error(`h5dump could not run (${r.error.message}): install Debian's hdf5-tools`);
  if (r.status !== 0) return undefined;
  return dataValues(r.stdout);
}

export function h5dumpText(file: string, object: string, name: string): string | undefined {
  const v = h5dumpAttr(file, object, name);
  return v === undefined ? undefined : String(v[0]);
}

/** h5dumpShape of several datasets with one h5dump. */
function h5dumpShapes(file: string, datasets: readonly string[]): Map<string, { type: string; dims: number[] }> {
  const out = tool('h5dump', ['-H', ...datasets.flatMap((d) => ['-d', d]), file], path.dirname(file));
  const found = new Map<string, { type: string; dims: number[] }>();
  const parts = out.split(/^\s*DATASET "/m).slice(1);
  parts.forEach((part, i) => {
    const type = /DATATYPE\s+(\S+)/.exec(part)?.[1] ?? '?';
    const space = /DATASPACE\s+(SCALAR|SIMPLE \{ \( ([^)]*) \))/.exec(part);
    const dims =
      space === null || space[1] === 'SCALAR' ? [] : (space[2] ?? '').split(',').map((d) => Number(d.trim()));
    const name = datasets[i];
    if (name !== undefined) found.set(name, { type, dims });
  });
  return found;
}

function isNumericType(type: string): boolean {
  return /^H5T_(IEEE_F|STD_[IU]|NATIVE)/.test(type);
}

/** The names h5ls lists in a group (links included, not followed). */
function h5lsNames(file: string, group: string): string[] {
  const out = tool('h5ls', [`${file}${group}`]);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^(.*?)\s+(Soft Link|External Link|Hard Link|Group|Dataset|Type)\b/.exec(l)?.[1] ?? l.trim());
}

/**
 * `h5ls -r` of several files with ONE run of h5ls: with several files it names each object `FILE//PATH`
 * (`FILE//` the root); the lines of each file with PATH alone (`/entry/data/x   Dataset {5}`).
 */
export function h5lsRecursiveMany(files: readonly string[]): Map<string, string[]> {
  const lines = tool('h5ls', ['-r', ...files]).split('\n');
  const found = new Map<string, string[]>();
  for (const f of files) {
    const mine = lines.filter((l) => l.startsWith(`${f}//`)).map((l) => l.slice(f.length + 1));
    assert.ok(mine.length > 0, `h5ls -r lists ${f}`);
    found.set(f, mine);
  }
  return found;
}

/** The names an h5ls -r listing shows directly in `group` (links included, not followed). */
export function namesInListing(lines: readonly string[], group: string): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const full = /^(.*?)\s+(Soft Link|External Link|Hard Link|Group|Dataset|Type)\b/.exec(l)?.[1];
    if (full?.startsWith(`${group}/`) && !full.slice(group.length + 1).includes('/'))
      out.push(full.slice(group.length + 1));
  }
  return out;
}

export interface DefaultPlot {
  entry: string;
  data: string;
  signal: string;
  type: string;
  dims: number[];
  axes: string[];
  indices: Record<string, number>;
}

/**
 * Follows / @default → NXentry @default → NXdata @signal with h5dump and
 * checks what issue 11 asks of it: a numeric signal with rows, one @axes entry
 * per dimension, each axis in the group with `_indices` its position and as
 * many values as that dimension. Undefined when the file has no default plot.
 */
export function checkDefaultPlot(
  file: string,
  all: readonly DumpedAttribute[] = h5dumpAllAttributes(file),
  /** The names h5ls lists in a group (default: an h5ls of that group; or from an h5ls -r listing). */
  listNames: (group: string) => string[] = (group) => h5lsNames(file, group),
): DefaultPlot | undefined {
  const attr = (object: string, name: string): (string | number)[] | undefined =>
    all.find((a) => a.object === object && a.name === name)?.values;
  const text = (object: string, name: string): string | undefined => {
    const v = attr(object, name);
    return v === undefined ? undefined : String(v[0]);
  };
  const entryName = text('/', 'default');
  assert.ok(entryName !== undefined, `${file}: / has @default`);
  const entry = `/${entryName}`;
  assert.equal(text(entry, 'NX_class'), 'NXentry');
  const dataName = text(entry, 'default');
  if (dataName === undefined) return undefined;
  const data = `${entry}/${dataName}`;
  assert.equal(text(data, 'NX_class'), 'NXdata', `${data} is an NXdata`);
  const signal = text(data, 'signal');
  assert.ok(signal !== undefined, `${data} has @signal`);
  const names = listNames(data);
  assert.ok(names.includes(signal), `h5ls lists the signal ${signal} in ${data}: ${names.join(', ')}`);
  const axes = (attr(data, 'axes') ?? []).map(String);
  const named = axes.filter((a) => a !== '.');
  const shapes = h5dumpShapes(file, [`${data}/${signal}`, ...named.map((a) => `${data}/${a}`)]);
  const { type, dims } = shapes.get(`${data}/${signal}`) ?? { type: '?', dims: [] };
  assert.ok(isNumericType(type), `${data}/${signal} is numeric (${type})`);
  assert.ok(dims.length > 0 && dims.every((d) => d > 0), `${data}/${signal} is not empty: [${dims.join(', ')}]`);
  assert.equal(
    axes.length,
    dims.length,
    `${data} @axes ${JSON.stringify(axes)} has one entry per dimension of ${signal} [${dims.join(', ')}]`,
  );
  axes.forEach((axis, i) => {
    if (axis === '.') return;
    assert.ok(names.includes(axis), `axis ${axis} is in ${data}`);
    assert.deepEqual(attr(data, `${axis}_indices`), [i], `${data} @${axis}_indices`);
    assert.equal(
      shapes.get(`${data}/${axis}`)?.dims[0],
      dims[i],
      `axis ${axis} has a value per point of dimension ${i}`,
    );
  });
  const indices: Record<string, number> = {};
  for (const a of all)
    if (a.object === data && a.name.endsWith('_indices'))
      indices[a.name.slice(0, -'_indices'.length)] = Number(a.values[0]);
  for (const name of Object.keys(indices))
    assert.ok(names.includes(name), `@${name}_indices names a member of ${data}`);
  return { entry, data, signal, type, dims, axes, indices };
}

export interface DumpedAttribute {
  /** Path of the group or dataset (as h5dump walks it, links followed). */
  object: string;
  kind: 'GROUP' | 'DATASET';
  name: string;
  /** Quoted values as text, others as numbers. */
  values: (string | number)[];
}

/** Every attribute of every object h5dump -A shows (one run of h5dump for the whole file). */
function h5dumpAllAttributes(file: string): DumpedAttribute[] {
  return parseAllAttributes(tool('h5dump', ['-A', '-w', '0', '-m', '%.17g', file], path.dirname(file)));
}

/**
 * h5dumpAllAttributes of several files of ONE folder with one run of h5dump (it takes several files and
 * prints an `HDF5 "FILE" {` block for each): one process instead of one per file.
 */
export function h5dumpAllAttributesMany(files: readonly string[]): Map<string, DumpedAttribute[]> {
  const found = new Map<string, DumpedAttribute[]>();
  if (files.length === 0) return found;
  const dir = path.dirname(files[0]!);
  assert.ok(
    files.every((f) => path.dirname(f) === dir),
    `h5dumpAllAttributesMany: files of one folder (external links resolve from it): ${files.join(', ')}`,
  );
  const chunks = tool('h5dump', ['-A', '-w', '0', '-m', '%.17g', ...files], dir)
    .split(/^(?=HDF5 ")/m)
    .filter((c) => c.startsWith('HDF5 "'));
  assert.equal(chunks.length, files.length, 'h5dump -A prints one HDF5 block per file');
  files.forEach((f, i) => {
    assert.ok(chunks[i]!.startsWith(`HDF5 "${f}" {`), `h5dump -A block ${i} is ${f}: ${chunks[i]!.slice(0, 200)}`);
    found.set(f, parseAllAttributes(chunks[i]!));
  });
  return found;
}

/** The attributes of one file's h5dump -A listing. */
function parseAllAttributes(out: string): DumpedAttribute[] {
  const stack: { kind: string; name: string }[] = [];
  const found: DumpedAttribute[] = [];
  let current: DumpedAttribute | undefined;
  let inData = false;
  for (const line of out.split('\n')) {
    const open =
      /^\s*(GROUP|DATASET|ATTRIBUTE|DATATYPE|DATASPACE|DATA|SOFTLINK|EXTERNAL_LINK|HDF5)\b\s*(?:"((?:[^"\\]|\\.)*)")?.*\{\s*$/.exec(
        line,
      );
    const oneLine = /\{.*\}/.test(line.replace(/"(?:[^"\\]|\\.)*"/g, ''));
    if (open !== null && !oneLine) {
      const kind = open[1];
      const name = open[2] ?? '';
      stack.push({ kind, name });
      if (kind === 'ATTRIBUTE') {
        const owner = [...stack].reverse().find((s) => s.kind === 'GROUP' || s.kind === 'DATASET');
        const object =
          '/' +
          stack
            .filter((s) => s.kind === 'GROUP' || s.kind === 'DATASET')
            .map((s) => s.name)
            .filter((n) => n !== '/')
            .join('/');
        current = { object, kind: (owner?.kind ?? 'GROUP') as 'GROUP' | 'DATASET', name, values: [] };
        found.push(current);
      }
      if (kind === 'DATA' && current !== undefined) inData = true;
      continue;
    }
    if (/^\s*}\s*$/.test(line)) {
      const closed = stack.pop();
      if (closed?.kind === 'DATA') inData = false;
      if (closed?.kind === 'ATTRIBUTE') current = undefined;
      continue;
    }
    if (inData && current !== undefined) {
      const text = line.replace(/\(\d+(,\d+)*\):/g, ' ');
      const quoted = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
      if (quoted.length > 0) current.values.push(...quoted);
      else
        current.values.push(
          ...text
            .split(/[\s,]+/)
            .filter((t) => t !== '')
            .map(Number),
        );
    }
  }
  return found;
}
