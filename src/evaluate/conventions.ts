/**
 * NeXus conventions the template need not spell out, added only where it did
 * not: `@default` from the root to the first NXentry and on to an NXdata a
 * reader can plot (nxdata-conventions); field attributes from the data keys,
 * never an empty `units`, NXlog times relative to `@start`
 * (field-conventions); the NXroot attributes `creator`, `creator_version`,
 * `file_name`, `file_time` and `NeXus_version` (times from the run, never the
 * wall clock, so a run always gives the same file; `HDF5_Version` is written
 * by the HDF5 writer, which knows its library).
 *
 * Two passes, one per phase: `planConventions` (fields, links, NXlog times:
 * what a streamed column needs, its time offset) runs on the plan;
 * `resolveConventions` (NXdata `@signal`/`@axes`, the `@default` chain, the
 * NXroot attributes) runs at the stop on the resolved tree, because whether
 * a signal can be plotted depends on its row count and on resolved values,
 * and `file_time` on the stop document. A node whose attributes were
 * deferred gets its field conventions when they are resolved (fieldConventions).
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Run } from '../run/models.js';
import { fieldConventions, relativeLogTime, sharedTimeColumns, withoutEmptyUnits } from './field-conventions.js';
import { iso8601 } from './iso-time.js';
import type { PlanGroup, PlanNode, PlannedAttribute, PlannedGroup, PlannedNode } from './models.js';
import { baseName } from './names.js';
import { NEXUS_DEFINITIONS_RELEASE } from './nexus-release.js';
import { indexPlan, plotConventions } from './nxdata-conventions.js';

export interface ConventionInput {
  readonly run: Run;
  /** The rendered output path. */
  readonly file: string;
  readonly version: string;
}

interface Walk {
  readonly input: ConventionInput;
  readonly diagnostics: Diagnostic[];
  readonly nodes: ReadonlyMap<string, PlannedNode>;
  /** NXdata groups with a signal a reader can plot. */
  readonly plottable: Set<string>;
}

/** The plan's pass: field and link attributes, NXlog times (see the module comment). */
export function planConventions(root: PlanGroup, run: Run): PlanGroup {
  const sharedTimes = sharedTimeColumns(root);
  const visit = (node: PlanNode): PlanNode => {
    if (node.kind === 'deferred') return node;
    if (node.kind === 'field') return node.deferredAttributes === undefined ? fieldConventions(node, run) : node;
    const attributes = withoutEmptyUnits(node.attributes);
    if (node.kind === 'link') return attributes.length === node.attributes.length ? node : { ...node, attributes };
    const group: PlanGroup = { ...node, children: node.children.map(visit), attributes };
    return node.nxClass === 'NXlog' ? relativeLogTime(group, run, sharedTimes) : group;
  };
  return visit(root) as PlanGroup;
}

/** The stop's pass over the resolved tree: NXdata plots, `@default`, the NXroot attributes. */
export function resolveConventions(
  root: PlannedGroup,
  input: ConventionInput,
  diagnostics: Diagnostic[],
): PlannedGroup {
  const w: Walk = {
    input,
    diagnostics,
    nodes: indexPlan(root),
    plottable: new Set(),
  };
  const walked = walk(root, w) as PlannedGroup;
  const attrs = [...walked.attributes];
  const entry = walked.children.find((c): c is PlannedGroup => c.kind === 'group' && c.nxClass === 'NXentry');
  if (entry !== undefined) addIfAbsent(attrs, text('default', baseName(entry.path)));
  addIfAbsent(attrs, text('creator', 'nxlayout'));
  addIfAbsent(attrs, text('creator_version', input.version));
  addIfAbsent(attrs, text('file_name', input.file));
  addIfAbsent(attrs, text('file_time', iso8601(input.run.stop?.time ?? input.run.start.time)));
  // NXroot: NeXus_version (the definitions the template targets, as writers use it) and NeXus_release (its newer name)
  const release = attrs.find((a) => a.name === 'NeXus_version' || a.name === 'NeXus_release')?.data[0];
  addIfAbsent(attrs, text('NeXus_version', typeof release === 'string' ? release : NEXUS_DEFINITIONS_RELEASE));
  addIfAbsent(attrs, text('NeXus_release', typeof release === 'string' ? release : NEXUS_DEFINITIONS_RELEASE));
  checkDefault(walked, attrs, w);
  return { ...walked, attributes: attrs };
}

function walk(node: PlannedNode, w: Walk): PlannedNode {
  if (node.kind !== 'group') return node;
  const children = node.children.map((c) => walk(c, w));
  const attrs = [...node.attributes];
  const group: PlannedGroup = { ...node, children, attributes: attrs };
  if (node.nxClass === 'NXdata' && plotConventions(group, attrs, w.nodes, w.input.run, w.diagnostics))
    w.plottable.add(group.path);
  if (node.nxClass === 'NXentry') {
    const data = children.find((c) => c.kind === 'group' && c.nxClass === 'NXdata' && w.plottable.has(c.path));
    if (data !== undefined) addIfAbsent(attrs, text('default', baseName(data.path)));
    checkDefault(group, attrs, w);
  }
  return group;
}

/**
 * A `@default` must lead a reader somewhere: to a child of its group, and
 * when that child is an NXdata, to one with a signal it can plot. Otherwise
 * it is left out (a file without a default plot, rather than a broken one).
 */
function checkDefault(group: PlannedGroup, attrs: PlannedAttribute[], w: Walk): void {
  const at = attrs.findIndex((a) => a.name === 'default');
  if (at < 0) return;
  const target = String(attrs[at].data[0]);
  const child = group.children.find((c) => baseName(c.path) === target);
  const where = { nexusPath: group.path, ...(group.pointer === undefined ? {} : { pointer: group.pointer }) };
  if (child === undefined) {
    attrs.splice(at, 1);
    w.diagnostics.push(
      diagnostic(
        'EVAL_CONVENTION',
        'warning',
        `@default of ${group.path} names ${JSON.stringify(target)}, which is not in the group: left out`,
        where,
        `${group.path} holds: ${group.children.map((c) => baseName(c.path)).join(', ') || 'nothing'}`,
      ),
    );
    return;
  }
  if (child.kind === 'group' && child.nxClass === 'NXdata' && !w.plottable.has(child.path)) {
    attrs.splice(at, 1);
    w.diagnostics.push(
      diagnostic(
        'EVAL_CONVENTION',
        'warning',
        `@default of ${group.path} names ${child.path}, which has no signal to plot: left out, the file has no default plot`,
        where,
        'the run has no numeric detector reading with rows (see the @signal warning of that NXdata)',
      ),
    );
  }
}

function text(name: string, value: string): PlannedAttribute {
  return { name, dtype: 'string', shape: [], data: [value] };
}

function addIfAbsent(attrs: PlannedAttribute[], attr: PlannedAttribute): void {
  if (!attrs.some((a) => a.name === attr.name)) attrs.push(attr);
}
