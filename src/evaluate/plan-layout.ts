/**
 * Phase 1 of a run's file: `planLayout(layout, run)`, when the run's header
 * is known — its start document, its descriptors, and for each stream
 * whether it has a row yet (`RunHeader`: a column's row shape may come from
 * its first row). It is the template's only structural evaluation for the
 * header: start projections merged, `$repeat`s expanded, names rendered,
 * links checked, the provenance group and the conventions of fields planned.
 * It gives the whole tree, in which
 *
 * - a value the header gives is final: constants, start-document and
 *   descriptor values, text reading only those, and each event column as a
 *   reference (stream, field, part, dtype, shape, storage, time offset);
 * - a value it cannot give is a DeferredNode (deferred.ts): the template
 *   node and its scope (bindings, pointer, path), and no value at all —
 *   single readings, calculations, stop-document values, text reading them,
 *   external data; a node with such an attribute keeps its template
 *   attributes the same way (`deferredAttributes`).
 *
 * and the columns the deferred values will read (`retained`: a writer keeps
 * their rows). Phase 2 is resolve-values.ts. Both are pure: (layout, run) → data.
 */
import type { Diagnostic } from '../errors.js';
import type { Layout } from '../layout/models.js';
import { resolveExternal } from '../run/external.js';
import type { Run } from '../run/models.js';
import { planConventions } from './conventions.js';
import { buildContext } from './context.js';
import type { EvalEnv, ExternalResolver } from './env.js';
import { renderFilePath } from './file-path.js';
import { checkLinks } from './links.js';
import { mergeStartProjections } from './merge-projections.js';
import type { ColumnRef, ColumnValue, PlanGroup, PlanNode, PlannedField, Provenance } from './models.js';
import { planGroup } from './plan-tree.js';
import { addProvenance } from './provenance.js';
import { defaultRegistry, type CalculationRegistry } from './registry.js';

export interface EvaluateOptions {
  /** Default: createDefaultRegistry(). */
  registry?: CalculationRegistry;
  provenance?: Provenance;
  /** Where external fields live; default run/'s resolveExternal (tests may stub it). */
  resolveExternal?: ExternalResolver;
  /**
   * Start-document projection names applied (the command line's `--projections`);
   * default: the template's `start_projections.names`, else DEFAULT_PROJECTION_NAMES.
   */
  projectionNames?: readonly string[];
}

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
  /** The output path relative to the output root. */
  readonly file: string;
  /** The tree: final nodes, and deferred ones (no value) for resolveValues. */
  readonly root: PlanGroup;
  /** The problems found while planning (structure, names, links, values final in the plan). */
  readonly diagnostics: readonly Diagnostic[];
  /** Every whole-column field, in tree order: the datasets streamed. */
  readonly columns: readonly ColumnField[];
  /** Columns whose rows the template reads (an index, a calculation argument): kept whole to the end. */
  readonly retained: readonly ColumnRef[];
  /** Paths of links marked optional (a link whose deferred target is left out at the stop is dropped). */
  readonly optionalLinks: ReadonlySet<string>;
  /** nxlayout's version, as the plan's text saw it. */
  readonly version: string;
  /**
   * True when part of the tree is planned only at the stop (a `$repeat`
   * over the stop document's keys): what it will read is unknown, so a
   * writer keeps every row, and links are checked at the stop only.
   */
  readonly retainsAll: boolean;
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
function columnFields(root: PlanGroup): ColumnField[] {
  const found: ColumnField[] = [];
  const visit = (node: PlanNode): void => {
    if (node.kind === 'group') node.children.forEach(visit);
    else if (node.kind === 'field' && node.value.kind === 'column') found.push(node as ColumnField);
  };
  visit(root);
  return found;
}

/** Plans `layout` for the run's header (see the module comment). */
export function planLayout(layout: Layout, run: Run, options: EvaluateOptions = {}): LayoutPlan {
  const version = options.provenance?.nxlayoutVersion ?? 'unknown';
  const diagnostics: Diagnostic[] = [];
  const file = renderFilePath(layout, run, version);
  diagnostics.push(...file.diagnostics);
  const registry = options.registry ?? defaultRegistry();
  const names = options.projectionNames ?? layout.startProjections?.names;
  const template = mergeStartProjections(layout.root, run.start, diagnostics, {
    ...(names === undefined ? {} : { names }),
    ...(layout.startProjections?.callables === undefined ? {} : { callables: layout.startProjections.callables }),
    registered: (name) => registry.has(name),
  });
  const env: EvalEnv = {
    run,
    registry,
    resolveExternal: options.resolveExternal ?? resolveExternal,
    context: buildContext(run, {}, version),
    bindings: {},
    at: { run: run.uid },
    diagnostics,
    optionalLinks: new Set(),
    readColumns: new Map(),
    planning: true,
  };
  let root = planGroup(template, '/', env);
  const retainsAll = hasDeferredStructure(root);
  if (!retainsAll) root = checkLinks(root, env.optionalLinks, diagnostics);
  root = addProvenance(root, layout, run, version);
  root = planConventions(root, run);
  return {
    layout,
    header: headerOf(run),
    file: file.path ?? '',
    root,
    diagnostics,
    columns: columnFields(root),
    retained: [...env.readColumns.values()],
    optionalLinks: env.optionalLinks,
    version,
    retainsAll,
  };
}

function hasDeferredStructure(node: PlanNode): boolean {
  if (node.kind === 'deferred') return node.deferred === 'structure';
  return node.kind === 'group' && node.children.some(hasDeferredStructure);
}

/**
 * A later header (a descriptor, a stream's first row) after the writer
 * planned: the template is planned again for it, once — a new stream may
 * bring repeated groups as well as columns. Columns already planned stay as
 * streamed (a column keeps its dataset), retained columns stay retained.
 */
export function extendPlan(plan: LayoutPlan, run: Run, options: EvaluateOptions = {}): LayoutPlan {
  const next = planLayout(plan.layout, run, options);
  const paths = new Set(next.columns.map((c) => c.path));
  const keys = new Set(next.retained.map(refKey));
  return {
    ...next,
    columns: [...next.columns, ...plan.columns.filter((c) => !paths.has(c.path))],
    retained: [...next.retained, ...plan.retained.filter((r) => !keys.has(refKey(r)))],
  };
}

/** `plan` with another tree (the writer's, pruned of columns it cannot write): its columns follow the tree. */
export function withRoot(plan: LayoutPlan, root: PlanGroup): LayoutPlan {
  return { ...plan, root, columns: columnFields(root) };
}

function refKey(r: ColumnRef): string {
  return `${r.stream}\u0000${r.field}\u0000${r.part}`;
}
