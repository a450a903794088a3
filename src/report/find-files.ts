/** The HDF5 files under a directory, recursively, in a stable order. */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { NxlError } from '../errors.js';

/** Extensions NeXus and HDF5 files are written with. */
export const HDF5_EXTENSIONS = ['.nxs', '.nx5', '.h5', '.hdf', '.hdf5', '.he5'];

export async function findHdf5Files(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    throw new NxlError(
      'REPORT_IO',
      `cannot read the directory ${dir}: ${(e as Error).message}`,
      { file: dir },
      { hint: 'give the user directory the files were written to', cause: e },
    );
  }
  return (
    entries
      .filter((e) => e.isFile() && HDF5_EXTENSIONS.includes(path.extname(e.name).toLowerCase()))
      // Temporary files of a write in progress (`.name.tmp-…`) are not runs yet.
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => path.join(e.parentPath, e.name))
      .sort()
  );
}
