/**
 * Phase 2 of a run's file: `resolveValues(plan, run)` at the stop, once. It
 * walks the plan's tree (plan-layout.ts) and evaluates only what the plan
 * deferred, against the whole run, with plan-tree.ts's own `planField` and
 * `planAttributes` — so a missing reading gives the same code, pointer and
 * message as ever, and an optional node whose data is missing is left out.
 * It never evaluates the template's structure again (start projections,
 * repeats, names, provenance, field conventions stay as planned). What it
 * decides besides values, each from the resolved tree, never the template:
 *
 * - a node whose `$repeat` reads beyond the header (keys of the stop
 *   document…) is planned here, whole, for the first time (plan-tree.ts's
 *   `planChild`, with the plan's conventions for its subtree);
 * - a group whose children were all deferred and all left out is left out
 *   (an empty NXsample says nothing), as planning does for its own;
 * - links are checked again: one to a deferred node left out dangles;
 * - each column reference gets the run's final row count (shape[0], source);
 * - the provenance group gets the stop document, and the template tried
 *   (after a fallback);
 * - `resolveConventions`: NXdata `@signal`/`@axes`, the `@default` chain and
 *   the NXroot attributes, which read row counts, resolved values and the stop.
 *
 * The problems of a deferred node take the place in the list they would
 * have had in tree order (DeferredScope.diagnosticAt).
 */
import type { Diagnostic } from '../errors.js';
import { resolveExternal } from '../run/external.js';
import type { Run } from '../run/models.js';
import { planAttributes } from './attributes.js';
import { buildContext } from './context.js';
import { planConventions, resolveConventions } from './conventions.js';
import { at, bind, report, type EvalEnv } from './env.js';
import { fieldConventions, withoutEmptyUnits } from './field-conventions.js';
import { iso8601 } from './iso-time.js';
import { checkLinks } from './links.js';
import type {
  DeferredAttributes,
  DeferredNode,
  DeferredScope,
  NexusPlan,
  PlanGroup,
  PlanNode,
  PlannedAttribute,
  PlannedField,
  PlannedGroup,
  PlannedNode,
} from './models.js';
import type { EvaluateOptions, LayoutPlan } from './plan-layout.js';
import { NAME_HINT, planChild, planField } from './plan-tree.js';
import { addTriedTemplate, type TriedTemplate } from './provenance-fallback.js';
import { addStopDocument } from './provenance.js';
import { defaultRegistry } from './registry.js';

interface Resolution {
  readonly run: Run;
  readonly base: EvalEnv;
  /** The problems of each deferred node, with where they go in the plan's list. */
  readonly inserts: { at: number; diagnostics: Diagnostic[] }[];
}

/** The file's tree at the stop (see the module comment); the writer adds the problems record. */
export function resolveValues(
  plan: LayoutPlan,
  run: Run,
  options: EvaluateOptions = {},
  tried?: TriedTemplate,
): NexusPlan {
  const base: EvalEnv = {
    run,
    registry: options.registry ?? defaultRegistry(),
    resolveExternal: options.resolveExternal ?? resolveExternal,
    context: buildContext(run, {}, plan.version),
    bindings: {},
    at: { run: run.uid },
    diagnostics: [],
    optionalLinks: new Set(plan.optionalLinks),
    readColumns: new Map(),
  };
  const r: Resolution = { run, base, inserts: [] };
  let root = resolveGroup(plan.root, r, true)!;
  const diagnostics = inTreeOrder(plan.diagnostics, r.inserts);
  root = checkLinks(root, base.optionalLinks, diagnostics);
  root = addStopDocument(root, run);
  if (tried !== undefined) root = addTriedTemplate(root, tried);
  root = resolveConventions(root, { run, file: plan.file, version: plan.version }, diagnostics);
  return { file: plan.file, root, diagnostics, readColumns: plan.retained };
}

/** The environment a deferred value is evaluated in: its scope, against the whole run. */
function envOf(scope: DeferredScope, r: Resolution): EvalEnv {
  const diagnostics: Diagnostic[] = [];
  r.inserts.push({ at: scope.diagnosticAt, diagnostics });
  return { ...bind(r.base, scope.bindings), at: scope.at, diagnostics };
}

function resolveNode(node: PlanNode, r: Resolution): PlannedNode[] {
  switch (node.kind) {
    case 'group':
      return [resolveGroup(node, r, false) ?? []].flat();
    case 'deferred':
      return node.deferred === 'field' ? resolveDeferredField(node, r) : resolveStructure(node, r);
    case 'field':
      return [resolveField(node, r)];
    case 'link': {
      if (node.deferredAttributes === undefined) return [node];
      const { deferredAttributes: _, ...link } = node;
      return [{ ...link, attributes: withoutEmptyUnits(attributesAt(node.deferredAttributes, r)) }];
    }
  }
}

function resolveDeferredField(node: DeferredNode, r: Resolution): PlannedNode[] {
  if (node.node.kind !== 'field') return [];
  const resolved = planField(node.node, node.path, envOf(node.scope, r));
  if (resolved === undefined || resolved.kind === 'deferred') return [];
  if (resolved.kind === 'field') return [fieldConventions(resolved, r.run)];
  const attributes = withoutEmptyUnits(resolved.attributes);
  return [attributes.length === resolved.attributes.length ? resolved : { ...resolved, attributes }];
}

/** A node whose instances the stop gives: planned now, with the plan's conventions (no value is deferred now). */
function resolveStructure(node: DeferredNode, r: Resolution): PlannedNode[] {
  const planned = planChild(node.node, node.parent, envOf(node.scope, r));
  const holder: PlanGroup = { kind: 'group', path: node.parent, children: planned, attributes: [], source: '' };
  return planConventions(holder, r.run).children as PlannedNode[];
}

function resolveGroup(group: PlanGroup, r: Resolution, isRoot: boolean): PlannedGroup | undefined {
  const children: PlannedNode[] = [];
  for (const child of group.children)
    for (const resolved of resolveNode(child, r)) {
      if (children.some((c) => c.path === resolved.path) && child.kind === 'deferred') {
        // as planGroup says it (a node planned only now may take a name already given)
        const env = at(envOf(child.scope, r), { pointer: child.pointer, nexusPath: resolved.path });
        const message = `two nodes are named ${resolved.path}: the second is left out`;
        report(env, 'EVAL_NAME', 'error', message, {}, NAME_HINT);
        continue;
      }
      children.push(resolved);
    }
  // Planning leaves out a template group whose children are all left out: so does the stop, for deferred ones.
  if (!isRoot && children.length === 0 && group.children.length > 0) return undefined;
  const { deferredAttributes, ...rest } = group;
  const attributes =
    deferredAttributes === undefined ? group.attributes : withoutEmptyUnits(attributesAt(deferredAttributes, r));
  return { ...rest, children, attributes };
}

/** A final field: a column gets its final row count; deferred attributes are evaluated. */
function resolveField(node: PlannedField, r: Resolution): PlannedField {
  const { deferredAttributes, ...field } = node;
  let out: PlannedField = field;
  if (field.value.kind === 'column') {
    const rows = r.run.streams.get(field.value.stream)?.length;
    if (rows !== undefined && rows !== field.shape[0])
      out = {
        ...field,
        shape: [rows, ...field.shape.slice(1)],
        source: field.source.replace(/\[all \d+ rows/, `[all ${rows} rows`),
      };
  }
  if (deferredAttributes === undefined) return out;
  out = fieldConventions({ ...out, attributes: attributesAt(deferredAttributes, r) }, r.run);
  const offset = out.value.kind === 'column' ? out.value.offset : undefined;
  if (offset === undefined) return out;
  // An NXlog time made relative to the start when planned (field-conventions.ts) says from when.
  const start: PlannedAttribute = { name: 'start', dtype: 'string', shape: [], data: [iso8601(offset)] };
  return { ...out, attributes: [...out.attributes.filter((a) => a.name !== 'start'), start] };
}

function attributesAt(deferred: DeferredAttributes, r: Resolution): PlannedAttribute[] {
  return planAttributes(deferred.attributes, envOf(deferred.scope, r));
}

/** The plan's problems with each deferred node's put where its node's would have been. */
function inTreeOrder(planned: readonly Diagnostic[], inserts: Resolution['inserts']): Diagnostic[] {
  const sorted = inserts.map((x, i) => ({ ...x, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  const out: Diagnostic[] = [];
  let next = 0;
  for (let at = 0; at <= planned.length; at++) {
    while (next < sorted.length && sorted[next]!.at === at) out.push(...sorted[next++]!.diagnostics);
    if (at < planned.length) out.push(planned[at]!);
  }
  return out;
}
