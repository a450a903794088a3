/**
 * The provenance nxlayout writes in a run file (`<NXentry>/nxlayout_provenance`),
 * its title and sample name, read without touching the rest of the file: no link
 * is followed to find them, so external links to detector data are never opened.
 */
import { NxlError } from '../errors.js';
import { summarizeHdf5Error } from './h5-errors.js';
import { h5wasm, Module, type File } from './h5-runtime.js';
import type { RunFileInfo } from './read-models.js';

/** The provenance group nxlayout adds (evaluate's PROVENANCE_GROUP). */
export const PROVENANCE = 'nxlayout_provenance';

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** True when `p` is a soft or an external link (neither is resolved to find out). */
function isLink(file: File, p: string): boolean {
  const external = Module.get_external_link(file.file_id, p) as { filename?: unknown } | null;
  return typeof external?.filename === 'string' || typeof Module.get_symbolic_link(file.file_id, p) === 'string';
}

/** True when every segment of `p` is a real child, none of them a link. */
function existsNoLinks(file: File, p: string): boolean {
  let at = '/';
  for (const name of p.split('/').filter(Boolean)) {
    const names = Module.get_names(file.file_id, at, false) as string[];
    if (!names.includes(name)) return false;
    at = childPath(at, name);
    if (isLink(file, at)) return false;
  }
  return true;
}

/** A string attribute of the group or dataset at `p` (the root for `/`). */
export function stringAttr(file: File, p: string, name: string): string | string[] | undefined {
  const names = Module.get_attribute_names(file.file_id, p) as string[];
  if (!names.includes(name)) return undefined;
  const target = p === '/' ? file : file.get(p);
  if (target === null || !('attrs' in target)) return undefined;
  const v = target.attrs[name]?.value;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  return undefined;
}

/** A scalar (or one-element) string dataset at `p`, undefined when absent, a link, or not text. */
function readStringAt(file: File, p: string): string | undefined {
  if (!existsNoLinks(file, p) || Module.get_type(file.file_id, p) !== Module.H5G_DATASET) return undefined;
  const node = file.get(p);
  if (!(node instanceof h5wasm.Dataset)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function isGroup(file: File, p: string): boolean {
  return existsNoLinks(file, p) && Module.get_type(file.file_id, p) === Module.H5G_GROUP;
}

/** The NXentry groups of the root, in the file's order. */
export function entryGroups(file: File): string[] {
  const names = Module.get_names(file.file_id, '/', false) as string[];
  return names.map((n) => `/${n}`).filter((p) => isGroup(file, p) && stringAttr(file, p, 'NX_class') === 'NXentry');
}

/** Opens `absPath` read-only (NEXUS_READ, with `hint`, when it cannot be opened as HDF5). */
export function openForReading(absPath: string, hint = 'the file is damaged or not HDF5'): File {
  try {
    return new h5wasm.File(absPath, 'r');
  } catch (e) {
    throw new NxlError(
      'NEXUS_READ',
      `cannot open ${absPath} as HDF5: ${summarizeHdf5Error(e instanceof Error ? e.message : String(e))}`,
      { file: absPath },
      { hint, cause: e },
    );
  }
}

/** The run recorded in an open file, or undefined when no NXentry (nor the root) holds nxlayout's provenance. */
export function readRunInfo(file: File): RunFileInfo | undefined {
  const entry =
    entryGroups(file).find((e) => isGroup(file, childPath(e, PROVENANCE))) ??
    (isGroup(file, `/${PROVENANCE}`) ? '/' : undefined);
  if (entry === undefined) return undefined;
  const group = childPath(entry, PROVENANCE);
  const provenance: Record<string, string> = {};
  for (const name of Module.get_names(file.file_id, group, false) as string[]) {
    const v = readStringAt(file, childPath(group, name));
    if (v !== undefined) provenance[name] = v;
  }
  const info: RunFileInfo = { entry, provenance };
  const title = readStringAt(file, childPath(entry, 'title'));
  if (title !== undefined && title !== '') info.title = title;
  const sample = readStringAt(file, childPath(entry, 'sample/name'));
  if (sample !== undefined && sample !== '') info.sampleName = sample;
  return info;
}
