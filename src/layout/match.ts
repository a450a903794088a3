/**
 * Which template a run gets: the highest-priority template whose `match`
 * holds; ties go to the name that sorts first. Templates without `match`
 * match every run but rank below every template with one (fallbacks).
 */
import type { Layout, MatchRule } from './models.js';

/** The run context `match` keys look into (`start.beamline_id`, `stop.exit_status`, `run.scan_id`…). */
export interface MatchContext {
  start: Record<string, unknown>;
  stop?: Record<string, unknown>;
  [key: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at a dotted path. A key that itself contains dots (`sample.name`)
 * is preferred over descending, as for projection fields.
 */
export function valueAtDottedPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  if (!isObject(root)) return undefined;
  if (Object.hasOwn(root, path)) return root[path];
  const segments = path.split('.');
  for (let cut = segments.length - 1; cut >= 1; cut--) {
    const head = segments.slice(0, cut).join('.');
    if (Object.hasOwn(root, head)) {
      const found = valueAtDottedPath(root[head], segments.slice(cut).join('.'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Whether one actual value satisfies one `match` condition. */
export function conditionHolds(condition: unknown, actual: unknown): boolean {
  if (Array.isArray(condition)) return condition.some((c) => conditionHolds(c, actual));
  if (isObject(condition)) {
    if (typeof condition.exists === 'boolean') return isPresent(actual) === condition.exists;
    if (typeof condition.pattern === 'string') {
      const text =
        typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean'
          ? String(actual)
          : undefined;
      return text !== undefined && new RegExp(condition.pattern).test(text);
    }
    return false;
  }
  return actual === condition;
}

function matchHolds(match: MatchRule, context: MatchContext): boolean {
  return Object.entries(match).every(([path, condition]) =>
    conditionHolds(condition, valueAtDottedPath(context, path)),
  );
}

/** Does this layout accept the run? (No `match` = every run.) */
export function layoutMatches(layout: Layout, context: MatchContext): boolean {
  return layout.match === undefined || matchHolds(layout.match, context);
}

function rank(a: Layout, b: Layout): number {
  const specific = Number(b.match !== undefined) - Number(a.match !== undefined);
  if (specific !== 0) return specific;
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Matching layouts, best first. */
export function rankLayouts(layouts: readonly Layout[], context: MatchContext): Layout[] {
  return layouts.filter((l) => layoutMatches(l, context)).sort(rank);
}

export function selectLayout(layouts: readonly Layout[], context: MatchContext): Layout | undefined {
  return rankLayouts(layouts, context)[0];
}
