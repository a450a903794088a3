/**
 * The Run model (seeds/001's header plus columnar event data): what the
 * evaluator reads. Built by `RunAccumulator` from a run's documents.
 */
import type {
  DataKey,
  Datum,
  DatumPage,
  DocumentSource,
  EventDescriptor,
  Resource,
  RunStart,
  RunStop,
  StreamDatum,
  StreamResource,
} from '../documents/models.js';
import type { Diagnostic } from '../errors.js';

/** Running numeric summary of a column (kept when its rows are released). */
export interface ColumnStats {
  count: number;
  min: number;
  max: number;
  sum: number;
}

/** Rows of a column: plain values, or numbers kept typed (a page's Float64Array columns, run/column.ts). */
export type ColumnRows = readonly unknown[] | Float64Array;

/**
 * One column of event data: the readings of one field of one stream, in
 * event order (seq_num order as received). Read-only as seen from outside
 * run/: only the accumulator appends to it, and only the accumulator lets its
 * rows go (see row-release.ts: it is told once per plan which columns to
 * retain, and how far a writer has written the others).
 *
 * Rows are held in `rows` from row `offset` on; `first`, `last` and `stats`
 * stay available once rows are let go. A reading missing from an event (the
 * field is not in that event's descriptor) is `undefined`, so row i is always
 * the stream's event i.
 */

export interface Column {
  readonly name: string;
  /** The data key from the stream's first descriptor that declared the field (absent for time / seq_num). */
  readonly dataKey?: DataKey;
  /** Rows seen so far. */
  readonly length: number;
  /** Row index of rows[0]. */
  readonly offset: number;
  /**
   * The rows held: an array, or (numbers that came as a page's typed column, see
   * run/column.ts) a Float64Array view; either is indexed and sliced alike.
   */
  readonly rows: ColumnRows;
  readonly first?: unknown;
  readonly last?: unknown;
  /** Present for numeric scalar columns. */
  readonly stats?: Readonly<ColumnStats>;
}

/** A field's readings and their per-reading timestamps. */
interface FieldColumns {
  readonly values: Column;
  readonly timestamps: Column;
}

export interface Stream {
  readonly name: string;
  /** Every descriptor of the stream, in arrival order (several when configuration changed). */
  readonly descriptors: readonly EventDescriptor[];
  /** Union of the descriptors' data keys (first declaration wins). */
  readonly dataKeys: Record<string, DataKey>;
  /** Event count. */
  readonly length: number;
  readonly time: Column;
  readonly seqNum: Column;
  /** Event uids are not kept (they grow with the run); only counted. */
  readonly fields: ReadonlyMap<string, FieldColumns>;
}

/**
 * Where an external field's data lives, resolved from resource/datum or
 * stream_resource/stream_datum. One entry per external dataset touched.
 */
export interface ExternalRef {
  readonly kind: 'resource' | 'stream_resource';
  readonly stream: string;
  readonly field: string;
  /** resource spec (AD_HDF5, NPY_SEQ…) or stream_resource mimetype. */
  readonly spec: string;
  /** Absolute (or as-given) path of the external file, from root + resource_path or the uri. */
  readonly path: string;
  /** The original uri / root+resource_path as written in the document. */
  readonly uri: string;
  /** Dataset inside the file, when the spec names one (HDF5). */
  readonly dataset?: string;
  /** True when `path` is an HDF5 file nxlayout can link to. */
  readonly hdf5: boolean;
  /** Row ranges in the external dataset, [start, stop) in its first dimension, merged when contiguous. */
  readonly indices: { start: number; stop: number }[];
  /** The resource or stream_resource uid. */
  readonly resourceUid: string;
  /** Whether `path` existed when the run was resolved (a detector may write its file after the documents). */
  readonly exists?: boolean;
  readonly parameters: Record<string, unknown>;
}

/** A datum as indexed: the document itself, or a row of a datum_page (not copied). */
export type DatumRef = Datum | { readonly page: DatumPage; readonly index: number };

export interface Run {
  readonly uid: string;
  readonly start: RunStart;
  readonly descriptors: readonly EventDescriptor[];
  readonly stop?: RunStop;
  /** Streams by name, in order of first descriptor. */
  readonly streams: ReadonlyMap<string, Stream>;
  readonly resources: Map<string, Resource>;
  readonly streamResources: Map<string, StreamResource>;
  /** stream_datum documents, in arrival order. */
  readonly streamDatums: StreamDatum[];
  /** Where the start document was read. */
  readonly source?: DocumentSource;
  /** Logs this run was read from. */
  readonly logs: string[];
  /** Problems met while reading this run (bad documents skipped, etc.). */
  readonly diagnostics: Diagnostic[];
  /** True when any document of this run was rejected. */
  readonly flagged: boolean;
  /** True when a document was rejected in strict mode: the rest of the run was dropped. */
  readonly failed?: boolean;
  /** Datums by datum_id (resource/datum externals). */
  readonly datums?: ReadonlyMap<string, DatumRef>;
  /**
   * Datum ids read by each external field (a data key with `external`), by
   * stream then field, in event order: kept apart from the columns so that
   * externals still resolve after the columns were drained.
   */
  readonly datumIds?: ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;
  /**
   * Where a writer that streams columns out says what the accumulator may let
   * go (absent on a run built by hand: every row stays).
   */
  readonly rowRelease?: RowRelease;
}

/** A run column's key: a stream's time and seq_num columns are the same whatever field names them. */
export type ColumnKey = string;

/**
 * What a writer streaming a run's columns tells the run's accumulator, which
 * alone lets rows go (the columns themselves are never touched by the writer).
 */
export interface RowRelease {
  /**
   * Once per plan: the columns whose every row must stay (read at an index or
   * in a calculation), the columns the writer streams out (their rows go
   * once written), and the streams the plan writes (any other column of
   * those streams is let go of at the next `written`). `undefined`: keep every row from now on.
   */
  retain(policy: RetentionPolicy | undefined): void;
  /** The writer has written rows [0, n) of each column of `progress` (by key): those not retained may go. */
  written(progress: ReadonlyMap<ColumnKey, number>): void;
}

export interface RetentionPolicy {
  readonly retained: ReadonlySet<ColumnKey>;
  readonly streamed: ReadonlySet<ColumnKey>;
  readonly streams: ReadonlySet<string>;
}

/** One line of `nxlayout runs`. */
export interface RunSummary {
  uid: string;
  /** First 8 characters of the uid. */
  shortUid: string;
  scanId?: number;
  planName?: string;
  /** Start time, ISO 8601 in UTC (`…Z`). */
  time: string;
  /** stop.time − start.time in seconds; absent without a stop. */
  duration?: number;
  /** The stop's exit_status, or 'running' (still being read) / 'no stop' (log ended without one). */
  exitStatus: string;
  /** Events read, per stream (every stream of the run, 0 when it has none). */
  numEvents: Record<string, number>;
  logs: string[];
  flagged: boolean;
  failed: boolean;
  /** Number of diagnostics of the run. */
  problems: number;
}
