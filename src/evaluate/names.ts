/** HDF5 names and paths as the plan uses them. */
import { NxlError } from '../errors.js';

/** A rendered name made HDF5-safe: `/` (the path separator) becomes `_`; an empty name is an error. */
export function safeNodeName(name: string): string {
  const safe = name.replace(/\//g, '_').trim();
  if (safe === '' || safe === '.') {
    throw new NxlError(
      'EVAL_NAME',
      `node name ${JSON.stringify(name)} is empty after rendering`,
      {},
      {
        hint: 'the name template rendered to nothing: check the bound names or use `default`',
      },
    );
  }
  return safe;
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
