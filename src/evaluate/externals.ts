/**
 * External data (resource/datum, stream_resource/stream_datum) is linked,
 * never copied:
 * - one HDF5 dataset → an external link at the node's path;
 * - several HDF5 files/datasets → a group of external links data_000001…,
 *   with `@external_indices` giving each one's row ranges;
 * - anything else (NPY_SEQ, TIFF…) → a string field of the files' paths (one per
 *   frame for file-per-frame data) with `@external_spec`.
 * A file that does not exist when the run is planned is a warning, not an error:
 * detectors often write after the documents, or the files are copied later.
 */
import { NxlError } from '../errors.js';
import type { ExternalRef } from '../run/models.js';
import type { Resolved } from './env.js';
import type { PlannedAttribute, PlannedGroup, PlannedNode } from './models.js';
import { childPath } from './names.js';

/** areaDetector's NDFileHDF5 writes its frames here unless a layout says otherwise. */
const AD_DEFAULT_DATASET = '/entry/data/data';

type External = Extract<Resolved, { kind: 'external' }>;

/** Reports a problem of the external data that still lets the node be written. */
export type ExternalWarning = (message: string, hint: string) => void;

export function planExternal(
  r: External,
  path: string,
  pointer: string,
  attributes: PlannedAttribute[],
  events?: number,
  warn: ExternalWarning = () => {},
): PlannedNode {
  if (r.refs.length === 0) {
    throw new NxlError(
      'EVAL_EXTERNAL',
      `${r.stream}/${r.field} is external (${r.dataKey?.external ?? 'stream_resource'}) but no resource locates its data`,
      { stream: r.stream, field: r.field },
      {
        hint: 'the log has no resource/datum (or stream_resource/stream_datum) for this field',
      },
    );
  }
  const base = { pointer, source: r.source };
  const missing = [...new Set(r.refs.filter((ref) => ref.exists === false).map((ref) => ref.path))];
  if (missing.length > 0) {
    const kind = r.refs.every((ref) => ref.hdf5)
      ? 'the external link is written and resolves'
      : 'its name is recorded; the data can be read';
    warn(
      `${r.stream}/${r.field}: ${missing.length === 1 ? `the detector file ${missing[0]} does not exist` : `${missing.length} of its ${r.refs.length} files do not exist (first: ${missing[0]})`} yet`,
      `the detector may still be writing it, or it is copied later: ${kind} once the file arrives; check the path if it never does`,
    );
  }
  if (r.refs.every((ref) => ref.hdf5)) {
    const targets = groupByTarget(r.refs);
    if (targets.length === 1) {
      const [t] = targets as [Target];
      const shape = targetShape(r.dataKey?.shape, t.indices, events);
      const external = { stream: r.stream, field: r.field, ...(shape === undefined ? {} : { shape }) };
      return {
        kind: 'link',
        path,
        linkType: 'external',
        file: t.file,
        target: t.dataset,
        attributes: [],
        ...base,
        external,
        source: `${r.source} → ${t.file}:${t.dataset}`,
      };
    }
    const children: PlannedNode[] = targets.map((t, i) => ({
      kind: 'link',
      linkType: 'external',
      path: childPath(path, `data_${String(i + 1).padStart(6, '0')}`),
      file: t.file,
      target: t.dataset,
      attributes: [],
      ...base,
      source: `${r.source} → ${t.file}:${t.dataset}`,
    }));
    const ranges = targets.map((t) => t.indices.map((x) => `${x.start}:${x.stop}`).join(','));
    const group: PlannedGroup = {
      kind: 'group',
      path,
      nxClass: 'NXcollection',
      children,
      ...base,
      attributes: [...attributes, { name: 'external_indices', dtype: 'string', shape: [ranges.length], data: ranges }],
    };
    return group;
  }
  // Files of other formats (NPY, TIFF…) are named, one per frame for file-per-frame data, as resolved (root_map, suffix)
  const files = [...new Set(r.refs.map((ref) => ref.path))];
  const specs = [...new Set(r.refs.map((ref) => ref.spec))].join(',');
  return {
    kind: 'field',
    path,
    dtype: 'string',
    shape: [files.length],
    value: { kind: 'inline', data: files },
    storage: {},
    ...base,
    attributes: [...attributes, { name: 'external_spec', dtype: 'string', shape: [], data: [specs] }],
  };
}

/**
 * The shape of the detector's dataset as the documents give it: the rows the
 * datums read, then the data key's shape per reading, its first dimension
 * merged into the rows when it counts the frames of each event (ophyd-async's
 * `[frames, y, x]`). Undefined when the data key leaves a dimension unknown (0).
 */
function targetShape(
  declared: unknown,
  indices: readonly { start: number; stop: number }[],
  events?: number,
): number[] | undefined {
  const dims = Array.isArray(declared) ? declared.filter((d): d is number => typeof d === 'number') : [];
  if (dims.some((d) => d <= 0)) return undefined;
  const rows = indices.length > 0 ? indices.reduce((n, x) => n + x.stop - x.start, 0) : events;
  if (rows === undefined) return undefined;
  const perEvent = events !== undefined && events > 0 && dims.length > 0 && dims[0] * events === rows;
  return [rows, ...(perEvent ? dims.slice(1) : dims)];
}

interface Target {
  file: string;
  dataset: string;
  indices: { start: number; stop: number }[];
}

/** One target per (file, dataset), in order of first use, with its row ranges merged. */
function groupByTarget(refs: readonly ExternalRef[]): Target[] {
  const out = new Map<string, Target>();
  for (const ref of refs) {
    const dataset = ref.dataset ?? AD_DEFAULT_DATASET;
    const key = `${ref.path}\u0000${dataset}`;
    const t = out.get(key) ?? { file: ref.path, dataset, indices: [] };
    t.indices.push(...ref.indices);
    out.set(key, t);
  }
  for (const t of out.values()) t.indices = mergeRanges(t.indices);
  return [...out.values()];
}

function mergeRanges(ranges: { start: number; stop: number }[]): { start: number; stop: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: { start: number; stop: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.stop) last.stop = Math.max(last.stop, r.stop);
    else out.push({ ...r });
  }
  return out;
}
