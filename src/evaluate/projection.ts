/** Any projection → its resolved value; one case per projection type. */
import type { Projection } from '../layout/models.js';
import { assertNever } from './assert-never.js';
import type { EvalEnv, Resolved } from './env.js';
import type { DType } from './models.js';
import { resolveCalculated } from './projection-calculated.js';
import { resolveLinked } from './projection-linked.js';
import { resolveStatic } from './projection-static.js';
import { renderStrings } from './template-strings.js';

export function resolveProjection(projection: Projection, env: EvalEnv, requested?: DType): Resolved {
  const p = renderStrings(projection, env.context);
  switch (p.type) {
    case 'linked':
      return resolveLinked(p, env, requested);
    case 'static':
      return resolveStatic(p, requested);
    case 'calculated':
      return resolveCalculated(p, env, requested);
    default:
      return assertNever(p, 'projection type');
  }
}

export { isProjectionObject } from '../layout/guards.js';
