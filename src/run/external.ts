/**
 * Resolves an external field of a stream to the files and datasets that hold
 * its data (resource/datum or stream_resource/stream_datum), with the rows of
 * each, merged when contiguous; file-per-frame data (NPY_SEQ, AD_TIFF,
 * multipart stream_resources) as one entry per frame file. A resource root
 * is mapped by a databroker-pack catalog's root_map. Nothing is read from
 * those files: only whether each exists is asked.
 */
import type { Datum } from '../documents/models.js';
import type { DatumRef, ExternalRef, Run } from './models.js';
import {
  anchorToLog,
  datumDataset,
  datumTarget,
  isHdf5Mimetype,
  isHdf5Spec,
  DEFAULT_HDF5_DATASET,
  multipartFile,
  multipartType,
  resourceFilePath,
  streamResourceDataset,
  uriToPath,
} from './external-spec.js';
import { fileHost } from './file-host.js';
import { mapRoot } from './root-map.js';

type Range = { start: number; stop: number };
type MutableRef = Omit<ExternalRef, 'indices'> & { indices: Range[] };

/** The datum_kwargs and resource uid of an indexed datum (a datum_page row is read in place). */
function datumOf(ref: DatumRef): Datum {
  if (!('page' in ref)) return ref;
  const kwargs: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(ref.page.datum_kwargs ?? {})) {
    kwargs[key] = Array.isArray(values) ? values[ref.index] : undefined;
  }
  return { datum_id: ref.page.datum_id[ref.index], resource: ref.page.resource, datum_kwargs: kwargs };
}

function addRange(indices: Range[], range: Range): void {
  const last = indices[indices.length - 1];
  if (last !== undefined && range.start === last.stop) last.stop = range.stop;
  else if (last === undefined || range.start !== last.start || range.stop !== last.stop) indices.push({ ...range });
}

/** One ExternalRef per external file/dataset that `field` of `stream` reads, in order of first use. */
export function resolveExternal(run: Run, stream: string, field: string): ExternalRef[] {
  const refs = new Map<string, MutableRef>();
  fromDatums(run, stream, field, refs);
  fromStreamDatums(run, stream, field, refs);
  const exists = new Map<string, boolean>();
  return [...refs.values()].map((ref) => {
    let e = exists.get(ref.path);
    if (e === undefined)
      exists.set(ref.path, (e = /^[a-z][a-z0-9+.-]*:\/\//i.test(ref.path) || fileHost().exists(ref.path)));
    return { ...ref, exists: e };
  });
}

function fromDatums(run: Run, stream: string, field: string, refs: Map<string, MutableRef>): void {
  const ids = run.datumIds?.get(stream)?.get(field);
  const datums = run.datums;
  if (ids === undefined || datums === undefined) return;
  for (const id of ids) {
    const ref = datums.get(id);
    if (ref === undefined) continue;
    const datum = datumOf(ref);
    const resource = run.resources.get(datum.resource);
    if (resource === undefined) continue;
    const kwargs = datum.datum_kwargs ?? {};
    const hdf5 = isHdf5Spec(resource.spec);
    const dataset = hdf5 ? datumDataset(resource, kwargs) : undefined;
    const log = run.source?.log ?? run.logs[0];
    const root = typeof resource.root === 'string' ? mapRoot(resource.root, log) : undefined;
    const target = datumTarget(resource, kwargs, root);
    for (const file of target.frames ?? [target.path]) {
      const key = `${resource.uid}\u0000${file}\u0000${dataset ?? ''}`;
      let entry = refs.get(key);
      if (entry === undefined) {
        entry = {
          kind: 'resource',
          stream,
          field,
          spec: resource.spec,
          path: anchorToLog(file, log),
          uri: resourceFilePath(resource),
          hdf5,
          indices: [],
          resourceUid: resource.uid,
          parameters: resource.resource_kwargs ?? {},
        };
        if (dataset !== undefined) (entry as { dataset?: string }).dataset = dataset;
        refs.set(key, entry);
      }
      if (target.rows !== undefined) addRange(entry.indices, target.rows);
    }
  }
}

function fromStreamDatums(run: Run, stream: string, field: string, refs: Map<string, MutableRef>): void {
  const descriptors = new Set(run.streams.get(stream)?.descriptors.map((d) => d.uid) ?? []);
  if (descriptors.size === 0) return;
  for (const sd of run.streamDatums) {
    if (!descriptors.has(sd.descriptor)) continue;
    const sr = run.streamResources.get(sd.stream_resource);
    if (sr === undefined || sr.data_key !== field) continue;
    if (multipartType(sr.mimetype) !== undefined && multipartPart(run, stream, field, sr, sd.indices, refs)) continue;
    let entry = refs.get(sr.uid);
    if (entry === undefined) {
      const hdf5 = isHdf5Mimetype(sr.mimetype);
      entry = {
        kind: 'stream_resource',
        stream,
        field,
        spec: sr.mimetype,
        path: anchorToLog(uriToPath(sr.uri), run.source?.log ?? run.logs[0]),
        uri: sr.uri,
        hdf5,
        indices: [],
        resourceUid: sr.uid,
        parameters: sr.parameters ?? {},
      };
      const dataset = hdf5 ? streamResourceDataset(sr) : undefined;
      if (dataset !== undefined) (entry as { dataset?: string }).dataset = dataset;
      refs.set(sr.uid, entry);
    }
    addRange(entry.indices, sd.indices);
  }
}

/**
 * A multipart stream_resource: one file per frame, named by its template or
 * parts list; HDF5 parts are linked each (their dataset from the parameters),
 * other parts recorded by name. False when it names no part (the uri stands).
 */
function multipartPart(
  run: Run,
  stream: string,
  field: string,
  sr: StreamDatumResource,
  indices: Range,
  refs: Map<string, MutableRef>,
): boolean {
  const type = multipartType(sr.mimetype) ?? '';
  const hdf5 = isHdf5Mimetype(type);
  const log = run.source?.log ?? run.logs[0];
  for (let i = indices.start; i < indices.stop; i++) {
    const file = multipartFile(sr, i);
    if (file === undefined) return false;
    const key = `${sr.uid}\u0000${file}`;
    if (refs.has(key)) continue;
    const entry: MutableRef = {
      kind: 'stream_resource',
      stream,
      field,
      spec: sr.mimetype,
      path: anchorToLog(file, log),
      uri: file,
      hdf5,
      indices: [{ start: 0, stop: 1 }],
      resourceUid: sr.uid,
      parameters: sr.parameters ?? {},
    };
    if (hdf5) (entry as { dataset?: string }).dataset = streamResourceDataset(sr) ?? DEFAULT_HDF5_DATASET;
    refs.set(key, entry);
  }
  return true;
}

type StreamDatumResource = NonNullable<ReturnType<Run['streamResources']['get']>>;
