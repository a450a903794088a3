/** `--projections a,b,c` on write and watch: parsed without loading the layout loader (the help needs it). */
import { InvalidArgumentError } from 'commander';
import { DEFAULT_PROJECTION_NAMES } from '../layout/models.js';

/** `--projections a,b,c`: the start-document projection names applied (commander argument parser). */
export function parseProjectionNames(text: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  if (names.some((n) => n === ''))
    throw new InvalidArgumentError('expected projection names separated by commas, e.g. nexus,nxsas');
  return [...new Set(names)];
}

export const PROJECTIONS_HELP = `start-document projections applied, by name, comma-separated (default: each template's "start_projections": {"names"}, else ${DEFAULT_PROJECTION_NAMES.join(',')}); unnamed ones always are`;
