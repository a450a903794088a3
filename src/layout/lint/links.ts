/**
 * Soft and hard links point at a node of the template's tree. Names under a
 * `$repeat` (`{{stream}}`) match any name; a target that itself uses `{{…}}`
 * is checked by its literal prefix only (the groups before the first `{{`),
 * since what it names depends on the run. Targets inside an external link's
 * file are not checked. `--against` checks every link of the planned files.
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import type { Layout, LayoutGroup, LayoutNode } from '../models.js';
import { walkNodes } from './walk.js';

type Resolution =
  | { kind: 'found'; node: LayoutNode }
  | { kind: 'trusted' }
  | { kind: 'missing'; at: string; holds: string[] };

function isPattern(name: string): boolean {
  return name.includes('{{');
}

/** The node at an absolute path of the layout tree (segment by segment). */
function resolveLayoutPath(root: LayoutGroup, target: string): Resolution {
  const segments = target.split('/').filter((s) => s !== '');
  let node: LayoutNode = root;
  let at = '';
  for (const segment of segments) {
    if (node.kind === 'link') return { kind: 'trusted' }; // into another link's target, or another file
    if (node.kind !== 'group') return { kind: 'missing', at: at || '/', holds: [] };
    const group: LayoutGroup = node;
    const exact = group.children.find((c) => c.name === segment);
    const pattern = group.children.find((c) => isPattern(c.name));
    const next = exact ?? pattern;
    if (next === undefined) return { kind: 'missing', at: at || '/', holds: group.children.map((c) => c.name) };
    node = next;
    at += `/${segment}`;
  }
  return { kind: 'found', node };
}

/** The part of a `{{…}}` target that can be checked now: the groups before the first `{{`. */
function literalPrefix(target: string): string {
  const cut = target.indexOf('{{');
  if (cut < 0) return target;
  const before = target.slice(0, cut);
  return before.slice(0, Math.max(before.lastIndexOf('/'), 0)) || '/';
}

export function lintLinks(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { node, path } of walkNodes(layout.root)) {
    if (node.kind !== 'link' || node.linkType === 'external') continue;
    const pointer = `${node.pointer}/link`;
    if (!node.target.startsWith('/')) {
      out.push(
        diagnostic(
          'LAYOUT_LINK_TARGET',
          'error',
          `link ${path} → ${node.target}: the target must be an absolute path`,
          { pointer },
          'write the full HDF5 path of the target, e.g. /entry/instrument/detector/data',
        ),
      );
      continue;
    }
    const templated = node.target.includes('{{');
    const checked = literalPrefix(node.target);
    const r = resolveLayoutPath(layout.root, checked);
    if (r.kind !== 'missing') continue;
    const scope = templated ? ` (checked up to ${checked}: the rest depends on the run)` : '';
    out.push(
      diagnostic(
        'LAYOUT_LINK_TARGET',
        node.optional ? 'warning' : 'error',
        `link ${path} → ${node.target}: no such node in the template${scope}`,
        { pointer },
        `${r.at} holds: ${r.holds.join(', ') || 'nothing'}`,
      ),
    );
  }
  return out;
}
