/**
 * The expected side of the integration tests: document logs read with plain
 * JSON.parse / zlib / @msgpack/msgpack, and folded into per-stream columns
 * here, independently of nxlayout's documents/ and run/ code.
 */
import { decodeMulti } from '@msgpack/msgpack';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

// biome-ignore lint/suspicious/noExplicitAny: the expected side reads documents untyped, as plain JSON.parse does
type Doc = Record<string, any>;
export interface RawDoc {
  name: string;
  doc: Doc;
}

function pair(item: unknown): RawDoc {
  if (Array.isArray(item) && typeof item[0] === 'string') return { name: item[0], doc: item[1] as Doc };
  const o = item as { name: string; doc: Doc };
  return { name: o.name, doc: o.doc };
}

/** Every [name, doc] of a log: JSON array (maybe gzipped), jsonl or msgpack, chosen by the file name. */
export function readRawLog(file: string): RawDoc[] {
  let bytes: Buffer = fs.readFileSync(file);
  let name = path.basename(file);
  if (name.endsWith('.gz')) {
    bytes = gunzipSync(bytes);
    name = name.slice(0, -3);
  }
  if (name.endsWith('.msgpack')) return [...decodeMulti(bytes)].map(pair);
  const text = bytes.toString('utf8');
  if (name.endsWith('.jsonl'))
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => pair(JSON.parse(l)));
  return (JSON.parse(text) as unknown[]).map(pair);
}

export interface ExpectedStream {
  name: string;
  descriptors: Doc[];
  /** Union of the descriptors' data keys, first declaration wins. */
  dataKeys: Record<string, Doc>;
  length: number;
  /** Per field, one entry per event of the stream (undefined where an event lacks the field). */
  values: Map<string, unknown[]>;
  timestamps: Map<string, unknown[]>;
  time: number[];
  seqNum: number[];
}

export interface ExpectedRun {
  uid: string;
  start: Doc;
  stop?: Doc;
  streams: Map<string, ExpectedStream>;
  resources: Map<string, Doc>;
  /** datum_id → { resource, kwargs } (datum and datum_page rows). */
  datums: Map<string, { resource: string; kwargs: Doc }>;
  streamResources: Map<string, Doc>;
  streamDatums: Doc[];
}

function addEvent(s: ExpectedStream, data: Doc, timestamps: Doc, time: number, seq: number): void {
  const i = s.length++;
  s.time.push(time);
  s.seqNum.push(seq);
  for (const [k, v] of Object.entries(data)) {
    if (!s.values.has(k)) {
      s.values.set(k, []);
      s.timestamps.set(k, []);
    }
    s.values.get(k)![i] = v;
    s.timestamps.get(k)![i] = timestamps?.[k];
  }
}

/** Runs by uid, in start order. Events (and event_page rows) in arrival order. */
export function expectRuns(docs: readonly RawDoc[]): Map<string, ExpectedRun> {
  const runs = new Map<string, ExpectedRun>();
  const byDescriptor = new Map<string, { run: ExpectedRun; stream: ExpectedStream }>();
  let current: ExpectedRun | undefined;
  for (const { name, doc } of docs) {
    switch (name) {
      case 'start':
        current = {
          uid: doc.uid,
          start: doc,
          streams: new Map(),
          resources: new Map(),
          datums: new Map(),
          streamResources: new Map(),
          streamDatums: [],
        };
        runs.set(doc.uid, current);
        break;
      case 'descriptor': {
        const run = runs.get(doc.run_start)!;
        const streamName = doc.name ?? 'primary';
        let s = run.streams.get(streamName);
        if (s === undefined) {
          s = {
            name: streamName,
            descriptors: [],
            dataKeys: {},
            length: 0,
            values: new Map(),
            timestamps: new Map(),
            time: [],
            seqNum: [],
          };
          run.streams.set(streamName, s);
        }
        s.descriptors.push(doc);
        for (const [k, v] of Object.entries(doc.data_keys ?? {})) if (!(k in s.dataKeys)) s.dataKeys[k] = v as Doc;
        byDescriptor.set(doc.uid, { run, stream: s });
        break;
      }
      case 'event': {
        const { stream } = byDescriptor.get(doc.descriptor)!;
        addEvent(stream, doc.data, doc.timestamps, doc.time, doc.seq_num);
        break;
      }
      case 'event_page': {
        const { stream } = byDescriptor.get(doc.descriptor)!;
        for (let i = 0; i < doc.seq_num.length; i++) {
          const data: Doc = {};
          const ts: Doc = {};
          for (const [k, v] of Object.entries(doc.data)) data[k] = (v as unknown[])[i];
          for (const [k, v] of Object.entries(doc.timestamps ?? {})) ts[k] = (v as unknown[])[i];
          addEvent(stream, data, ts, doc.time[i], doc.seq_num[i]);
        }
        break;
      }
      case 'resource':
        (runs.get(doc.run_start) ?? current)!.resources.set(doc.uid, doc);
        break;
      case 'datum':
        for (const run of runs.values())
          if (run.resources.has(doc.resource))
            run.datums.set(doc.datum_id, { resource: doc.resource, kwargs: doc.datum_kwargs ?? {} });
        break;
      case 'datum_page':
        for (const run of runs.values()) {
          if (!run.resources.has(doc.resource)) continue;
          (doc.datum_id as string[]).forEach((id, i) => {
            const kwargs: Doc = {};
            for (const [k, v] of Object.entries(doc.datum_kwargs ?? {})) kwargs[k] = (v as unknown[])[i];
            run.datums.set(id, { resource: doc.resource, kwargs });
          });
        }
        break;
      case 'stream_resource':
        (runs.get(doc.run_start) ?? current)!.streamResources.set(doc.uid, doc);
        break;
      case 'stream_datum':
        byDescriptor.get(doc.descriptor)!.run.streamDatums.push(doc);
        break;
      case 'stop':
        runs.get(doc.run_start)!.stop = doc;
        break;
      default:
        throw new Error(`unexpected document ${name}`);
    }
  }
  // Events of a stream that lack a field leave holes: make them explicit.
  for (const run of runs.values()) {
    for (const s of run.streams.values()) {
      for (const col of [...s.values.values(), ...s.timestamps.values()]) {
        for (let i = 0; i < s.length; i++) if (!(i in col)) col[i] = undefined;
      }
    }
  }
  return runs;
}

/** Where the data of an external field lives, from the raw documents: file path and dataset (HDF5) or URI. */
export interface ExpectedExternal {
  hdf5: boolean;
  /** Absolute path of the file (HDF5) or the URI / resource path as written (other kinds). */
  file: string;
  dataset?: string;
  spec: string;
}

function uriPath(uri: string): string {
  const m = /^file:\/\/(?:localhost)?(.*)$/.exec(uri);
  return m === null ? uri : path.posix.normalize(decodeURIComponent(m[1]));
}

/**
 * `roots`: a resource root → where its files are now (databroker-pack's
 * catalog.yml root_map, resolved by the caller). File-per-frame data (NPY_SEQ,
 * multipart stream_resources) name one file per frame, as their readers do.
 */
export function expectExternals(
  run: ExpectedRun,
  stream: ExpectedStream,
  field: string,
  roots: Record<string, string> = {},
): ExpectedExternal[] {
  const out = new Map<string, ExpectedExternal>();
  for (const id of stream.values.get(field) ?? []) {
    const datum = typeof id === 'string' ? run.datums.get(id) : undefined;
    if (datum === undefined) continue;
    const res = run.resources.get(datum.resource)!;
    const root = res.root ? (roots[res.root] ?? res.root) : '';
    let file = root ? path.posix.join(root, res.resource_path) : res.resource_path;
    if (res.spec === 'NPY_SEQ') file = `${file}_${datum.kwargs.index}.npy`;
    const hdf5 = /HDF5/i.test(res.spec);
    const dataset = hdf5 ? (datum.kwargs.dataset ?? res.resource_kwargs?.dataset ?? '/entry/data/data') : undefined;
    out.set(`${file}|${dataset}`, { hdf5, file, spec: res.spec, ...(dataset === undefined ? {} : { dataset }) });
  }
  const descriptorUids = new Set(stream.descriptors.map((d) => d.uid));
  for (const sd of run.streamDatums) {
    const sr = run.streamResources.get(sd.stream_resource);
    if (!descriptorUids.has(sd.descriptor) || sr === undefined || sr.data_key !== field) continue;
    const hdf5 = sr.mimetype === 'application/x-hdf5';
    const template = sr.parameters?.template;
    if (sr.mimetype.startsWith('multipart/related') && typeof template === 'string') {
      // one file per frame: the template's {:05d} filled with the frame number, in the uri's directory
      for (let i = sd.indices.start; i < sd.indices.stop; i++) {
        const name = template.replace(/\{:0(\d+)d\}/, (_m: string, w: string) => String(i).padStart(Number(w), '0'));
        const file = path.posix.join(uriPath(sr.uri), name);
        out.set(file, { hdf5: false, file, spec: sr.mimetype });
      }
      continue;
    }
    const file = hdf5 ? uriPath(sr.uri) : sr.uri;
    const dataset = hdf5 ? sr.parameters?.dataset : undefined;
    out.set(`${file}|${dataset}`, { hdf5, file, spec: sr.mimetype, ...(dataset === undefined ? {} : { dataset }) });
  }
  return [...out.values()];
}
