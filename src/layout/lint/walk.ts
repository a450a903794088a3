/**
 * Visiting a parsed template: every node with its HDF5 path as written
 * (group names without `:NXclass`; names under `$repeat` keep their `{{…}}`),
 * and every projection with the pointer of the object that holds its keys.
 */
import { joinPointer } from '../../json-pointer.js';
import { isProjectionObject } from '../guards.js';
import type { LayoutGroup, LayoutNode, Projection } from '../models.js';

export interface NodeVisit {
  readonly node: LayoutNode;
  /** `/entry/data/x` (the root is `/`). */
  readonly path: string;
  readonly parent?: LayoutGroup;
  /** The node or one of its ancestors repeats: its names may use `{{stream}}`, `{{field}}`, `{{key}}`. */
  readonly repeated: boolean;
}

export function* walkNodes(root: LayoutGroup): Generator<NodeVisit> {
  yield* visit(root, '/', undefined, root.repeat !== undefined);
}

function* visit(
  node: LayoutNode,
  path: string,
  parent: LayoutGroup | undefined,
  repeated: boolean,
): Generator<NodeVisit> {
  yield { node, path, ...(parent === undefined ? {} : { parent }), repeated };
  if (node.kind !== 'group') return;
  for (const child of node.children) {
    yield* visit(child, joinPath(path, child.name), node, repeated || child.repeat !== undefined);
  }
}

export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export interface ProjectionVisit {
  readonly projection: Projection;
  /** Pointer of the object holding the projection's keys (`…/calculation/callable` sits under it). */
  readonly pointer: string;
  readonly repeated: boolean;
}

/** Every projection of the template: of fields, of attributes, and nested in calculation arguments. */
export function* walkProjections(root: LayoutGroup): Generator<ProjectionVisit> {
  for (const { node, repeated } of walkNodes(root)) {
    for (const a of node.attributes) {
      if (a.value.kind === 'projection') yield* withNested(a.value.projection, a.pointer, repeated);
    }
    if (node.kind === 'field' && node.value.kind === 'projection')
      yield* withNested(node.value.projection, node.pointer, repeated);
  }
}

function* withNested(projection: Projection, pointer: string, repeated: boolean): Generator<ProjectionVisit> {
  yield { projection, pointer, repeated };
  if (projection.type !== 'calculated') return;
  const { args, kwargs } = projection.calculation;
  for (const [i, a] of (args ?? []).entries()) {
    if (isProjectionObject(a)) yield* withNested(a, `${pointer}/calculation/args/${i}`, repeated);
  }
  for (const [k, v] of Object.entries(kwargs ?? {})) {
    if (isProjectionObject(v)) yield* withNested(v, joinPointer(`${pointer}/calculation/kwargs`, k), repeated);
  }
}
