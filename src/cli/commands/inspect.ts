/** `nxlayout inspect FILE`: the tree of any HDF5 file. */
import { formatTree, readTree } from '../../nexus/index.js';
import { EXIT_OK, type Io } from '../io.js';

export interface InspectOptions {
  json?: boolean;
  width?: number;
}

export async function inspectCommand(file: string, options: InspectOptions, io: Io): Promise<number> {
  const tree = await readTree(file);
  if (options.json) io.out(JSON.stringify(tree, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
  else io.out(formatTree(tree, options.width === undefined ? {} : { width: options.width }));
  return EXIT_OK;
}
