/**
 * NeXus conventions the template need not spell out, added only where it did
 * not: `@default` from the root to the first NXentry and on to its first
 * NXdata; `@AXISNAME_indices` for each of an NXdata's `@axes`; `@units` of
 * whole event columns from their data keys; the root's creator and file
 * attributes (times from the run, never the wall clock, so a run always
 * gives the same file).
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Run } from '../run/models.js';
import { iso8601 } from './iso-time.js';
import type { PlannedAttribute, PlannedField, PlannedGroup, PlannedNode } from './models.js';
import { baseName } from './names.js';

export interface ConventionInput {
  readonly run: Run;
  /** The rendered output path. */
  readonly file: string;
  readonly version: string;
}

export function applyConventions(root: PlannedGroup, input: ConventionInput, diagnostics: Diagnostic[]): PlannedGroup {
  const walked = walk(root, input, diagnostics) as PlannedGroup;
  const attrs = [...walked.attributes];
  const entry = walked.children.find((c): c is PlannedGroup => c.kind === 'group' && c.nxClass === 'NXentry');
  if (entry !== undefined) addIfAbsent(attrs, text('default', baseName(entry.path)));
  addIfAbsent(attrs, text('creator', 'nxlayout'));
  addIfAbsent(attrs, text('creator_version', input.version));
  addIfAbsent(attrs, text('file_name', input.file));
  addIfAbsent(attrs, text('file_time', iso8601(input.run.stop?.time ?? input.run.start.time)));
  checkDefault(walked, attrs, diagnostics);
  return { ...walked, attributes: attrs };
}

function walk(node: PlannedNode, input: ConventionInput, diagnostics: Diagnostic[]): PlannedNode {
  if (node.kind === 'field') return withUnits(node, input.run);
  if (node.kind === 'link') return node;
  const children = node.children.map((c) => walk(c, input, diagnostics));
  const attrs = [...node.attributes];
  if (node.nxClass === 'NXentry') {
    const data = children.find((c) => c.kind === 'group' && c.nxClass === 'NXdata');
    if (data !== undefined) addIfAbsent(attrs, text('default', baseName(data.path)));
  }
  const group: PlannedGroup = { ...node, children, attributes: attrs };
  if (node.nxClass === 'NXdata') nxdata(group, attrs, diagnostics);
  if (node.nxClass === 'NXentry') checkDefault(group, attrs, diagnostics);
  return group;
}

function nxdata(group: PlannedGroup, attrs: PlannedAttribute[], diagnostics: Diagnostic[]): void {
  const names = new Set(group.children.map((c) => baseName(c.path)));
  const where = { nexusPath: group.path, ...(group.pointer === undefined ? {} : { pointer: group.pointer }) };
  const hint = `${group.path} holds: ${[...names].join(', ') || 'nothing'}`;
  const signal = attrs.find((a) => a.name === 'signal');
  for (const s of signal?.data ?? []) {
    if (!names.has(String(s))) diagnostics.push(diagnostic('EVAL_CONVENTION', 'warning', `NXdata ${group.path}: @signal names ${JSON.stringify(s)}, which is not in the group`, where, hint));
  }
  const axes = (attrs.find((a) => a.name === 'axes')?.data ?? []).map(String);
  axes.forEach((axis, i) => {
    if (axis === '.') return;
    if (!names.has(axis)) {
      diagnostics.push(diagnostic('EVAL_CONVENTION', 'warning', `NXdata ${group.path}: @axes names ${JSON.stringify(axis)}, which is not in the group`, where, hint));
      return;
    }
    addIfAbsent(attrs, { name: `${axis}_indices`, dtype: 'int64', shape: [], data: [i] });
  });
}

/** A `@default` that names nothing in its group would break the chain a reader follows: it is left out. */
function checkDefault(group: PlannedGroup, attrs: PlannedAttribute[], diagnostics: Diagnostic[]): void {
  const at = attrs.findIndex((a) => a.name === 'default');
  if (at < 0) return;
  const target = String(attrs[at].data[0]);
  if (!group.children.some((c) => baseName(c.path) === target)) {
    attrs.splice(at, 1);
    diagnostics.push(diagnostic('EVAL_CONVENTION', 'warning', `@default of ${group.path} names ${JSON.stringify(target)}, which is not in the group: left out`,
      { nexusPath: group.path, ...(group.pointer === undefined ? {} : { pointer: group.pointer }) },
      `${group.path} holds: ${group.children.map((c) => baseName(c.path)).join(', ') || 'nothing'}`));
  }
}

/** Whole event columns: the data key's units (or seconds for times) unless the template set @units. */
function withUnits(field: PlannedField, run: Run): PlannedField {
  if (field.value.kind !== 'column' || field.attributes.some((a) => a.name === 'units')) return field;
  const { stream, field: name, part } = field.value;
  let units: unknown;
  if (part === 'time' || part === 'timestamps') units = 's';
  else if (part === 'values') units = run.streams.get(stream)?.dataKeys[name]?.units;
  if (typeof units !== 'string' || units.trim() === '') return field;
  return { ...field, attributes: [...field.attributes, text('units', units)] };
}

function text(name: string, value: string): PlannedAttribute {
  return { name, dtype: 'string', shape: [], data: [value] };
}

function addIfAbsent(attrs: PlannedAttribute[], attr: PlannedAttribute): void {
  if (!attrs.some((a) => a.name === attr.name)) attrs.push(attr);
}
