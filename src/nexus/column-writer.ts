/**
 * One growing dataset: rows are buffered in JS and written in blocks (resize + hyperslab
 * write), so a million single-row appends cost a few hundred HDF5 calls and the memory
 * held per column stays at one block whatever the number of rows.
 */
import { NxlError } from '../errors.js';
import type { DType } from '../evaluate/models.js';
import type { ColumnHandle } from './models.js';
import {
  checkString,
  elementBytes,
  flatten,
  makeNumericArray,
  product,
  putNumeric,
  type NumericArray,
} from './dtypes.js';
import { Module } from './h5-runtime.js';

/** Target bytes buffered per column before a block is written. */
const BLOCK_BYTES = 256 * 1024;
/** String columns also write when their text reaches this many UTF-8 bytes. */
const BLOCK_TEXT_BYTES = 1024 * 1024;

const encoder = new TextEncoder();

export class ColumnWriter implements ColumnHandle {
  readonly path: string;
  readonly dtype: DType;
  readonly rowShape: number[];
  private readonly fileId: bigint;
  private readonly rowSize: number;
  private readonly blockRows: number;
  private written = 0;
  private buffered = 0;
  private numbers: NumericArray | undefined;
  private strings: string[] = [];
  private textBytes = 0;

  constructor(fileId: bigint, path: string, dtype: DType, rowShape: number[], chunkRows: number) {
    this.fileId = fileId;
    this.path = path;
    this.dtype = dtype;
    this.rowShape = [...rowShape];
    this.rowSize = product(rowShape);
    const rowBytes = Math.max(1, this.rowSize * elementBytes(dtype));
    // A whole number of chunks per block, so compressed chunks are written once, not patched.
    const chunksPerBlock = Math.max(1, Math.floor(BLOCK_BYTES / (rowBytes * chunkRows)));
    this.blockRows = chunkRows * chunksPerBlock;
    if (dtype !== 'string') this.numbers = makeNumericArray(dtype, this.blockRows * this.rowSize);
  }

  get length(): number {
    return this.written + this.buffered;
  }

  append(rows: readonly unknown[] | Float64Array): void {
    if (rows instanceof Float64Array && this.numbers instanceof Float64Array && this.rowShape.length === 0) {
      this.appendTyped(rows, this.numbers);
      return;
    }
    for (const row of rows) {
      this.push(row);
      if (this.buffered === this.blockRows || this.textBytes >= BLOCK_TEXT_BYTES) this.flush();
    }
  }

  /** A typed column's rows into a float64 dataset: copied a block at a time, no per-row work. */
  private appendTyped(rows: Float64Array, numbers: Float64Array): void {
    let at = 0;
    while (at < rows.length) {
      const n = Math.min(rows.length - at, this.blockRows - this.buffered);
      numbers.set(rows.subarray(at, at + n), this.buffered);
      this.buffered += n;
      at += n;
      if (this.buffered === this.blockRows) this.flush();
    }
  }

  private push(row: unknown): void {
    // Scalar numeric rows are nearly every row of a scan: no per-row array or closure for them.
    if (this.numbers !== undefined && this.rowShape.length === 0 && !Array.isArray(row)) {
      putNumeric(this.numbers, this.buffered, row, this.dtype as Exclude<DType, 'string'>, this.path);
      this.buffered += 1;
      return;
    }
    const values =
      this.rowShape.length === 0 && !Array.isArray(row) ? [row] : flatten(Array.isArray(row) ? row : [row]);
    if (values.length !== this.rowSize) {
      throw new NxlError(
        'NEXUS_WRITE',
        `row ${this.length} of ${this.path} has ${values.length} values, expected ${this.rowSize} (row shape [${this.rowShape.join(', ')}])`,
        { nexusPath: this.path },
        {
          hint: 'every event of a column must have the shape its data key declares',
        },
      );
    }
    if (this.numbers !== undefined) {
      const base = this.buffered * this.rowSize;
      const dtype = this.dtype as Exclude<DType, 'string'>;
      values.forEach((v, i) => {
        putNumeric(this.numbers as NumericArray, base + i, v, dtype, this.path);
      });
    } else {
      for (const v of values) {
        const s = checkString(v, this.path);
        this.strings.push(s);
        this.textBytes += s.length * 3;
      }
    }
    this.buffered += 1;
  }

  /** Write the buffered rows to the file. */
  flush(): void {
    const n = this.buffered;
    if (n === 0) return;
    const count = [BigInt(n), ...this.rowShape.map(BigInt)];
    const offset = [BigInt(this.written), ...this.rowShape.map(() => 0n)];
    const strides = count.map(() => 1n);
    Module.resize_dataset(this.fileId, this.path, [BigInt(this.written + n), ...this.rowShape.map(BigInt)]);
    if (this.numbers !== undefined) this.writeNumbers(n, count, offset, strides);
    else this.writeStrings(count, offset, strides);
    this.written += n;
    this.buffered = 0;
    this.strings = [];
    this.textBytes = 0;
  }

  private writeNumbers(n: number, count: bigint[], offset: bigint[], strides: bigint[]): void {
    const view = (this.numbers as NumericArray).subarray(0, n * this.rowSize);
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    const ptr = Module._malloc(Math.max(1, bytes.byteLength));
    try {
      Module.HEAPU8.set(bytes, ptr);
      Module.set_dataset_data(this.fileId, this.path, count, offset, strides, BigInt(ptr));
    } finally {
      Module._free(ptr);
    }
  }

  /** Variable-length strings in memory are an array of `char *` (wasm32: 4-byte pointers). */
  private writeStrings(count: bigint[], offset: bigint[], strides: bigint[]): void {
    const encoded = this.strings.map((s) => encoder.encode(s));
    const textSize = encoded.reduce((sum, b) => sum + b.length + 1, 0);
    const table = Module._malloc(4 * encoded.length);
    const text = Module._malloc(Math.max(1, textSize));
    try {
      const heap = Module.HEAPU8;
      const pointers = new DataView(heap.buffer);
      let at = text;
      encoded.forEach((b, i) => {
        heap.set(b, at);
        heap[at + b.length] = 0;
        pointers.setUint32(table + 4 * i, at, true);
        at += b.length + 1;
      });
      Module.set_dataset_data(this.fileId, this.path, count, offset, strides, BigInt(table));
    } finally {
      Module._free(text);
      Module._free(table);
    }
  }
}
