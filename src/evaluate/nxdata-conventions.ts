/**
 * An NXdata a reader can plot: its `@signal` names a numeric dataset with
 * rows, `@axes` has one entry per dimension of that signal ("." where no axis
 * applies), each axis has `@AXISNAME_indices`, and the other motors of the
 * event dimension are coordinates of it (`@NAME_indices = 0`). A signal that
 * cannot be plotted (text, 0 rows, a group) is taken out, so the `@default`
 * chain never ends on a broken plot.
 */
import { diagnostic, type Diagnostic, type Location } from '../errors.js';
import type { Run } from '../run/models.js';
import type { PlannedAttribute, PlannedGroup, PlannedNode } from './models.js';
import { baseName, childPath } from './names.js';
import { eventAxes, type DataKeys } from './plot-choice.js';

/** What a child of an NXdata holds once links inside the file are followed. */
interface Target {
  readonly kind: 'field' | 'external' | 'group' | 'unknown';
  readonly dtype?: string;
  readonly shape?: readonly number[];
  /** The stream whose events dimension 0 counts (event columns and external data). */
  readonly stream?: string;
}

export function indexPlan(root: PlannedGroup): Map<string, PlannedNode> {
  const out = new Map<string, PlannedNode>();
  const visit = (n: PlannedNode): void => {
    out.set(n.path, n);
    if (n.kind === 'group') n.children.forEach(visit);
  };
  visit(root);
  return out;
}

function resolveTarget(path: string, nodes: ReadonlyMap<string, PlannedNode>, depth = 0): Target {
  const node = nodes.get(path);
  if (node === undefined || depth > 16) return { kind: 'unknown' };
  switch (node.kind) {
    case 'group':
      return { kind: 'group' };
    case 'field':
      return {
        kind: 'field',
        dtype: node.dtype,
        shape: node.shape,
        ...(node.value.kind === 'column' && node.value.part === 'values' ? { stream: node.value.stream } : {}),
      };
    case 'link':
      if (node.linkType !== 'external') return resolveTarget(node.target, nodes, depth + 1);
      if (node.external === undefined) return { kind: 'unknown' };
      return {
        kind: 'external',
        stream: node.external.stream,
        ...(node.external.shape === undefined ? {} : { shape: node.external.shape }),
      };
  }
}

function textAttr(name: string, values: string[]): PlannedAttribute {
  return { name, dtype: 'string', shape: [values.length], data: values };
}

function dropAttr(attrs: PlannedAttribute[], name: string): void {
  const i = attrs.findIndex((a) => a.name === name);
  if (i >= 0) attrs.splice(i, 1);
}

/** Why a target cannot be a signal, or undefined when it can. */
function unplottable(t: Target, run: Run): string | undefined {
  if (t.kind === 'group') return 'is a group';
  if (t.kind === 'field' && t.dtype === 'string') return 'holds text';
  if (t.shape?.some((d) => d === 0)) return 'has 0 rows';
  if (t.kind === 'external' && t.stream !== undefined && run.streams.get(t.stream)?.length === 0) return 'has 0 rows';
  return undefined;
}

/**
 * Applies the rules to `attrs` (the group's attributes, changed in place).
 * Returns true when the group has a signal a reader can plot.
 */
export function plotConventions(
  group: PlannedGroup,
  attrs: PlannedAttribute[],
  nodes: ReadonlyMap<string, PlannedNode>,
  run: Run,
  diagnostics: Diagnostic[],
): boolean {
  const names = new Set(group.children.map((c) => baseName(c.path)));
  const where: Location = { nexusPath: group.path, ...(group.pointer === undefined ? {} : { pointer: group.pointer }) };
  const hint = `${group.path} holds: ${[...names].join(', ') || 'nothing'}`;
  const warn = (message: string, h = hint): void =>
    void diagnostics.push(diagnostic('EVAL_CONVENTION', 'warning', `NXdata ${group.path}: ${message}`, where, h));
  const signalAttr = attrs.find((a) => a.name === 'signal');
  if (signalAttr === undefined) return false;
  const signal = String(signalAttr.data[0]);
  if (!names.has(signal)) {
    warn(`@signal names ${JSON.stringify(signal)}, which is not in the group: no default plot`);
    dropAttr(attrs, 'signal');
    return false;
  }
  const target = resolveTarget(childPath(group.path, signal), nodes);
  const why = unplottable(target, run);
  if (why !== undefined) {
    warn(
      `@signal ${JSON.stringify(signal)} ${why}: it cannot be plotted, @signal and @axes are left out and nothing points @default here`,
      'a numeric field with at least one row makes a plot',
    );
    dropAttr(attrs, 'signal');
    dropAttr(attrs, 'axes');
    return false;
  }
  const rank = target.shape?.length;
  const axesAttr = attrs.find((a) => a.name === 'axes');
  if (axesAttr === undefined) return true;
  let axes = axesAttr.data.map(String);
  if (rank !== undefined && axes.length > rank) {
    warn(
      `@axes has ${axes.length} entries for a signal of rank ${rank}: only the first ${rank} are kept`,
      'NeXus wants one @axes entry per dimension of the signal',
    );
    axes = axes.slice(0, rank);
  }
  if (rank !== undefined) while (axes.length < rank) axes.push('.');
  axes = axes.map((axis, i) => checkAxis(axis, i, group, target, nodes, warn));
  attrs.splice(attrs.indexOf(axesAttr), 1, textAttr('axes', axes));
  axes.forEach((axis, i) => {
    if (axis !== '.' && !attrs.some((a) => a.name === `${axis}_indices`))
      attrs.push({ name: `${axis}_indices`, dtype: 'int64', shape: [], data: [i] });
  });
  addCoordinates(group, attrs, signal, target, nodes, run);
  return true;
}

/** An axis must be a child whose length matches the signal's dimension it stands for; otherwise ".". */
function checkAxis(
  axis: string,
  dim: number,
  group: PlannedGroup,
  signal: Target,
  nodes: ReadonlyMap<string, PlannedNode>,
  warn: (m: string, h?: string) => void,
): string {
  if (axis === '.') return axis;
  if (!group.children.some((c) => baseName(c.path) === axis)) {
    warn(`@axes names ${JSON.stringify(axis)}, which is not in the group`);
    return axis;
  }
  const t = resolveTarget(childPath(group.path, axis), nodes);
  const length = t.shape?.[t.shape.length === 1 ? 0 : dim];
  const expected = signal.shape?.[dim];
  if (length !== undefined && expected !== undefined && length !== expected) {
    warn(
      `axis ${JSON.stringify(axis)} has ${length} values for dimension ${dim} of ${expected}: "." is written instead`,
      'an axis has one value per point of the dimension it labels',
    );
    return '.';
  }
  return axis;
}

/** Further motors of the event dimension (a flattened grid's second motor…): `@NAME_indices = 0` when they have one value per event. */
function addCoordinates(
  group: PlannedGroup,
  attrs: PlannedAttribute[],
  signal: string,
  target: Target,
  nodes: ReadonlyMap<string, PlannedNode>,
  run: Run,
): void {
  const stream = target.stream === undefined ? undefined : run.streams.get(target.stream);
  if (stream === undefined || target.shape === undefined) return;
  const info = {
    name: stream.name,
    dataKeys: stream.dataKeys as DataKeys,
    hints: stream.descriptors[0]?.hints,
    length: stream.length,
  };
  for (const name of eventAxes(run.start as Record<string, unknown>, info, signal)) {
    if (!group.children.some((c) => baseName(c.path) === name) || attrs.some((a) => a.name === `${name}_indices`))
      continue;
    const t = resolveTarget(childPath(group.path, name), nodes);
    if (t.stream === stream.name && t.shape?.length === 1 && t.shape[0] === target.shape[0]) {
      attrs.push({ name: `${name}_indices`, dtype: 'int64', shape: [], data: [0] });
    }
  }
}
