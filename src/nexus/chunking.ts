/**
 * Chunk shapes for datasets that grow along their first axis.
 * A chunk should hold 64 KiB–1 MiB: smaller chunks bloat the chunk index and slow reads,
 * larger ones exceed HDF5's default 1 MiB chunk cache and are rewritten on every append.
 */
import { NxlError } from '../errors.js';
import type { DType } from '../evaluate/models.js';
import type { StorageOptions } from '../layout/models.js';
import { elementBytes, product } from './dtypes.js';

export const MIN_CHUNK_BYTES = 64 * 1024;
export const MAX_CHUNK_BYTES = 1024 * 1024;

/** Halve the largest dimension until the chunk fits `maxBytes` (for rows bigger than a chunk). */
function shrinkToFit(shape: number[], bytesPerElement: number, maxBytes: number): number[] {
  const out = [...shape];
  while (product(out) * bytesPerElement > maxBytes) {
    let largest = 0;
    out.forEach((d, i) => {
      if (d > out[largest]) largest = i;
    });
    if (out[largest] <= 1) break;
    out[largest] = Math.ceil(out[largest] / 2);
  }
  return out;
}

/**
 * The chunk shape of a column [n, ...rowShape]: as many rows as make 64 KiB, or all `expectedRows`
 * (capped at 1 MiB) when the final count is known; rows over 1 MiB are split along their own axes.
 */
export function columnChunks(dtype: DType, rowShape: readonly number[], expectedRows?: number): number[] {
  const bytes = elementBytes(dtype);
  const rowBytes = Math.max(1, product(rowShape.map((d) => Math.max(d, 1)))) * bytes;
  if (rowBytes >= MAX_CHUNK_BYTES)
    return [
      1,
      ...shrinkToFit(
        rowShape.map((d) => Math.max(d, 1)),
        bytes,
        MAX_CHUNK_BYTES,
      ),
    ];
  const maxRows = Math.floor(MAX_CHUNK_BYTES / rowBytes);
  const rows =
    expectedRows !== undefined && expectedRows > 0
      ? Math.min(expectedRows, maxRows)
      : Math.min(Math.ceil(MIN_CHUNK_BYTES / rowBytes), maxRows);
  return [Math.max(1, rows), ...rowShape.map((d) => Math.max(d, 1))];
}

/** Chunks for a fixed-shape dataset that is compressed or asked to be chunked. */
export function fixedChunks(dtype: DType, shape: readonly number[]): number[] {
  return shrinkToFit(
    shape.map((d) => Math.max(d, 1)),
    elementBytes(dtype),
    MAX_CHUNK_BYTES,
  );
}

/** StorageOptions.chunks, checked against the dataset's rank. */
export function requestedChunks(storage: StorageOptions, rank: number, path: string): number[] | undefined {
  const chunks = storage.chunks;
  if (chunks === undefined) return undefined;
  if (chunks.length !== rank || chunks.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new NxlError(
      'NEXUS_WRITE',
      `chunk shape [${chunks.join(', ')}] does not fit a dataset of rank ${rank} at ${path}`,
      { nexusPath: path },
      {
        hint: `give one positive integer per dimension (${rank} of them)`,
      },
    );
  }
  return [...chunks];
}

/** gzip level from StorageOptions (`true` in the template arrives as 4), undefined for none. */
export function gzipLevel(storage: StorageOptions): number | undefined {
  const c: unknown = storage.compression;
  if (c === true) return 4;
  if (typeof c !== 'number' || c === 0) return undefined;
  return Math.min(9, Math.max(1, Math.round(c)));
}
