/**
 * Any HDF5 file as a tree of InspectedNodes for `inspect`. Links are reported as links:
 * soft links are not followed, external links are never opened.
 */
import { product } from './dtypes.js';
import { describeFilters, describeType, plainValue } from './h5-describe.js';
import { wrapH5Error } from './h5-errors.js';
import { Module, type Dataset, type File } from './h5-runtime.js';
import type { InspectedAttribute, InspectedNode } from './models.js';
import { openForReading } from './read-run.js';

/** Elements shown of an array dataset. */
export const PREVIEW_ELEMENTS = 5;

function readAttributes(file: File, p: string): InspectedAttribute[] {
  const names = Module.get_attribute_names(file.file_id, p);
  const target = p === '/' ? file : file.get(p);
  if (target === null || !('attrs' in target)) return [];
  const attrs = target.attrs;
  return [...names].sort().map((name) => {
    const a = attrs[name];
    const shape = a.shape ?? [];
    const value = plainValue(a.value, a.metadata);
    return {
      name,
      dtype: describeType(a.metadata),
      shape,
      value: shape.length === 0 && Array.isArray(value) && value.length === 1 ? value[0] : value,
    };
  });
}

/** Ranges that select a row-major prefix of at least `n` elements (whole inner axes, a few outer rows). */
function prefixRanges(shape: number[], n: number): [number, number][] {
  const ranges: [number, number][] = new Array(shape.length);
  let need = n;
  for (let d = shape.length - 1; d >= 0; d -= 1) {
    const take = Math.min(shape[d], Math.max(need, 1));
    ranges[d] = [0, take];
    need = Math.ceil(need / shape[d]);
  }
  return ranges;
}

function preview(ds: Dataset, shape: number[] | null): unknown {
  const m = ds.metadata;
  if (shape === null) return null;
  if (shape.length === 0) return plainValue(ds.value, m);
  if (product(shape) === 0) return [];
  const values = plainValue(ds.slice(prefixRanges(shape, PREVIEW_ELEMENTS)), m);
  return Array.isArray(values) ? values.slice(0, PREVIEW_ELEMENTS) : values;
}

function readDataset(file: File, p: string): InspectedNode {
  const ds = file.get(p) as Dataset;
  const m = ds.metadata;
  const shape = m.shape;
  const compression = describeFilters(ds.filters);
  return {
    kind: 'dataset',
    path: p,
    dtype: describeType(m),
    shape: shape ?? [],
    ...(m.chunks ? { chunks: [...m.chunks] } : {}),
    ...(compression === undefined ? {} : { compression }),
    attributes: readAttributes(file, p),
    preview: preview(ds, shape),
  };
}

function child(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function readNode(file: File, p: string, filePath: string): InspectedNode | undefined {
  try {
    return readEntry(file, p, filePath);
  } catch (e) {
    throw wrapH5Error(e, 'cannot read', p, 'NEXUS_READ', filePath);
  }
}

function readEntry(file: File, p: string, filePath: string): InspectedNode | undefined {
  // Link checks first: get_type would resolve a link (and open an external file).
  if (p !== '/') {
    const soft = Module.get_symbolic_link(file.file_id, p);
    if (typeof soft === 'string') return { kind: 'soft-link', path: p, target: soft };
    const ext = Module.get_external_link(file.file_id, p);
    if (ext && typeof ext.filename === 'string')
      return { kind: 'external-link', path: p, file: ext.filename, target: ext.obj_path };
  }
  const type = Module.get_type(file.file_id, p);
  if (type === Module.H5G_GROUP) {
    const names = Module.get_names(file.file_id, p, false);
    const children = [...names]
      .sort()
      .map((name) => readNode(file, child(p, name), filePath))
      .filter((n) => n !== undefined);
    return { kind: 'group', path: p, attributes: readAttributes(file, p), children };
  }
  if (type === Module.H5G_DATASET) return readDataset(file, p);
  // Committed datatypes and unknown objects have no place in the tree.
  return undefined;
}

/** Read the whole tree of the HDF5 file at `filePath` (NEXUS_READ when it cannot be read). */
export function readTree(filePath: string): InspectedNode {
  const file = openForReading(filePath, 'check that the file exists and is an HDF5 (NeXus) file');
  try {
    return readNode(file, '/', filePath) as InspectedNode;
  } finally {
    file.close();
  }
}
