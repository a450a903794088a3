/**
 * External data (resource/datum, stream_resource/stream_datum) is linked,
 * never copied:
 * - one HDF5 dataset → an external link at the node's path;
 * - several HDF5 files/datasets → a group of external links data_000001…,
 *   with `@external_indices` giving each one's row ranges;
 * - anything else (NPY_SEQ, TIFF…) → a string field of the files' URIs with `@external_spec`.
 */
import { NxlError } from '../errors.js';
import type { ExternalRef } from '../run/models.js';
import type { Resolved } from './env.js';
import type { PlannedAttribute, PlannedGroup, PlannedNode } from './models.js';
import { childPath } from './names.js';

/** areaDetector's NDFileHDF5 writes its frames here unless a layout says otherwise. */
const AD_DEFAULT_DATASET = '/entry/data/data';

type External = Extract<Resolved, { kind: 'external' }>;

export function planExternal(r: External, path: string, pointer: string, attributes: PlannedAttribute[], events?: number): PlannedNode {
  if (r.refs.length === 0) {
    throw new NxlError('EVAL_EXTERNAL', `${r.stream}/${r.field} is external (${r.dataKey?.external ?? 'stream_resource'}) but no resource locates its data`, { stream: r.stream, field: r.field }, {
      hint: 'the log has no resource/datum (or stream_resource/stream_datum) for this field',
    });
  }
  const base = { pointer, source: r.source };
  if (r.refs.every((ref) => ref.hdf5)) {
    const targets = groupByTarget(r.refs);
    if (targets.length === 1) {
      const [t] = targets as [Target];
      const shape = targetShape(r.dataKey?.shape, t.indices, events);
      const external = { stream: r.stream, field: r.field, ...(shape === undefined ? {} : { shape }) };
      return { kind: 'link', path, linkType: 'external', file: t.file, target: t.dataset, attributes: [], ...base, external, source: `${r.source} → ${t.file}:${t.dataset}` };
    }
    const children: PlannedNode[] = targets.map((t, i) => ({
      kind: 'link', linkType: 'external', path: childPath(path, `data_${String(i + 1).padStart(6, '0')}`),
      file: t.file, target: t.dataset, attributes: [], ...base, source: `${r.source} → ${t.file}:${t.dataset}`,
    }));
    const ranges = targets.map((t) => t.indices.map((x) => `${x.start}:${x.stop}`).join(','));
    const group: PlannedGroup = {
      kind: 'group', path, nxClass: 'NXcollection', children, ...base,
      attributes: [...attributes, { name: 'external_indices', dtype: 'string', shape: [ranges.length], data: ranges }],
    };
    return group;
  }
  const uris = [...new Set(r.refs.map((ref) => ref.uri))];
  const specs = [...new Set(r.refs.map((ref) => ref.spec))].join(',');
  return {
    kind: 'field', path, dtype: 'string', shape: [uris.length], value: { kind: 'inline', data: uris }, storage: {}, ...base,
    attributes: [...attributes, { name: 'external_spec', dtype: 'string', shape: [], data: [specs] }],
  };
}

/**
 * The shape of the detector's dataset as the documents give it: the rows the
 * datums read, then the data key's shape per reading, its first dimension
 * merged into the rows when it counts the frames of each event (ophyd-async's
 * `[frames, y, x]`). Undefined when the data key leaves a dimension unknown (0).
 */
export function targetShape(declared: unknown, indices: readonly { start: number; stop: number }[], events?: number): number[] | undefined {
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
