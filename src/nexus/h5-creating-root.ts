/**
 * How the h5wasm sink names and creates objects: paths relative to the root,
 * the root group through which datasets are created, and NXroot's
 * `HDF5_Version` added to the root's attributes.
 */
import type { PlannedAttribute } from '../evaluate/models.js';
import { H5Dataset, H5Group, type Dataset } from './h5-runtime.js';
import { hdf5LibraryVersion } from './h5-version.js';

/** `/a/b` → `a/b` (h5wasm prefixes names with the root group's `/`). */
export function relativeName(p: string): string {
  return p.replace(/^\/+/, '');
}

/** NXroot's `HDF5_Version`: the library that writes the file is the one to name, so it is added with the root's attributes. */
export function withLibraryVersion(p: string, attributes: PlannedAttribute[]): PlannedAttribute[] {
  if (relativeName(p) !== '' || attributes.length === 0 || attributes.some((a) => a.name === 'HDF5_Version'))
    return attributes;
  return [...attributes, { name: 'HDF5_Version', dtype: 'string', shape: [], data: [hdf5LibraryVersion()] }];
}

/**
 * The root group through which datasets are created: h5wasm's create_dataset ends by looking the new
 * dataset up again (`get`, one HDF5 round trip that asks its type); the sink knows it made a dataset.
 */
export class CreatingRoot extends H5Group {
  constructor(fileId: bigint) {
    super(fileId, '/');
  }

  /** Only called by create_dataset, with the relative name of the dataset it just created. */
  override get(name: string): Dataset {
    return new H5Dataset(this.file_id, `/${name}`);
  }
}
