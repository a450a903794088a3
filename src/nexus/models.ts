/**
 * The writing boundary: everything nexus/ needs to know to put a plan on disk.
 * `H5wasmSink` writes HDF5; `MemorySink` records calls for tests.
 */
import type { DType, PlannedAttribute } from '../evaluate/models.js';
import type { StorageOptions } from '../layout/models.js';

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
  writeField(path: string, dtype: DType, shape: number[], data: readonly unknown[], attributes: PlannedAttribute[], storage: StorageOptions): void;
  /** A chunked, resizable dataset of shape [0, ...rowShape], appended to by `appendRows`. */
  createColumn(path: string, dtype: DType, rowShape: number[], attributes: PlannedAttribute[], storage: StorageOptions): ColumnHandle;
  /** Append rows (each row a scalar or nested array of rowShape). */
  appendRows(handle: ColumnHandle, rows: readonly unknown[]): void;
  setAttributes(path: string, attributes: PlannedAttribute[]): void;
  createLink(path: string, linkType: 'soft' | 'hard', target: string): void;
  createExternalLink(path: string, file: string, target: string): void;
  flush(): void;
  close(): void;
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
  | { kind: 'dataset'; path: string; dtype: string; shape: number[]; chunks?: number[]; compression?: string; attributes: InspectedAttribute[]; preview: unknown }
  | { kind: 'soft-link'; path: string; target: string }
  | { kind: 'external-link'; path: string; file: string; target: string };
