/**
 * What a resource spec or a stream_resource mimetype says about its file:
 * where it is, whether it is HDF5 and which dataset and rows a datum reads.
 */
import { dirname, isAbsolute, isWin32Absolute, join, normalize, resolve, win32Join } from '../paths.js';
import type { Resource, StreamResource } from '../documents/models.js';
import { formatBraces, formatPercent, inDirectory } from './external-files.js';

/** areaDetector's HDF5 plugin writes its frames here unless told otherwise. */
export const DEFAULT_HDF5_DATASET = '/entry/data/data';

/** AD_HDF5, AD_HDF5_SWMR, AD_HDF5_SWMR_STREAM… and other HDF5 specs. */
export function isHdf5Spec(spec: string): boolean {
  return /HDF5/i.test(spec);
}

export function isHdf5Mimetype(mimetype: string): boolean {
  return mimetype.split(';')[0].trim().toLowerCase() === 'application/x-hdf5';
}

/** root + resource_path, joined with the resource's path semantics; resource_path as given when root is empty. `root` replaces the resource's (a root_map). */
export function resourceFilePath(resource: Resource, mappedRoot?: string): string {
  const root = mappedRoot ?? (typeof resource.root === 'string' ? resource.root : '');
  const rel = String(resource.resource_path ?? '');
  if (root === '') return rel;
  return resource.path_semantics === 'windows' ? win32Join(root, rel) : join(root, rel);
}

/** A file uri as a path: `file://localhost/x` and `file:///x` → `/x`, `file:x` → `x` (percent-escapes decoded). */
export function uriToPath(uri: string): string {
  let rest = uri;
  if (rest.startsWith('file://localhost')) rest = rest.slice('file://localhost'.length);
  else if (rest.startsWith('file://')) rest = rest.slice('file://'.length);
  else if (rest.startsWith('file:')) rest = rest.slice('file:'.length);
  else return uri;
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // A stray '%' is kept as written.
  }
  return normalize(rest);
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function asInteger(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The dataset an HDF5 datum reads: the datum's, else the resource's, else areaDetector's default. */
export function datumDataset(resource: Resource, datumKwargs: Record<string, unknown>): string {
  const rk = resource.resource_kwargs ?? {};
  return asString(datumKwargs.dataset) ?? asString(rk.dataset) ?? asString(rk.path) ?? DEFAULT_HDF5_DATASET;
}

/** Where one datum's reading lives: its file (per-index for NPY_SEQ) and rows [start, stop); `frames`: one file per frame (AD_TIFF…). */
export interface DatumTarget {
  path: string;
  rows?: { start: number; stop: number };
  frames?: string[];
}

/**
 * The rows of the external dataset a datum reads: `frame` is one row;
 * `point_number` is frame_per_point rows from point_number × frame_per_point.
 * NPY_SEQ writes one .npy file per `index`, holding that reading whole.
 */
export function datumTarget(
  resource: Resource,
  datumKwargs: Record<string, unknown>,
  mappedRoot?: string,
): DatumTarget {
  const file = resourceFilePath(resource, mappedRoot);
  const rk = resource.resource_kwargs ?? {};
  const index = asInteger(datumKwargs.index);
  if (resource.spec === 'NPY_SEQ' && index !== undefined) {
    return { path: `${file}_${index}.npy`, rows: { start: 0, stop: 1 } };
  }
  // areaDetector's file-per-frame writers (AD_TIFF, AD_CBF…): template % (path/, filename, frame) for each frame of the point
  const template = asString(rk.template);
  const point = asInteger(datumKwargs.point_number);
  if (template !== undefined && typeof rk.filename === 'string' && point !== undefined && !isHdf5Spec(resource.spec)) {
    const perPoint = asInteger(rk.frame_per_point) ?? 1;
    const dir = file.endsWith('/') ? file : `${file}/`;
    const frames = Array.from({ length: perPoint }, (_, j) =>
      formatPercent(template, [dir, rk.filename as string, point * perPoint + j]),
    );
    return { path: frames[0] ?? file, rows: { start: 0, stop: 1 }, frames };
  }
  const frame = asInteger(datumKwargs.frame);
  if (frame !== undefined) return { path: file, rows: { start: frame, stop: frame + 1 } };
  if (point !== undefined) {
    const perPoint = asInteger(rk.frame_per_point) ?? 1;
    return { path: file, rows: { start: point * perPoint, stop: (point + 1) * perPoint } };
  }
  if (index !== undefined) return { path: file, rows: { start: index, stop: index + 1 } };
  return { path: file };
}

export function streamResourceDataset(sr: StreamResource): string | undefined {
  return asString(sr.parameters?.dataset);
}

/** `multipart/related;type=image/tiff` → `image/tiff`: a stream_resource whose frames are one file each. */
export function multipartType(mimetype: string): string | undefined {
  const [main, ...params] = mimetype.split(';').map((s) => s.trim());
  if (main?.toLowerCase() !== 'multipart/related') return undefined;
  const type = params.map((p) => /^type=(.*)$/i.exec(p)?.[1]).find((t) => t !== undefined);
  return type?.replace(/^"|"$/g, '') ?? '';
}

/**
 * The file of frame `i` of a multipart stream_resource: its `parameters.parts`
 * (or `files`) list when it gives one, else its `template` formatted with i,
 * in the directory its uri names.
 */
export function multipartFile(sr: StreamResource, i: number): string | undefined {
  const parts = sr.parameters?.parts ?? sr.parameters?.files;
  const dir = uriToPath(sr.uri);
  if (Array.isArray(parts)) {
    const part = parts[i];
    return typeof part === 'string' ? (isAbsolute(part) ? part : inDirectory(dir, part)) : undefined;
  }
  const template = asString(sr.parameters?.template);
  return template === undefined ? undefined : inDirectory(dir, formatBraces(template, i));
}

/**
 * A relative external path is relative to the log the run was read from (the
 * spool holds the run and its detector files together), never to the current
 * directory or the output file: anchor it there.
 */
export function anchorToLog(p: string, log: string | undefined): string {
  if (log === undefined || p === '' || isAbsolute(p) || isWin32Absolute(p) || /^[a-z][a-z0-9+.-]*:\/\//i.test(p))
    return p;
  return resolve(dirname(log), p);
}
