/**
 * The two phases of a run's file.
 *
 * 1. `planLayout(layout, run)` runs when the run's header is known: its start
 *    document, its descriptors, and for each stream whether it has a row yet
 *    (`RunHeader`). It gives the whole tree, with each event column as a
 *    reference (stream, field, part, dtype, shape, storage), and the columns
 *    the template reads at an index or in a calculation (whose rows must
 *    stay); a writer creates the file's groups and resizable datasets from it
 *    and streams the columns' rows into them. A column's row shape may come
 *    from its first row (a data key declaring shape [] for an array, a
 *    variable dimension), so a stream's columns are planned for good only
 *    once it has a row: its first row is part of the header, and a stream
 *    getting its first row, like a new descriptor, is a new header.
 * 2. `resolveValues(plan, run)` runs at the stop, once: it fills the single
 *    readings (first, last, an index, stats), the calculations and the
 *    attributes from the whole run, and the problems record. The values of
 *    the plan (made when most readings had not come) are never written.
 *
 * The plan is computed once per (template, header): a writer plans again only
 * when the header changes (`sameHeader`), and `extendPlan` keeps what the
 * earlier plan streams (convert/planner.ts counts the evaluations). Both
 * phases are pure: (layout, run) → data.
 */
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import { evaluateLayout, type EvaluateOptions } from './evaluate-layout.js';
import type { ColumnRef, ColumnValue, NexusPlan, PlannedField, PlannedGroup, PlannedNode } from './models.js';
import { addTriedTemplate, type TriedTemplate } from './provenance-fallback.js';

/** What a plan depends on: the descriptors, and which streams have a row (their first row gives row shapes). */
export interface RunHeader {
  readonly descriptors: number;
  /** Streams with at least one row, in the run's order. */
  readonly streamsWithRows: readonly string[];
}

/** A field whose value is a whole event column. */
export type ColumnField = PlannedField & { readonly value: ColumnValue };

export interface LayoutPlan {
  readonly layout: Layout;
  /** The header planned from. */
  readonly header: RunHeader;
  /** The output path relative to the output root, and the tree (values in it are provisional: see resolveValues). */
  readonly nexus: NexusPlan;
  /** Every whole-column field, in tree order: the datasets streamed. */
  readonly columns: readonly ColumnField[];
  /** Columns whose rows the template reads (an index, a calculation argument): kept whole to the end. */
  readonly retained: readonly ColumnRef[];
}

export function headerOf(run: Run): RunHeader {
  const streamsWithRows: string[] = [];
  for (const [name, stream] of run.streams) if (stream.length > 0) streamsWithRows.push(name);
  return { descriptors: run.descriptors.length, streamsWithRows };
}

export function sameHeader(a: RunHeader, b: RunHeader): boolean {
  return (
    a.descriptors === b.descriptors &&
    a.streamsWithRows.length === b.streamsWithRows.length &&
    a.streamsWithRows.every((s, i) => s === b.streamsWithRows[i])
  );
}

/** Every field of `root` whose value is a whole event column, in tree order. */
function columnFields(root: PlannedGroup): ColumnField[] {
  const found: ColumnField[] = [];
  const visit = (node: PlannedNode): void => {
    if (node.kind === 'group') node.children.forEach(visit);
    else if (node.kind === 'field' && node.value.kind === 'column') found.push(node as ColumnField);
  };
  visit(root);
  return found;
}

/** Plans `layout` for the run's header (see the module comment). `tried`: the template the run fell back from. */
export function planLayout(layout: Layout, run: Run, options: EvaluateOptions = {}, tried?: TriedTemplate): LayoutPlan {
  return planFrom(layout, run, evaluate(layout, run, options, tried));
}

/** The plan of an evaluation already made (`nexus`, maybe pruned by the caller) for the run's header. */
export function planFrom(layout: Layout, run: Run, nexus: NexusPlan): LayoutPlan {
  return {
    layout,
    header: headerOf(run),
    nexus,
    columns: columnFields(nexus.root),
    retained: nexus.readColumns,
  };
}

/**
 * Plans again for a new header (a descriptor, a stream's first row): the
 * new plan's columns and retained columns are added to the earlier ones
 * (a column streamed stays streamed, a retained one stays retained).
 */
export function extendPlan(
  plan: LayoutPlan,
  run: Run,
  options: EvaluateOptions = {},
  tried?: TriedTemplate,
): LayoutPlan {
  const next = planLayout(plan.layout, run, options, tried);
  const paths = new Set(next.columns.map((c) => c.path));
  const keys = new Set(next.retained.map(refKey));
  return {
    ...next,
    columns: [...next.columns, ...plan.columns.filter((c) => !paths.has(c.path))],
    retained: [...next.retained, ...plan.retained.filter((r) => !keys.has(refKey(r)))],
  };
}

/**
 * The file's values at the stop: the template evaluated once against the
 * whole run (single readings, calculations, attributes), with the tried
 * template recorded in its provenance after a fallback. The writer adds the
 * problems record (addProblemsRecord) and writes what it did not stream.
 */
export function resolveValues(
  plan: Pick<LayoutPlan, 'layout'>,
  run: Run,
  options: EvaluateOptions = {},
  tried?: TriedTemplate,
): NexusPlan {
  return evaluate(plan.layout, run, options, tried);
}

function evaluate(layout: Layout, run: Run, options: EvaluateOptions, tried: TriedTemplate | undefined): NexusPlan {
  const plan = evaluateLayout(layout, run, options);
  return tried === undefined ? plan : { ...plan, root: addTriedTemplate(plan.root, tried) };
}

function refKey(r: ColumnRef): string {
  return `${r.stream}\u0000${r.field}\u0000${r.part}`;
}
