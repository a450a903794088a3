/**
 * Event-model documents as they arrive on the wire (seeds/002). Keys keep
 * event-model's snake_case. The JSON schemas in schemas/event-model/ are the
 * source of truth; these types are the parts nxlayout reads.
 */
import type { Diagnostic } from '../errors.js';

export const DOC_NAMES = [
  'start',
  'descriptor',
  'event',
  'event_page',
  'stop',
  'resource',
  'datum',
  'datum_page',
  'stream_resource',
  'stream_datum',
] as const;
export type DocName = (typeof DOC_NAMES)[number];

export interface Calculation {
  callable: string;
  args?: unknown[];
  kwargs?: Record<string, unknown>;
}

/** One projection of seeds/002 (`run_start.$defs.Projection`). */
export interface EventModelProjection {
  type?: 'linked' | 'calculated' | 'static';
  location?: 'start' | 'event' | 'configuration';
  stream?: string;
  field?: string;
  config_device?: string;
  config_index?: number;
  calculation?: Calculation;
  value?: unknown;
}

interface Projections {
  name?: string;
  version: string;
  configuration: Record<string, unknown>;
  projection: Record<string, EventModelProjection>;
}

export interface RunStart {
  uid: string;
  time: number;
  scan_id?: number;
  plan_name?: string;
  hints?: { dimensions?: [string[] | string, string][] } & Record<string, unknown>;
  detectors?: string[];
  motors?: string[];
  projections?: Projections[];
  [key: string]: unknown;
}

export interface DataKey {
  dtype: 'string' | 'number' | 'array' | 'boolean' | 'integer';
  dtype_numpy?: string | unknown[];
  shape: (number | null)[];
  source: string;
  external?: string;
  units?: string | null;
  precision?: number | null;
  dims?: string[];
  object_name?: string;
  [key: string]: unknown;
}

export interface Configuration {
  data?: Record<string, unknown>;
  timestamps?: Record<string, number>;
  data_keys?: Record<string, DataKey>;
}

export interface EventDescriptor {
  uid: string;
  run_start: string;
  time: number;
  data_keys: Record<string, DataKey>;
  name?: string;
  configuration?: Record<string, Configuration>;
  hints?: Record<string, { fields?: string[] } & Record<string, unknown>>;
  object_keys?: Record<string, string[]>;
  [key: string]: unknown;
}

export interface Event {
  uid: string;
  descriptor: string;
  seq_num: number;
  time: number;
  data: Record<string, unknown>;
  timestamps: Record<string, number>;
  filled?: Record<string, boolean | string>;
}

/**
 * An event_page. A page packed by a decoding thread carries its all-number
 * columns as Float64Arrays (moved between threads, kept typed into the run's
 * columns): read a column with isPageColumn / index access, not array methods.
 */
export interface EventPage {
  uid: string[];
  descriptor: string;
  seq_num: number[] | Float64Array;
  time: number[] | Float64Array;
  data: Record<string, unknown[] | Float64Array>;
  timestamps: Record<string, number[] | Float64Array>;
  filled?: Record<string, (boolean | string)[]>;
}

export interface RunStop {
  uid: string;
  run_start: string;
  time: number;
  exit_status: 'success' | 'abort' | 'fail';
  reason?: string;
  num_events?: Record<string, number>;
  [key: string]: unknown;
}

export interface Resource {
  uid: string;
  spec: string;
  root: string;
  resource_path: string;
  resource_kwargs: Record<string, unknown>;
  path_semantics?: 'posix' | 'windows';
  run_start?: string;
  [key: string]: unknown;
}

export interface Datum {
  datum_id: string;
  resource: string;
  datum_kwargs: Record<string, unknown>;
}

export interface DatumPage {
  datum_id: string[];
  resource: string;
  datum_kwargs: Record<string, unknown[]>;
}

export interface StreamResource {
  uid: string;
  data_key: string;
  mimetype: string;
  uri: string;
  parameters: Record<string, unknown>;
  run_start?: string;
  [key: string]: unknown;
}

export interface StreamDatum {
  uid: string;
  stream_resource: string;
  descriptor: string;
  indices: { start: number; stop: number };
  seq_nums: { start: number; stop: number };
}

export interface DocTypes {
  start: RunStart;
  descriptor: EventDescriptor;
  event: Event;
  event_page: EventPage;
  stop: RunStop;
  resource: Resource;
  datum: Datum;
  datum_page: DatumPage;
  stream_resource: StreamResource;
  stream_datum: StreamDatum;
}

/** A document tagged by its name: `{ name: 'event', doc: Event }`… */
export type NamedDocument = { [K in DocName]: { name: K; doc: DocTypes[K] } }[DocName];

/** Where in a log a document was read. */
export interface DocumentSource {
  /** The log file as given by the user. */
  log: string;
  /** 1-based item number (a line for jsonl, an element for JSON arrays, an item for msgpack). */
  item: number;
  /** 1-based line where the item starts, for text formats. */
  line?: number;
  /** Byte offset of the item in the decompressed stream. */
  offset: number;
}

export type LogFormat = 'jsonl' | 'json-array' | 'msgpack';

/** What a reader yields: a document with its source, or a problem with its location. */
export type LogItem =
  | ({
      kind: 'document';
      at: DocumentSource;
      /**
       * Set when the reader already checked the document against its event-model
       * schema: the DOC_SCHEMA problems found (empty when valid), so the router
       * need not check it again.
       */
      validation?: Diagnostic[];
    } & NamedDocument)
  | { kind: 'problem'; diagnostic: Diagnostic };

/** Per-document-type handlers; `routeDocument` calls the one named after the document. */
export type DocumentHandlers<R = void> = { [K in DocName]?: (doc: DocTypes[K], at?: DocumentSource) => R };
