/**
 * The provenance nxlayout records in a file it wrote: the `nxlayout_provenance` group of its first
 * NXentry (raw start and stop documents, run uid, template), read without touching the rest of the
 * file: no link is followed, so external links to detector data are never opened.
 */
import { NxlError } from '../errors.js';
import { h5wasm, Module, type File } from './h5-runtime.js';

/** The provenance group nxlayout adds (evaluate's PROVENANCE_GROUP). */
const PROVENANCE = 'nxlayout_provenance';

/** The text datasets of a provenance group, as written (a JSON document stays JSON text). */
export interface ProvenanceText {
  startDocument?: string;
  stopDocument?: string;
  runUid?: string;
  templateName?: string;
  templateVersion?: string;
}

/** True when every segment of `p` is a real child (no link is followed to find out). */
function exists(file: File, p: string): boolean {
  let at = '/';
  for (const name of p.split('/').filter(Boolean)) {
    const names = Module.get_names(file.file_id, at, false) as string[];
    if (!names.includes(name)) return false;
    at = at === '/' ? `/${name}` : `${at}/${name}`;
    const external = Module.get_external_link(file.file_id, at) as { filename?: unknown } | null;
    if (typeof external?.filename === 'string' || typeof Module.get_symbolic_link(file.file_id, at) === 'string') {
      return false;
    }
  }
  return true;
}

function readString(file: File, p: string): string | undefined {
  if (!exists(file, p)) return undefined;
  const node = file.get(p);
  if (node === null || !(node instanceof h5wasm.Dataset)) return undefined;
  const v = node.value;
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function provenanceGroup(file: File): string | undefined {
  const names = Module.get_names(file.file_id, '/', false) as string[];
  const entries = names.filter((n) => {
    if (!exists(file, `/${n}`) || Module.get_type(file.file_id, `/${n}`) !== Module.H5G_GROUP) return false;
    const g = file.get(n);
    return g !== null && 'attrs' in g && g.attrs.NX_class?.value === 'NXentry';
  });
  for (const e of entries) if (exists(file, `/${e}/${PROVENANCE}`)) return `/${e}/${PROVENANCE}`;
  return exists(file, `/${PROVENANCE}`) ? `/${PROVENANCE}` : undefined;
}

/**
 * The provenance of the HDF5 file `absPath` (named `shown` in messages), or undefined when the
 * file has no provenance group. NEXUS_READ when it is not HDF5.
 */
export function readProvenance(absPath: string, shown: string = absPath): ProvenanceText | undefined {
  let file: File;
  try {
    file = new h5wasm.File(absPath, 'r');
  } catch (e) {
    throw new NxlError(
      'NEXUS_READ',
      `cannot open ${shown} as HDF5`,
      { file: absPath },
      {
        hint: 'the file is damaged or not HDF5: it is left out of the report',
        cause: e,
      },
    );
  }
  try {
    const group = provenanceGroup(file);
    if (group === undefined) return undefined;
    const out: ProvenanceText = {};
    const fields = [
      ['startDocument', 'start_document'],
      ['stopDocument', 'stop_document'],
      ['runUid', 'run_uid'],
      ['templateName', 'template_name'],
      ['templateVersion', 'template_version'],
    ] as const;
    for (const [key, name] of fields) {
      const v = readString(file, `${group}/${name}`);
      if (v !== undefined) out[key] = v;
    }
    return out;
  } finally {
    file.close();
  }
}
