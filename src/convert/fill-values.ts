/**
 * A streamed column's dataset is created with the type of its first rows; a
 * later reading that type cannot hold (a missing reading or NaN in an integer
 * column) is stored as the column's fill value, recorded as the dataset's
 * `_FillValue` attribute (the netCDF/CF convention h5py, xarray and NeXus
 * readers know), instead of failing the run. Float and string columns hold
 * every reading (NaN, JSON text) and are never filled.
 */
import type { DType, PlannedAttribute } from '../evaluate/models.js';
import type { ColumnRows } from '../run/models.js';

const FILL: Partial<Record<DType, number | bigint>> = {
  int64: -(2n ** 63n),
  int32: -(2 ** 31),
  int16: -(2 ** 15),
  int8: -128,
  uint64: 2n ** 64n - 1n,
  uint32: 2 ** 32 - 1,
  uint16: 2 ** 16 - 1,
  uint8: 255,
  bool: 255,
};

const RANGE: Partial<Record<DType, [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int8: [-128, 127],
  uint32: [0, 2 ** 32 - 1],
  uint16: [0, 2 ** 16 - 1],
  uint8: [0, 255],
};

function storable(value: unknown, dtype: DType): boolean {
  if (typeof value === 'bigint') return dtype === 'int64' || dtype === 'uint64';
  if (typeof value === 'boolean') return true;
  if (typeof value !== 'number') return false;
  if (dtype === 'bool') return value === 0 || value === 1;
  if (!Number.isInteger(value)) return false;
  if (dtype === 'int64' || dtype === 'uint64') return Number.isSafeInteger(value) && (dtype === 'int64' || value >= 0);
  const range = RANGE[dtype];
  return range !== undefined && value >= range[0] && value <= range[1];
}

/** Scalar rows as an integer/bool dataset stores them: unstorable readings become the fill value; `filled` counts them. */
export function fillUnstorable(rows: ColumnRows, dtype: DType): { rows: ColumnRows; filled: number } {
  const fill = FILL[dtype];
  if (fill === undefined) return { rows, filled: 0 };
  let out: unknown[] | undefined;
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i];
    if (Array.isArray(v) || storable(v, dtype)) continue;
    (out ??= Array.from(rows))[i] = fill;
  }
  if (out === undefined) return { rows, filled: 0 };
  let filled = 0;
  for (let i = 0; i < rows.length; i++) if (out[i] !== rows[i]) filled++;
  return { rows: out, filled };
}

/** The `_FillValue` attribute of a dataset of `dtype`. */
export function fillValueAttribute(dtype: DType): PlannedAttribute | undefined {
  const fill = FILL[dtype];
  return fill === undefined ? undefined : { name: '_FillValue', dtype, shape: [], data: [fill] };
}
