/**
 * NexusSink over h5wasm: the only code of nxlayout that writes HDF5.
 * Every HDF5 failure leaves as an NxlError('NEXUS_WRITE') naming the HDF5 path.
 */
import { dirname, isAbsolute, relative, resolve } from '../paths.js';
import { NxlError } from '../errors.js';
import type { DType, PlannedAttribute } from '../evaluate/models.js';
import type { StorageOptions } from '../layout/models.js';
import { columnChunks, fixedChunks, gzipLevel, requestedChunks } from './chunking.js';
import { ColumnWriter } from './column-writer.js';
import { flatten, h5Code, product, toH5Data } from './dtypes.js';
import { wrapH5Error } from './h5-errors.js';
import { CreatingRoot, relativeName, withLibraryVersion } from './h5-creating-root.js';
import { h5wasm, H5Group, Module, type Dataset, type File, type Group } from './h5-runtime.js';
import type { ColumnHandle, NexusSink, WriteBack } from './models.js';

export interface H5wasmSinkOptions {
  /** The path the file will finally have (the sink may write a temporary name): external links are made relative to its directory. */
  outputPath?: string;
  /** Keeps the file's writes back until it is closed (one write instead of one per HDF5 block): Node only. */
  cacheWrites?: (filePath: string) => WriteBack | undefined;
}

export class H5wasmSink implements NexusSink {
  readonly filePath: string;
  readonly outputPath: string;
  private file: File | undefined;
  /** The file's root, for creating datasets (see CreatingRoot). */
  private readonly root: CreatingRoot | undefined;
  private readonly writeBack: WriteBack | undefined;
  private readonly columns = new Map<string, ColumnWriter>();
  /** The groups and datasets this sink created, by path: their attributes are written through them without asking HDF5 where they are again. */
  private readonly created = new Map<string, Group | Dataset>();

  constructor(filePath: string, options: H5wasmSinkOptions = {}) {
    this.filePath = resolve(filePath);
    this.outputPath = resolve(options.outputPath ?? filePath);
    try {
      this.file = new h5wasm.File(this.filePath, 'w');
      this.root = new CreatingRoot(this.file.file_id);
      this.writeBack = options.cacheWrites?.(this.filePath);
    } catch (e) {
      throw wrapH5Error(e, 'cannot create HDF5 file', '/', 'NEXUS_WRITE', this.outputPath);
    }
  }

  private open(p: string): File {
    if (this.file === undefined)
      throw new NxlError('NEXUS_WRITE', `cannot write ${p}: the file ${this.outputPath} is already closed`, {
        file: this.outputPath,
        nexusPath: p,
      });
    return this.file;
  }

  private guard<T>(action: string, p: string, body: (file: File) => T): T {
    const file = this.open(p);
    try {
      return body(file);
    } catch (e) {
      throw wrapH5Error(e, action, p, 'NEXUS_WRITE', this.outputPath);
    }
  }

  createGroup(p: string, attributes: PlannedAttribute[]): void {
    const name = relativeName(p);
    this.guard('cannot create group', p, (file) => {
      if (name === '') return;
      // Group.create_group would look the new group up again (one more HDF5 call per group).
      Module.create_group(file.file_id, `/${name}`, false);
      this.created.set(p, new H5Group(file.file_id, `/${name}`));
    });
    this.#addAttributes(p, withLibraryVersion(p, attributes), name !== '');
  }

  writeField(
    p: string,
    dtype: DType,
    shape: number[],
    data: readonly unknown[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
  ): void {
    const flat = flatten(data);
    if (flat.length !== product(shape)) {
      throw new NxlError(
        'NEXUS_WRITE',
        `${p} has ${flat.length} values for shape [${shape.join(', ')}] (${product(shape)} expected)`,
        { file: this.outputPath, nexusPath: p },
        {
          hint: 'the planned shape and the value disagree: this is a bug in the plan',
        },
      );
    }
    const values = toH5Data(dtype, flat, p);
    const level = dtype === 'string' || shape.length === 0 ? undefined : gzipLevel(storage);
    const chunked = shape.length > 0 && (level !== undefined || storage.chunks !== undefined);
    const chunks = chunked ? (requestedChunks(storage, shape.length, p) ?? fixedChunks(dtype, shape)) : undefined;
    this.guard('cannot write dataset', p, () => {
      const dataset = this.#root().create_dataset({
        name: relativeName(p),
        data: values,
        shape,
        dtype: h5Code(dtype),
        ...(chunks === undefined ? {} : { chunks }),
        ...(level === undefined ? {} : { compression: 'gzip' as const, compression_opts: level }),
      });
      this.created.set(p, dataset);
    });
    this.#addAttributes(p, attributes, true);
  }

  createColumn(
    p: string,
    dtype: DType,
    rowShape: number[],
    attributes: PlannedAttribute[],
    storage: StorageOptions,
    expectedRows?: number,
  ): ColumnHandle {
    const chunks = requestedChunks(storage, rowShape.length + 1, p) ?? columnChunks(dtype, rowShape, expectedRows);
    // Compressing variable-length strings would only compress their heap references.
    const level = dtype === 'string' ? undefined : gzipLevel(storage);
    const column = this.guard('cannot create column', p, (file) => {
      const dataset = this.#root().create_dataset({
        name: relativeName(p),
        data: dtype === 'string' ? [] : toH5Data(dtype, [], p),
        shape: [0, ...rowShape],
        maxshape: [null, ...rowShape],
        dtype: h5Code(dtype),
        chunks,
        ...(level === undefined ? {} : { compression: 'gzip' as const, compression_opts: level }),
      });
      this.created.set(p, dataset);
      return new ColumnWriter(file.file_id, p, dtype, rowShape, chunks[0]);
    });
    this.columns.set(p, column);
    this.#addAttributes(p, attributes, true);
    return column;
  }

  #root(): CreatingRoot {
    if (this.root === undefined) throw new Error('the file is not open');
    return this.root;
  }

  appendRows(handle: ColumnHandle, rows: readonly unknown[] | Float64Array): void {
    const column = this.columns.get(handle.path);
    if (column === undefined || column !== handle) {
      throw new NxlError('NEXUS_WRITE', `cannot append to ${handle.path}: not a column of this file`, {
        file: this.outputPath,
        nexusPath: handle.path,
      });
    }
    this.guard('cannot append rows to', handle.path, () => column.append(rows));
  }

  setAttributes(p: string, attributes: PlannedAttribute[]): void {
    this.#addAttributes(p, withLibraryVersion(p, attributes), false);
  }

  /** `fresh`: the object was just created, so it has no attribute to replace (HDF5 need not be asked). */
  #addAttributes(p: string, attributes: PlannedAttribute[], fresh: boolean): void {
    if (attributes.length === 0) return;
    this.guard('cannot write attributes of', p, (file) => {
      const target = relativeName(p) === '' ? file : (this.created.get(p) ?? file.get(relativeName(p)));
      if (target === null || !('create_attribute' in target)) throw new Error(`no group or dataset at ${p}`);
      const existing = new Set(fresh ? [] : Module.get_attribute_names(file.file_id, p));
      for (const a of attributes) {
        const values = toH5Data(a.dtype, flatten(a.data), `${p}@${a.name}`);
        if (values.length !== product(a.shape))
          throw new Error(`attribute ${a.name} has ${values.length} values for shape [${a.shape.join(', ')}]`);
        if (existing.has(a.name)) target.delete_attribute(a.name);
        // HDF5 refuses to write zero variable-length strings (NULL buffer): an empty list of text is fixed-length UTF-8.
        const code = a.dtype === 'string' && values.length === 0 ? 'S1' : h5Code(a.dtype);
        target.create_attribute(a.name, values, a.shape, code);
        existing.add(a.name);
      }
    });
  }

  createLink(p: string, linkType: 'soft' | 'hard', target: string): void {
    this.guard(`cannot create ${linkType} link`, p, (file) => {
      if (linkType === 'soft') file.create_soft_link(target, relativeName(p));
      else file.create_hard_link(target, relativeName(p));
    });
  }

  /** Absolute `file` names are stored relative to the output file's directory; relative ones as given. */
  createExternalLink(p: string, file: string, target: string): void {
    const stored = isAbsolute(file) ? relative(dirname(this.outputPath), file) : file;
    this.guard('cannot create external link', p, (f) => {
      f.create_external_link(stored, target, relativeName(p));
    });
  }

  flush(): void {
    this.guard('cannot flush', '/', (file) => {
      for (const column of this.columns.values()) column.flush();
      file.flush();
      this.writeBack?.flush();
    });
  }

  /**
   * Write the buffered rows and close the file; closing twice does nothing. The file is closed even when
   * the last rows fail (so abort() can remove it), and that first failure is the one thrown: a close that
   * then fails too (a full disk fails both) is its consequence and must not hide it.
   */
  close(): void {
    const file = this.file;
    if (file === undefined) return;
    let failure: unknown;
    try {
      this.guard('cannot write the last rows before closing', '/', () => {
        for (const column of this.columns.values()) column.flush();
      });
    } catch (e) {
      failure = e;
    }
    this.file = undefined;
    this.columns.clear();
    try {
      file.close();
    } catch (e) {
      failure ??= wrapH5Error(e, 'cannot close', '/', 'NEXUS_WRITE', this.outputPath);
    }
    try {
      this.writeBack?.finish();
    } catch (e) {
      failure ??= wrapH5Error(e, 'cannot write', '/', 'NEXUS_WRITE', this.outputPath);
    }
    if (failure !== undefined) throw failure;
  }
}
