/**
 * The writing boundary: everything nexus/ needs to know to put a plan on disk.
 * `H5wasmSink` writes HDF5; `MemorySink` records calls for tests.
 */
import type { DType, PlannedAttribute } from '../evaluate/models.js';
import type { ColumnPart, StorageOptions } from '../layout/models.js';

/** A resizable dataset that grows along its first axis. */
export interface ColumnHandle {
  readonly path: string;
  readonly dtype: DType;
  /** Shape of one row (the data key's shape). */
  readonly rowShape: number[];
  /** Rows written so far. */
  readonly length: number;
}

export interface NexusSink {
  createGroup(path: string, attributes: PlannedAttribute[]): void;
  /** A dataset whose whole value is known now. `data` is flat, row-major, of `shape`. */
  writeField(
    path: string,
    dtype: DType,
    shape: number[],
    data: readonly unknown[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
  ): void;
  /**
   * A chunked, resizable dataset of shape [0, ...rowShape], appended to by `appendRows`.
   * `expectedRows`: the final row count when it is already known (a finished run); chunks are then
   * sized to it instead of to the default target, so a 3-row column does not occupy a 64 KiB chunk.
   */
  createColumn(
    path: string,
    dtype: DType,
    rowShape: number[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
    expectedRows?: number,
  ): ColumnHandle;
  /** Append rows (each row a scalar or nested array of rowShape). */
  appendRows(handle: ColumnHandle, rows: readonly unknown[] | Float64Array): void;
  setAttributes(path: string, attributes: PlannedAttribute[]): void;
  createLink(path: string, linkType: 'soft' | 'hard', target: string): void;
  createExternalLink(path: string, file: string, target: string): void;
  flush(): void;
  close(): void;
}

/** Writes of a file kept back and done at once (see write-cache.ts). */
export interface WriteBack {
  /** Writes what is kept; later writes go to the file as they come. */
  flush(): void;
  /** After the file was closed: writes what is kept and releases the file. */
  finish(): void;
}

/** A node of an HDF5 file as `inspect` shows it. */
export interface InspectedAttribute {
  name: string;
  dtype: string;
  shape: number[];
  value: unknown;
}

export type InspectedNode =
  | { kind: 'group'; path: string; attributes: InspectedAttribute[]; children: InspectedNode[] }
  | {
      kind: 'dataset';
      path: string;
      dtype: string;
      shape: number[];
      chunks?: number[];
      compression?: string;
      attributes: InspectedAttribute[];
      preview: unknown;
    }
  | { kind: 'soft-link'; path: string; target: string }
  | { kind: 'external-link'; path: string; file: string; target: string };

/** Where `writePlan` gets the rows of a column field: blocks of rows, in order. */
export interface ColumnSource {
  /** `encoding` is the column value's (`json`: the source yields each row as JSON text). */
  rows(stream: string, field: string, part: ColumnPart, encoding?: 'json'): Iterable<readonly unknown[]>;
}

export interface WritePlanOptions {
  /** HDF5 paths already written (columns the streaming pipeline created early); writePlan leaves them alone. */
  skip?: ReadonlySet<string>;
  /** Groups already created (on the way to early columns): only their attributes are written. */
  existingGroups?: ReadonlySet<string>;
}

/** An output file being written under a temporary name in its final directory. */
export interface OutputFile {
  /** Absolute final path (inside the output root). */
  readonly path: string;
  /** Absolute temporary path the sink writes to. */
  readonly tempPath: string;
  readonly sink: NexusSink;
  /** Close the sink, fsync, rename into place, fsync the directory. */
  commit(): void;
  /** Close the sink (if open) and remove the temporary file. */
  abort(): void;
}

/**
 * Where a conversion's files go: the Node shell's is the disk (nexus/output-file.ts, `diskOutput`:
 * a temporary name, fsync, rename); a browser's is h5wasm's in-memory file system.
 */
export interface OutputHost {
  /** The final path of `relative` under `root`; refuses a path that leaves `root` (a dry run opens nothing). */
  resolve(root: string, relative: string, options: { rootMayBeMissing?: boolean }): string;
  /** Opens the file a run is written to; it appears at its final path on `commit()`. */
  open(root: string, relative: string, options: OpenOutputOptions): OutputFile;
}

export interface OpenOutputOptions {
  /** Replace an existing file at the final path (default false: refuse with NEXUS_EXISTS). */
  overwrite?: boolean;
}

export interface FormatTreeOptions {
  /** Maximum line width; longer lines are cut with `…` (default 120). */
  width?: number;
}
