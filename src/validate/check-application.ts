/**
 * A tree against an application definition (NXxpcs…): required groups,
 * fields, links and attributes present; types and enumerations respected.
 * These are errors (the file would not conform). A node that the template
 * marks optional (left out when the run lacks its data) but the definition
 * requires is a warning. Names under `$repeat` may become anything, so a
 * missing name is not reported when a repeated sibling could supply it.
 */
import { diagnostic, type Diagnostic, type Location, type Severity } from '../errors.js';
import type { NxdlAttribute, NxdlDefinition, NxdlField, NxdlGroup, NxdlLink } from './models.js';
import { enumerationProblem, typeHint, typeProblem } from './nx-types.js';
import { nameMatches } from './nxdl-names.js';
import { findShape, type ShapeAttribute, type ShapeNode, type ShapeValue } from './shape-tree.js';

export interface ApplicationCheck {
  readonly diagnostics: Diagnostic[];
  /** Paths of nodes whose rules came from the application definition (base-class rules are not repeated for them). */
  readonly governed: Set<string>;
}

interface Ctx extends ApplicationCheck {
  readonly definition: NxdlDefinition;
  readonly root: ShapeNode;
  /** Paths of the NXentry groups this definition applies to (all when undefined). */
  readonly entries?: ReadonlySet<string>;
}

function where(node: ShapeNode, pointer = node.pointer): Location {
  return { ...(pointer === undefined ? {} : { pointer }), nexusPath: node.path };
}

function report(
  ctx: Ctx,
  code: Diagnostic['code'],
  severity: Severity,
  message: string,
  location: Location,
  hint: string,
): void {
  ctx.diagnostics.push(diagnostic(code, severity, `${ctx.definition.type}: ${message}`, location, hint));
}

function describe(spec: { name?: string; nameType?: string }, what: string, type?: string): string {
  const name =
    spec.name === undefined || spec.nameType === 'any'
      ? ''
      : spec.nameType === 'partial'
        ? ` named like ${spec.name}`
        : ` ${spec.name}`;
  return `${what}${name}${type === undefined ? '' : ` (${type})`}`;
}

function missing(
  ctx: Ctx,
  node: ShapeNode,
  spec: { requirement: string; name?: string; nameType?: string },
  what: string,
  type?: string,
): void {
  if (spec.requirement === 'optional') return;
  const required = spec.requirement === 'required';
  report(
    ctx,
    'NXDL_REQUIRED',
    required ? 'error' : 'warning',
    `${node.path} ${required ? 'needs' : 'should have'} ${describe(spec, what, type)}`,
    where(node),
    `add it to ${node.path === '/' ? 'the tree' : `the group at ${node.path}`} in the template (see the ${ctx.definition.type} definition)`,
  );
}

function linkedShape(ctx: Ctx, node: ShapeNode): ShapeNode {
  if (node.kind !== 'link' || node.target === undefined || node.linkType === 'external') return node;
  return findShape(ctx.root, node.target) ?? node;
}

function checkValue(
  ctx: Ctx,
  label: string,
  spec: { type?: string; enumeration?: readonly string[] },
  value: ShapeValue,
  location: Location,
): void {
  const type = typeProblem(spec.type, value);
  if (type !== undefined) report(ctx, 'NXDL_TYPE', 'error', `${label} ${type}`, location, typeHint(spec.type));
  const allowed = enumerationProblem(spec.enumeration, value);
  if (allowed !== undefined)
    report(ctx, 'NXDL_ENUM', 'error', `${label}: ${allowed}`, location, `${spec.enumeration?.join(', ')}`);
}

function checkAttributes(
  ctx: Ctx,
  specs: readonly NxdlAttribute[],
  node: ShapeNode,
  own: readonly ShapeAttribute[],
): void {
  for (const spec of specs) {
    const found = own.filter((a) => nameMatches(spec, a.name));
    if (found.length === 0) missing(ctx, node, spec, `attribute @${spec.name}`, spec.type);
    for (const a of found) checkValue(ctx, `${node.path}@${a.name}`, spec, a, where(node, a.pointer ?? node.pointer));
  }
}

function hasPatternSibling(node: ShapeNode, kind: 'group' | 'field'): boolean {
  return node.children.some((c) => c.pattern && (kind === 'group' ? c.kind === 'group' : c.kind !== 'group'));
}

function checkField(ctx: Ctx, spec: NxdlField, node: ShapeNode): void {
  ctx.governed.add(node.path);
  if (spec.requirement === 'required' && node.optional) {
    report(
      ctx,
      'NXDL_REQUIRED',
      'warning',
      `${node.path} is required but optional in the template: a run without its data gets a file that does not conform`,
      where(node),
      'give it a fallback (e.g. a coalesce calculation with a literal last argument) or make sure every run has the data',
    );
  }
  const value = linkedShape(ctx, node);
  checkValue(ctx, node.path, spec, value, where(node));
  checkAttributes(ctx, spec.attributes, node, [...node.attributes, ...(value === node ? [] : value.attributes)]);
}

function checkChildren(ctx: Ctx, fields: readonly NxdlField[], links: readonly NxdlLink[], node: ShapeNode): void {
  const leaves = node.children.filter((c) => c.kind !== 'group' && !c.pattern);
  for (const spec of fields) {
    const found = leaves.filter((c) => nameMatches(spec, c.name));
    if (found.length === 0 && !hasPatternSibling(node, 'field'))
      missing(ctx, node, spec, 'field', spec.type ?? 'NX_CHAR');
    for (const c of found) checkField(ctx, spec, c);
  }
  for (const spec of links) {
    const found = leaves.filter((c) => nameMatches(spec, c.name));
    if (found.length === 0 && !hasPatternSibling(node, 'field'))
      missing(ctx, node, spec, 'link', spec.target === undefined ? undefined : `to ${spec.target}`);
    for (const c of found) ctx.governed.add(c.path);
  }
}

function candidates(ctx: Ctx, node: ShapeNode, spec: NxdlGroup, types: readonly string[]): ShapeNode[] {
  return node.children.filter(
    (c) =>
      c.kind === 'group' &&
      !c.pattern &&
      c.nxClass !== undefined &&
      types.includes(c.nxClass) &&
      nameMatches(spec, c.name) &&
      (c.nxClass !== 'NXentry' || node.path !== '/' || ctx.entries === undefined || ctx.entries.has(c.path)),
  );
}

function checkGroup(ctx: Ctx, spec: NxdlGroup, node: ShapeNode): void {
  ctx.governed.add(node.path);
  checkAttributes(ctx, spec.attributes, node, node.attributes);
  checkChildren(ctx, spec.fields, spec.links, node);
  for (const g of spec.groups) {
    const found = candidates(ctx, node, g, [g.type]);
    if (found.length === 0 && !hasPatternSibling(node, 'group')) missing(ctx, node, g, 'a group', g.type);
    for (const c of found) checkGroup(ctx, g, c);
  }
  for (const choice of spec.choices ?? []) {
    const found = candidates(
      ctx,
      node,
      { ...choice, type: choice.types[0] ?? '', groups: [], fields: [], attributes: [], links: [] },
      choice.types,
    );
    if (found.length === 0 && !hasPatternSibling(node, 'group'))
      missing(ctx, node, choice, 'a group', choice.types.join(' or '));
  }
}

/**
 * NXroot allows only NXentry groups at a file's root, yet some application
 * definitions (NXxpcs's NXprocess) list another group beside the entry: such
 * a group is looked for inside each entry, where a valid file can hold it.
 */
function entryScoped(definition: NxdlDefinition): NxdlDefinition {
  const isEntry = (g: NxdlGroup): boolean => g.type === 'NXentry' || g.type === 'NXsubentry';
  const strays = definition.groups.filter((g) => !isEntry(g));
  if (strays.length === 0 || !definition.groups.some(isEntry)) return definition;
  return {
    ...definition,
    groups: definition.groups.filter(isEntry).map((g) => ({ ...g, groups: [...g.groups, ...strays] })),
  };
}

/**
 * Check `root` (the file's root group) against an application definition.
 * `entries`: the NXentry paths that declare it (`/entry/definition`); all entries when undefined.
 */
export function checkApplication(
  definition: NxdlDefinition,
  root: ShapeNode,
  entries?: ReadonlySet<string>,
): ApplicationCheck {
  const ctx: Ctx = {
    definition,
    root,
    diagnostics: [],
    governed: new Set(),
    ...(entries === undefined ? {} : { entries }),
  };
  checkGroup(ctx, entryScoped(definition), root);
  ctx.governed.delete('/');
  return { diagnostics: ctx.diagnostics, governed: ctx.governed };
}
