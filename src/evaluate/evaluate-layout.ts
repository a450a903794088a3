/**
 * (Layout, Run) → NexusPlan, purely: no I/O, no clock, no randomness, so one
 * run and one template always give the same plan. It is the two phases
 * against one run: the plan for the run's header (plan-layout.ts), then its
 * deferred values resolved (resolve-values.ts). Data problems become
 * diagnostics in the plan; nothing is thrown for them.
 */
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import type { NexusPlan } from './models.js';
import { planLayout, type EvaluateOptions } from './plan-layout.js';
import { resolveValues } from './resolve-values.js';

export type { EvaluateOptions } from './plan-layout.js';

export function evaluateLayout(layout: Layout, run: Run, options: EvaluateOptions = {}): NexusPlan {
  return resolveValues(planLayout(layout, run, options), run, options);
}
