/**
 * A run writer's plan, from its first flush to its stop: which template the
 * run gets, the plan its columns stream under (evaluate/plan-layout.ts), and
 * its values at the stop (evaluate/resolve-values.ts).
 *
 * - The template is planned once, at the first flush (or at the stop for a
 *   run too small to flush). A flush with the same header as the plan's
 *   uses that plan as it is; a later header (a descriptor, a stream's first
 *   row) plans again, once per such header (`extendPlan`): a late stream may
 *   bring repeated groups as well as columns. `plans` counts them.
 * - While the chosen template may still give way to its fallback (see
 *   fallback.ts), the first plan decides: it resolves (stream), it fails for
 *   good (switch, before anything is written), or it fails for want of
 *   documents still to come (hold: nothing is streamed, and it is planned
 *   again only when a descriptor arrives or the rows have doubled). Values
 *   deferred to the stop cannot fail a plan: a failure there falls back at
 *   the stop, from the rows streamed.
 * - `resolve` evaluates the plan's deferred values at the stop, once
 *   (`resolutions`); after a fallback at the stop, once more for the fallback.
 */
import type { Diagnostic } from '../errors.js';
import type { NexusPlan } from '../evaluate/models.js';
import {
  extendPlan,
  headerOf,
  planLayout,
  sameHeader,
  type EvaluateOptions,
  type LayoutPlan,
} from '../evaluate/plan-layout.js';
import type { TriedTemplate } from '../evaluate/provenance-fallback.js';
import { resolveValues } from '../evaluate/resolve-values.js';
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import { failureLines, verdict } from './fallback.js';

/**
 * What a flush does: hold (stream nothing yet), stream under `plan`
 * (`changed`: planned at this flush), or switch templates.
 */
export type PlanStep =
  | { readonly kind: 'hold' }
  | { readonly kind: 'stream'; readonly plan: LayoutPlan; readonly changed: boolean }
  | { readonly kind: 'switch'; readonly problems: readonly Diagnostic[] };

function rowsOf(run: Run): number {
  let rows = 0;
  for (const stream of run.streams.values()) rows += stream.length;
  return rows;
}

export class Planner {
  /** The template in use: the chosen one, or its fallback once it failed for the run. */
  layout: Layout;
  /** Still to fall back to; undefined once used (or with --strict). */
  #fallback: Layout | undefined;
  /** The chosen template and why it failed, once the run fell back. */
  #tried: TriedTemplate | undefined;
  /** The plan the columns stream under; undefined until decided. */
  #plan: LayoutPlan | undefined;
  /** While holding: descriptors and rows at the last look. */
  #held: { descriptors: number; rows: number } | undefined;
  readonly #options: EvaluateOptions;
  /** Structural plans of a template for this run (planLayout, extendPlan): either template. */
  plans = 0;
  /** Resolutions of a plan's deferred values (resolveValues): either template. */
  resolutions = 0;

  constructor(layout: Layout, fallback: Layout | undefined, options: EvaluateOptions) {
    this.layout = layout;
    this.#fallback = fallback;
    this.#options = options;
  }

  get tried(): TriedTemplate | undefined {
    return this.#tried;
  }

  /** True while the chosen template may still give way to the fallback. */
  get mayFallBack(): boolean {
    return this.#fallback !== undefined;
  }

  /** The plan the columns stream under, if decided. */
  get plan(): LayoutPlan | undefined {
    return this.#plan;
  }

  /** The plan for this flush (see PlanStep). */
  step(run: Run): PlanStep {
    const plan = this.#plan;
    if (plan !== undefined) {
      this.#plan = this.#forHeader(plan, run);
      return { kind: 'stream', plan: this.#plan, changed: this.#plan !== plan };
    }
    if (this.#fallback === undefined) return this.#adopt(this.#planned(run));
    const rows = rowsOf(run);
    const held = this.#held;
    if (held !== undefined && held.descriptors === run.descriptors.length && rows < 2 * held.rows)
      return { kind: 'hold' };
    const next = this.#planned(run);
    switch (verdict(next.diagnostics)) {
      case 'resolves':
        return this.#adopt(next);
      case 'hold':
        this.#held = { descriptors: run.descriptors.length, rows: Math.max(rows, 1) };
        return { kind: 'hold' };
      case 'switch':
        return { kind: 'switch', problems: next.diagnostics };
    }
  }

  /**
   * Gives up the chosen template for the fallback (`problems`: why): returns
   * the template tried and the fallback's plan, for the writer to prune
   * (columns whose rows are gone) and `adopt`.
   */
  fallBack(run: Run, problems: readonly Diagnostic[]): { tried: Layout; failures: string[]; plan: LayoutPlan } {
    const tried = this.layout;
    const failures = failureLines(problems);
    this.layout = this.#fallback!;
    this.#fallback = undefined;
    this.#held = undefined;
    this.#plan = undefined;
    this.#tried = { layout: tried, failures };
    return { tried, failures, plan: this.#planned(run) };
  }

  /** Streams (and resolves) under the fallback's pruned plan from now on. */
  adoptFallback(plan: LayoutPlan): LayoutPlan {
    this.#plan = plan;
    return plan;
  }

  /** The values at the stop: the plan's deferred values resolved, under the template in use. */
  resolve(run: Run): NexusPlan {
    const plan = this.#plan === undefined ? this.#planned(run) : this.#forHeader(this.#plan, run);
    this.#plan = plan;
    this.resolutions++;
    return resolveValues(plan, run, this.#options, this.#tried);
  }

  /** `plan` when the run's header is still its own; else the plan extended to the new header. */
  #forHeader(plan: LayoutPlan, run: Run): LayoutPlan {
    if (sameHeader(plan.header, headerOf(run))) return plan;
    this.plans++;
    return extendPlan(plan, run, this.#options);
  }

  #planned(run: Run): LayoutPlan {
    this.plans++;
    return planLayout(this.layout, run, this.#options);
  }

  #adopt(plan: LayoutPlan): PlanStep {
    this.#plan = plan;
    this.#held = undefined;
    return { kind: 'stream', plan, changed: true };
  }
}
