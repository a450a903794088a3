/**
 * The rows of a column dataset of a closed HDF5 file, as `appendRows` takes
 * them (a scalar per row, or a flat array per row of rowShape): how a run
 * falling back to another template after streaming gets back the rows it
 * already wrote (convert/fallback.ts).
 */
import { wrapH5Error } from './h5-errors.js';
import { h5wasm } from './h5-runtime.js';

export function readColumnRows(file: string, path: string): unknown[] {
  let f: InstanceType<typeof h5wasm.File> | undefined;
  try {
    f = new h5wasm.File(file, 'r');
    const d = f.get(path);
    if (!(d instanceof h5wasm.Dataset)) throw new Error(`${path} is not a dataset`);
    const shape = d.shape ?? [];
    const n = shape[0] ?? 0;
    if (n === 0) return [];
    const size = shape.slice(1).reduce((a, b) => a * b, 1);
    const flat = d.value as ArrayLike<unknown> | null;
    if (flat === null) return [];
    if (shape.length === 1) return Array.from(flat);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = Array.prototype.slice.call(flat, i * size, (i + 1) * size);
    return out;
  } catch (e) {
    throw wrapH5Error(e, 'cannot read back', path, 'NEXUS_READ', file);
  } finally {
    f?.close();
  }
}
