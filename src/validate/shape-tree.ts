/**
 * The tree a NeXus definition is checked against, from either source: the
 * template itself (types it can tell without a run: literals, static values,
 * requested dtypes, text, calculations whose result type is fixed) or a
 * planned file (every type known). Unknown types are not checked.
 */
import type { DType, PlannedNode } from '../evaluate/models.js';
import { normaliseDType } from '../evaluate/dtype.js';
import { toInline } from '../evaluate/values.js';
import type { LayoutGroup, LayoutNode, ValueSpec } from '../layout/models.js';
import { joinPath } from '../layout/lint/walk.js';

export interface ShapeValue {
  dtype?: DType;
  /** Flat values, when known now. */
  data?: readonly unknown[];
}

export interface ShapeAttribute extends ShapeValue {
  readonly name: string;
  readonly pointer?: string;
}

export interface ShapeNode extends ShapeValue {
  readonly kind: 'group' | 'field' | 'link';
  readonly name: string;
  readonly path: string;
  readonly nxClass?: string;
  readonly attributes: ShapeAttribute[];
  readonly children: ShapeNode[];
  readonly pointer?: string;
  /** The name is `{{…}}` text (a repeat): it may become any name. */
  readonly pattern: boolean;
  /** Missing data leaves the node out (optional projection or link). */
  readonly optional: boolean;
  readonly target?: string;
  readonly linkType?: 'soft' | 'hard' | 'external';
}

/** Result types of calculations that do not depend on their input. */
const CALCULATION_TYPES: Record<string, DType> = {
  iso8601: 'string',
  format: 'string',
  join: 'string',
  json: 'string',
  count: 'int64',
  mean: 'float64',
  duration: 'float64',
};

function fromSpec(spec: ValueSpec, requested: string | undefined): ShapeValue {
  const dtype = requested === undefined ? undefined : normaliseDType(requested);
  try {
    if (spec.kind === 'literal') {
      const inline = toInline(spec.value, dtype);
      return { dtype: inline.dtype, data: inline.data };
    }
    if (spec.kind === 'text') return { dtype: dtype ?? 'string' };
    const p = spec.projection;
    const own = p.dtype === undefined ? dtype : normaliseDType(p.dtype);
    if (p.type === 'static') {
      const inline = toInline(p.value, own);
      return { dtype: inline.dtype, data: inline.data };
    }
    if (own !== undefined) return { dtype: own };
    if (p.type === 'calculated') {
      const t = CALCULATION_TYPES[p.calculation.callable];
      return t === undefined ? {} : { dtype: t };
    }
    return {};
  } catch {
    return {}; // a value that does not convert is the evaluator's error to report
  }
}

export function shapeOfLayout(group: LayoutGroup, path = '/'): ShapeNode {
  return layoutNode(group, path);
}

function layoutNode(node: LayoutNode, path: string): ShapeNode {
  const attributes = node.attributes.map((a) => ({
    name: a.name,
    pointer: a.pointer,
    ...fromSpec(a.value, undefined),
  }));
  const base = { name: node.name, path, attributes, pointer: node.pointer, pattern: node.name.includes('{{') };
  switch (node.kind) {
    case 'group':
      return {
        ...base,
        kind: 'group',
        optional: false,
        ...(node.nxClass === undefined ? {} : { nxClass: node.nxClass }),
        children: node.children.map((c) => layoutNode(c, joinPath(path, c.name))),
      };
    case 'field':
      return {
        ...base,
        kind: 'field',
        children: [],
        optional:
          node.optional !== false ||
          (node.value.kind === 'projection' && (node.value.projection.optional ?? false) !== false),
        ...fromSpec(node.value, node.dtype),
      };
    case 'link':
      return {
        ...base,
        kind: 'link',
        children: [],
        optional: node.optional !== false,
        target: node.target,
        linkType: node.linkType,
      };
  }
}

export function shapeOfPlan(node: PlannedNode): ShapeNode {
  const name = node.path === '/' ? '' : node.path.slice(node.path.lastIndexOf('/') + 1);
  const attributes = node.attributes.map((a) => ({ name: a.name, dtype: a.dtype, data: a.data }));
  const base = {
    name,
    path: node.path,
    attributes,
    pattern: false,
    optional: false,
    ...(node.pointer === undefined ? {} : { pointer: node.pointer }),
  };
  switch (node.kind) {
    case 'group':
      return {
        ...base,
        kind: 'group',
        children: node.children.map(shapeOfPlan),
        ...(node.nxClass === undefined ? {} : { nxClass: node.nxClass }),
      };
    case 'field':
      return {
        ...base,
        kind: 'field',
        children: [],
        dtype: node.dtype,
        ...(node.value.kind === 'inline' ? { data: node.value.data } : {}),
      };
    case 'link':
      return { ...base, kind: 'link', children: [], target: node.target, linkType: node.linkType };
  }
}

/** The node at an absolute path (following soft/hard links on the way), when the tree has it. */
export function findShape(root: ShapeNode, target: string, depth = 0): ShapeNode | undefined {
  let node: ShapeNode | undefined = root;
  for (const segment of target.split('/').filter((s) => s !== '')) {
    if (node === undefined) return undefined;
    if (node.kind === 'link')
      node =
        node.linkType === 'external' || node.target === undefined || depth > 8
          ? undefined
          : findShape(root, node.target, depth + 1);
    node = node?.children.find((c) => c.name === segment);
  }
  if (node?.kind === 'link' && node.linkType !== 'external' && node.target !== undefined && depth <= 8)
    return findShape(root, node.target, depth + 1);
  return node;
}
