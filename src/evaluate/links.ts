/**
 * Soft and hard links must point at a node of the plan. A link marked
 * optional whose target was left out (missing data) is dropped with a
 * warning; any other dangling link is an error.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { withDocument } from './env.js';
import type { PlanLeaf, PlannedGroup, PlannedLink } from './models.js';

/** A node of a plan's tree (leaves maybe deferred) or of a resolved one. */
type Node<L extends PlanLeaf> = PlannedGroup<L> | L | PlannedLink;

export function checkLinks<L extends PlanLeaf>(
  root: PlannedGroup<L>,
  optional: ReadonlySet<string>,
  diagnostics: Diagnostic[],
): PlannedGroup<L> {
  let current = root;
  // dropping one link can leave a link to it dangling: repeat until nothing changes
  for (;;) {
    const nodes = new Map<string, Node<L>>();
    collect(current, nodes);
    const dropped = new Set<string>();
    for (const node of nodes.values()) {
      if (node.kind !== 'link' || node.linkType === 'external' || resolves(node.target, nodes)) continue;
      const hint = `nothing is planned at ${node.target}${siblingsHint(node.target, nodes)}`;
      const where = withDocument({
        nexusPath: node.path,
        ...(node.pointer === undefined ? {} : { pointer: node.pointer }),
      });
      if (optional.has(node.path)) {
        diagnostics.push(
          diagnostic(
            'EVAL_LINK_TARGET',
            'warning',
            `link ${node.path} → ${node.target}: no target (optional: left out)`,
            where,
            hint,
          ),
        );
        dropped.add(node.path);
      } else if (!diagnostics.some((d) => d.code === 'EVAL_LINK_TARGET' && d.location.nexusPath === node.path)) {
        diagnostics.push(
          diagnostic(
            'EVAL_LINK_TARGET',
            'error',
            `link ${node.path} → ${node.target}: no such node in the file`,
            where,
            hint,
          ),
        );
      }
    }
    if (dropped.size === 0) return current;
    current = prune(current, dropped);
  }
}

function collect<L extends PlanLeaf>(node: Node<L>, out: Map<string, Node<L>>): void {
  out.set(node.path, node);
  if (node.kind === 'group') for (const c of node.children) collect(c, out);
}

/** A target inside an external link's file cannot be checked here: it is trusted. */
function resolves(target: string, nodes: ReadonlyMap<string, Node<PlanLeaf>>): boolean {
  if (nodes.has(target)) return true;
  for (let p = target; p.lastIndexOf('/') > 0; ) {
    p = p.slice(0, p.lastIndexOf('/'));
    const n = nodes.get(p);
    if (n !== undefined) return n.kind === 'link' && n.linkType === 'external';
  }
  return false;
}

function siblingsHint(target: string, nodes: ReadonlyMap<string, Node<PlanLeaf>>): string {
  const parent = target.slice(0, Math.max(target.lastIndexOf('/'), 1));
  const group = nodes.get(parent);
  if (group?.kind !== 'group') return '';
  return `; ${parent} holds: ${group.children.map((c) => c.path.slice(c.path.lastIndexOf('/') + 1)).join(', ') || 'nothing'}`;
}

function prune<L extends PlanLeaf>(group: PlannedGroup<L>, dropped: ReadonlySet<string>): PlannedGroup<L> {
  const children = group.children
    .filter((c) => !dropped.has(c.path))
    .map((c) => (c.kind === 'group' ? prune(c, dropped) : c));
  return { ...group, children };
}
