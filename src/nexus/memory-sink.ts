/**
 * A NexusSink that keeps the tree in memory, for the tests of other folders.
 * It refuses what HDF5 refuses (a missing parent, a path written twice, a hard link to
 * nothing, a closed sink) so code tested against it behaves the same on a real file.
 */
import { NxlError } from '../errors.js';
import type { DType, PlannedAttribute } from '../evaluate/models.js';
import type { StorageOptions } from '../layout/models.js';
import { flatten, product } from './dtypes.js';
import type { ColumnHandle, NexusSink } from './models.js';

export type MemoryNode =
  | { kind: 'group'; path: string; attributes: Map<string, PlannedAttribute> }
  | {
      kind: 'field';
      path: string;
      dtype: DType;
      shape: number[];
      data: unknown[];
      storage: StorageOptions;
      attributes: Map<string, PlannedAttribute>;
    }
  | {
      kind: 'column';
      path: string;
      dtype: DType;
      rowShape: number[];
      rows: unknown[];
      storage: StorageOptions;
      expectedRows?: number;
      attributes: Map<string, PlannedAttribute>;
    }
  | { kind: 'link'; path: string; linkType: 'soft' | 'hard'; target: string }
  | { kind: 'external-link'; path: string; file: string; target: string };

class MemoryColumn implements ColumnHandle {
  readonly path: string;
  readonly dtype: DType;
  readonly rowShape: number[];
  readonly rows: unknown[];
  constructor(path: string, dtype: DType, rowShape: number[], rows: unknown[]) {
    this.path = path;
    this.dtype = dtype;
    this.rowShape = rowShape;
    this.rows = rows;
  }
  get length(): number {
    return this.rows.length;
  }
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export class MemorySink implements NexusSink {
  /** Every node by absolute path; the root group `/` exists from the start. */
  readonly nodes = new Map<string, MemoryNode>([['/', { kind: 'group', path: '/', attributes: new Map() }]]);
  flushes = 0;
  closed = false;

  private fail(p: string, message: string): never {
    throw new NxlError('NEXUS_WRITE', `${message} ${p}`, { nexusPath: p });
  }

  private add(node: MemoryNode): void {
    if (this.closed) this.fail(node.path, 'cannot write to a closed sink:');
    if (!node.path.startsWith('/') || node.path === '/')
      this.fail(node.path, 'not an absolute HDF5 path below the root:');
    if (this.nodes.has(node.path)) this.fail(node.path, 'name already exists:');
    if (this.nodes.get(parentOf(node.path))?.kind !== 'group') this.fail(node.path, 'parent group does not exist for');
    this.nodes.set(node.path, node);
  }

  /** The node at `p` (throws when there is none, so tests fail with a clear message). */
  get(p: string): MemoryNode {
    const node = this.nodes.get(p);
    if (node === undefined) throw new Error(`MemorySink: nothing at ${p}`);
    return node;
  }

  /** Attribute values of the group/field/column at `p`, by name (scalars unwrapped). */
  attrs(p: string): Record<string, unknown> {
    const node = this.get(p);
    if (!('attributes' in node)) return {};
    return Object.fromEntries(
      [...node.attributes].map(([k, a]) => [k, a.shape.length === 0 ? a.data[0] : [...a.data]]),
    );
  }

  createGroup(path: string, attributes: PlannedAttribute[]): void {
    if (path !== '/') this.add({ kind: 'group', path, attributes: new Map() });
    this.setAttributes(path, attributes);
  }

  writeField(
    path: string,
    dtype: DType,
    shape: number[],
    data: readonly unknown[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
  ): void {
    const flat = flatten(data);
    if (flat.length !== product(shape)) this.fail(path, `${flat.length} values for shape [${shape.join(', ')}] at`);
    this.add({ kind: 'field', path, dtype, shape: [...shape], data: flat, storage, attributes: new Map() });
    this.setAttributes(path, attributes);
  }

  createColumn(
    path: string,
    dtype: DType,
    rowShape: number[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
    expectedRows?: number,
  ): ColumnHandle {
    const rows: unknown[] = [];
    this.add({
      kind: 'column',
      path,
      dtype,
      rowShape: [...rowShape],
      rows,
      storage,
      attributes: new Map(),
      ...(expectedRows === undefined ? {} : { expectedRows }),
    });
    this.setAttributes(path, attributes);
    return new MemoryColumn(path, dtype, [...rowShape], rows);
  }

  appendRows(handle: ColumnHandle, rows: readonly unknown[] | Float64Array): void {
    const node = this.nodes.get(handle.path);
    if (this.closed || node?.kind !== 'column' || !(handle instanceof MemoryColumn) || node.rows !== handle.rows)
      this.fail(handle.path, 'not an open column of this sink:');
    for (let i = 0; i < rows.length; i++) node.rows.push(rows[i]);
  }

  setAttributes(path: string, attributes: PlannedAttribute[]): void {
    if (this.closed) this.fail(path, 'cannot write to a closed sink:');
    const node = this.nodes.get(path);
    if (node === undefined || !('attributes' in node)) this.fail(path, 'no group or dataset at');
    for (const a of attributes) node.attributes.set(a.name, a);
  }

  createLink(path: string, linkType: 'soft' | 'hard', target: string): void {
    if (linkType === 'hard' && !this.nodes.has(target))
      this.fail(path, `hard link target ${target} does not exist for`);
    this.add({ kind: 'link', path, linkType, target });
  }

  createExternalLink(path: string, file: string, target: string): void {
    this.add({ kind: 'external-link', path, file, target });
  }

  flush(): void {
    this.flushes += 1;
  }

  close(): void {
    this.closed = true;
  }
}
