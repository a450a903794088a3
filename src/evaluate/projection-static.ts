/** `static` projections: the value written in the projection itself. */
import { NxlError } from '../errors.js';
import type { StaticProjection } from '../layout/models.js';
import type { Resolved } from './env.js';
import type { DType } from './models.js';
import { toInline } from './values.js';

export function resolveStatic(p: StaticProjection, requested?: DType): Resolved {
  if (p.value === null || p.value === undefined) {
    throw new NxlError(
      'EVAL_PROJECTION',
      'static projection has no value (null)',
      {},
      { hint: 'HDF5 has no null: give a value or remove the node' },
    );
  }
  return { kind: 'inline', ...toInline(p.value, requested), source: 'static' };
}
