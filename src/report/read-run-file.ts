/**
 * What a NeXus file written by nxlayout says about its run, read from the
 * `nxlayout_provenance` group of its first NXentry (the raw start and stop
 * documents, the template) without touching the rest of the file: external
 * links to detector data are never opened.
 */
import h5wasm from 'h5wasm/node';
import { NxlError } from '../errors.js';
import { iso8601 } from '../evaluate/index.js';
import type { ReportRow } from './models.js';

const Module = await h5wasm.ready;

/** The provenance group nxlayout adds (evaluate's PROVENANCE_GROUP). */
const PROVENANCE = 'nxlayout_provenance';

type H5File = InstanceType<typeof h5wasm.File>;

function readString(file: H5File, p: string): string | undefined {
  if (!exists(file, p)) return undefined;
  const node = file.get(p);
  if (node === null || !(node instanceof h5wasm.Dataset)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** True when every segment of `p` is a real child (no link is followed to find out). */
function exists(file: H5File, p: string): boolean {
  let at = '/';
  for (const name of p.split('/').filter(Boolean)) {
    const names = Module.get_names(file.file_id, at, false) as string[];
    if (!names.includes(name)) return false;
    at = at === '/' ? `/${name}` : `${at}/${name}`;
    const external = Module.get_external_link(file.file_id, at) as { filename?: unknown } | null;
    if (typeof external?.filename === 'string' || typeof Module.get_symbolic_link(file.file_id, at) === 'string') return false;
  }
  return true;
}

function provenanceGroup(file: H5File): string | undefined {
  const names = Module.get_names(file.file_id, '/', false) as string[];
  const entries = names.filter((n) => {
    if (!exists(file, `/${n}`) || Module.get_type(file.file_id, `/${n}`) !== Module.H5G_GROUP) return false;
    const g = file.get(n);
    return g !== null && 'attrs' in g && g.attrs.NX_class?.value === 'NXentry';
  });
  for (const e of entries) if (exists(file, `/${e}/${PROVENANCE}`)) return `/${e}/${PROVENANCE}`;
  return exists(file, `/${PROVENANCE}`) ? `/${PROVENANCE}` : undefined;
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/**
 * The report row of `absPath` (shown as `file`, `size` bytes), or undefined
 * when it is an HDF5 file that records no run. NEXUS_READ when it is not HDF5.
 */
export function readRunFile(absPath: string, file: string, size: number): ReportRow | undefined {
  let h5: H5File;
  try {
    h5 = new h5wasm.File(absPath, 'r');
  } catch (e) {
    throw new NxlError('NEXUS_READ', `cannot open ${file} as HDF5`, { file: absPath }, { hint: 'the file is damaged or not HDF5: it is left out of the report', cause: e });
  }
  try {
    const group = provenanceGroup(h5);
    if (group === undefined) return undefined;
    const start = parse(readString(h5, `${group}/start_document`));
    const uid = readString(h5, `${group}/run_uid`) ?? text(start?.uid);
    if (start === undefined || uid === undefined) return undefined;
    const stop = parse(readString(h5, `${group}/stop_document`));
    const name = readString(h5, `${group}/template_name`);
    const version = readString(h5, `${group}/template_version`);
    const row: ReportRow = { file, size, uid, status: text(stop?.exit_status) ?? 'no stop' };
    if (typeof start.scan_id === 'number') row.scanId = start.scan_id;
    const plan = text(start.plan_name);
    if (plan !== undefined) row.plan = plan;
    const sample = text(start.sample_name) ?? text(start.sample);
    if (sample !== undefined) row.sample = sample;
    const title = text(start.title);
    if (title !== undefined) row.title = title;
    if (typeof start.time === 'number') row.start = iso8601(start.time);
    if (typeof stop?.time === 'number') row.end = iso8601(stop.time);
    if (typeof start.time === 'number' && typeof stop?.time === 'number') row.duration = Math.round((stop.time - start.time) * 1000) / 1000;
    if (name !== undefined) row.template = version === undefined ? name : `${name}@${version}`;
    return row;
  } finally {
    h5.close();
  }
}
