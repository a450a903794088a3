/**
 * A run file's default plot (NeXus `default` attributes → NXdata → `@signal`,
 * `@axes`) as a small preview for the report's thumbnails: a 1-D signal
 * decimated to its min and max per bucket, a signal of rank ≥ 2 as its first
 * 2-D slice block-averaged to a few dozen cells a side. Soft links are followed
 * inside the file; an external link is reported, never opened.
 */
import { Module, type Dataset, type File } from './h5-runtime.js';
import { childPath, entryGroups, stringAttr } from './read-run.js';
import type { ImagePreview, LinePreview, PlotPreview } from './read-models.js';

/** Buckets of a 1-D preview (two points each). */
export const LINE_BUCKETS = 200;
/** Cells on the longer side of a 2-D preview. */
export const IMAGE_CELLS = 32;
/** Elements read at most from a 1-D signal (a longer one is read with a stride). */
const MAX_LINE_READ = 1 << 22;
/** Elements read at most along each side of an image (a larger one is read with a stride). */
const MAX_IMAGE_SIDE = 512;

type Resolved = { kind: 'dataset' | 'group'; path: string } | { kind: 'external'; path: string; file: string };

/** Follows soft links segment by segment (at most 16); undefined when a segment is missing. */
function resolve(file: File, p: string, hops = 0): Resolved | undefined {
  if (hops > 16) return undefined;
  let at = '/';
  const segments = p.split('/').filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const names = Module.get_names(file.file_id, at, false) as string[];
    if (!names.includes(segments[i])) return undefined;
    at = childPath(at, segments[i]);
    const ext = Module.get_external_link(file.file_id, at) as { filename?: unknown; obj_path?: unknown } | null;
    if (typeof ext?.filename === 'string') return { kind: 'external', path: at, file: ext.filename };
    const soft = Module.get_symbolic_link(file.file_id, at);
    if (typeof soft === 'string') {
      const rest = segments.slice(i + 1).join('/');
      const target = soft.startsWith('/') ? soft : childPath(at.slice(0, at.lastIndexOf('/')) || '/', soft);
      return resolve(file, rest === '' ? target : `${target}/${rest}`, hops + 1);
    }
  }
  const type = Module.get_type(file.file_id, at);
  return type === Module.H5G_GROUP
    ? { kind: 'group', path: at }
    : type === Module.H5G_DATASET
      ? { kind: 'dataset', path: at }
      : undefined;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The NXdata group the file's `default` attributes lead to (or the entry's first NXdata). */
function defaultNxdata(file: File, preferredEntry: string | undefined): string | undefined {
  const rootDefault = first(stringAttr(file, '/', 'default'));
  const fromRoot = rootDefault === undefined ? undefined : resolve(file, `/${rootDefault}`);
  const entry = fromRoot?.kind === 'group' ? fromRoot.path : (preferredEntry ?? entryGroups(file)[0]);
  if (entry === undefined) return undefined;
  const entryDefault = first(stringAttr(file, entry, 'default'));
  const fromEntry = entryDefault === undefined ? undefined : resolve(file, childPath(entry, entryDefault));
  if (fromEntry?.kind === 'group') return fromEntry.path;
  for (const name of Module.get_names(file.file_id, entry, false) as string[]) {
    const r = resolve(file, childPath(entry, name));
    if (r?.kind === 'group' && stringAttr(file, r.path, 'NX_class') === 'NXdata') return r.path;
  }
  return undefined;
}

function numericDataset(file: File, p: string): Dataset | undefined {
  const ds = file.get(p) as Dataset | null;
  const type = ds?.metadata.type;
  return ds !== null && ds !== undefined && (type === 0 || type === 1) ? ds : undefined;
}

function finite(v: unknown): number | null {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function toNumbers(v: unknown): (number | null)[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'object' && Symbol.iterator in v) return Array.from(v as Iterable<unknown>, finite);
  return [finite(v)];
}

/** Indices of the min and max of each bucket of `y`, in index order (every index when short). */
export function minMaxIndices(y: readonly (number | null)[], buckets: number = LINE_BUCKETS): number[] {
  if (y.length <= buckets * 2) return y.map((_, i) => i);
  const out: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * y.length) / buckets);
    const hi = Math.floor(((b + 1) * y.length) / buckets);
    let iMin = -1;
    let iMax = -1;
    for (let i = lo; i < hi; i++) {
      const v = y[i];
      if (v === null) continue;
      if (iMin < 0 || v < (y[iMin] as number)) iMin = i;
      if (iMax < 0 || v > (y[iMax] as number)) iMax = i;
    }
    if (iMin < 0) continue;
    if (iMin === iMax) out.push(iMin);
    else out.push(Math.min(iMin, iMax), Math.max(iMin, iMax));
  }
  return out;
}

function readLine(file: File, nxdata: string, signal: string, ds: Dataset): LinePreview {
  const n = ds.shape?.[0] ?? 0;
  const step = Math.max(1, Math.ceil(n / MAX_LINE_READ));
  const read = (d: Dataset) => toNumbers(step === 1 ? d.value : d.slice([[0, n, step]]));
  const y = read(ds);
  const keep = minMaxIndices(y);
  const preview: LinePreview = { kind: 'line', signal, length: n, y: keep.map((i) => y[i]) };
  const axis = first(stringAttr(file, nxdata, 'axes'));
  if (axis !== undefined && axis !== '.') {
    const r = resolve(file, childPath(nxdata, axis));
    const xs = r?.kind === 'dataset' ? numericDataset(file, r.path) : undefined;
    if (xs !== undefined && xs.shape?.length === 1 && xs.shape[0] === n) {
      const x = read(xs);
      preview.x = keep.map((i) => x[i]);
      preview.xName = axis;
    }
  }
  return preview;
}

/** Block means of a rows × cols grid (row-major) down to at most `cells` a side. */
export function blockMeans(
  grid: readonly (number | null)[],
  rows: number,
  cols: number,
  cells: number = IMAGE_CELLS,
): { rows: number; cols: number; values: (number | null)[] } {
  const block = Math.max(1, Math.ceil(Math.max(rows, cols) / cells));
  const outRows = Math.ceil(rows / block);
  const outCols = Math.ceil(cols / block);
  const sums = new Float64Array(outRows * outCols);
  const counts = new Uint32Array(outRows * outCols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = grid[r * cols + c];
      if (v === null || v === undefined) continue;
      const k = Math.floor(r / block) * outCols + Math.floor(c / block);
      sums[k] += v;
      counts[k] += 1;
    }
  }
  return { rows: outRows, cols: outCols, values: Array.from(sums, (s, k) => (counts[k] === 0 ? null : s / counts[k])) };
}

function readImage(signal: string, ds: Dataset, shape: number[]): ImagePreview {
  const h = shape[shape.length - 2];
  const w = shape[shape.length - 1];
  const sh = Math.max(1, Math.ceil(h / MAX_IMAGE_SIDE));
  const sw = Math.max(1, Math.ceil(w / MAX_IMAGE_SIDE));
  const ranges: [number, number, number][] = [
    ...shape.slice(0, -2).map((): [number, number, number] => [0, 1, 1]),
    [0, h, sh],
    [0, w, sw],
  ];
  const grid = h * w === 0 ? [] : toNumbers(ds.slice(ranges));
  const means = blockMeans(grid, Math.ceil(h / sh), Math.ceil(w / sw));
  return { kind: 'image', signal, shape, ...means };
}

/**
 * The default plot of an open file, or undefined when it names none, or its
 * signal is missing, not numeric, a scalar or empty.
 */
export function readPlotPreview(file: File, entry?: string): PlotPreview | undefined {
  const nxdata = defaultNxdata(file, entry);
  if (nxdata === undefined) return undefined;
  const signalName = first(stringAttr(file, nxdata, 'signal'));
  if (signalName === undefined) return undefined;
  const r = resolve(file, childPath(nxdata, signalName));
  if (r === undefined || r.kind === 'group') return undefined;
  if (r.kind === 'external') return { kind: 'external', signal: r.path, file: r.file };
  const ds = numericDataset(file, r.path);
  const shape = ds?.shape ?? [];
  if (ds === undefined || shape.length === 0 || shape.some((d) => d === 0)) return undefined;
  return shape.length === 1 ? readLine(file, nxdata, r.path, ds) : readImage(r.path, ds, shape);
}
