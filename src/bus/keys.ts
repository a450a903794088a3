/** The stream keys of a bus, from its prefix. */
import type { BusKeys } from './models.js';

const DEFAULT_PREFIX = 'nxlayout';
export const DEFAULT_GROUP = 'nxlayout';

export function busKeys(prefix: string = DEFAULT_PREFIX): BusKeys {
  return {
    jobs: `${prefix}:runs`,
    results: `${prefix}:results`,
    run: (uid) => `${prefix}:run:${uid}`,
  };
}
