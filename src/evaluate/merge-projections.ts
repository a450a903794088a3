/**
 * The start document's own `projections` merged over the template: each key
 * is an HDF5 path (`/entry/sample/temperature`, or `/entry/@default` for an
 * attribute); the projection replaces the node at that path or creates it.
 * Intermediate groups keep the template's NX_class, or become NXcollection
 * (a segment may also say `name:NXclass`). Only projections named "nexus",
 * "nxlayout" or unnamed are ours.
 */
import type { RunStart } from '../documents/models.js';
import { diagnostic, type Diagnostic } from '../errors.js';
import type { LayoutAttribute, LayoutField, LayoutGroup, LayoutNode } from '../layout/models.js';
import { fromDocumentProjection } from './doc-projection.js';
import { isRecord } from './lookup.js';
import { pointerToken } from './names.js';

const OURS = new Set(['nexus', 'nxlayout']);
const SEGMENT = /^(.*?)(?::(NX[a-z0-9_]+))?$/;

export function mergeStartProjections(root: LayoutGroup, start: RunStart, diagnostics: Diagnostic[]): LayoutGroup {
  const list = Array.isArray(start.projections) ? start.projections : [];
  let merged = root;
  list.forEach((entry, i) => {
    if (!isRecord(entry) || (entry.name !== undefined && !OURS.has(String(entry.name)))) return;
    const projection = isRecord(entry.projection) ? entry.projection : {};
    for (const [key, raw] of Object.entries(projection)) {
      const pointer = `/projections/${i}/projection/${pointerToken(key)}`;
      const where = { pointer, nexusPath: key, document: { name: 'start', uid: start.uid } };
      try {
        const segments = key.split('/').filter((s) => s !== '');
        const last = segments[segments.length - 1];
        if (!key.startsWith('/') || last === undefined) {
          diagnostics.push(diagnostic('EVAL_PROJECTION', 'error', `start document projection key ${JSON.stringify(key)} is not an absolute HDF5 path`, where, 'keys look like /entry/sample/temperature'));
          continue;
        }
        const value = { kind: 'projection' as const, projection: fromDocumentProjection(raw) };
        const optional = isRecord(raw) && raw.optional === true;
        merged = last.startsWith('@')
          ? insert(merged, segments.slice(0, -1), { attribute: { name: last.slice(1), value, pointer } }, pointer)
          : insert(merged, segments, { field: { kind: 'field', name: '', pointer, attributes: [], value, storage: {}, optional } }, pointer);
      } catch (e) {
        const err = e as { code?: Diagnostic['code']; message: string; hint?: string };
        diagnostics.push(diagnostic(err.code ?? 'EVAL_PROJECTION', 'error', err.message, where, err.hint));
      }
    }
  });
  return merged;
}

type Leaf = { attribute: LayoutAttribute } | { field: LayoutField };

function insert(group: LayoutGroup, segments: string[], leaf: Leaf, pointer: string): LayoutGroup {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if ('attribute' in leaf) return { ...group, attributes: [...group.attributes.filter((a) => a.name !== leaf.attribute.name), leaf.attribute] };
    return group; // a field at the root path itself cannot be: handled by the caller's key check
  }
  const [, name = head, nxClass] = SEGMENT.exec(head) ?? [];
  const index = group.children.findIndex((c) => c.name === name && c.repeat === undefined);
  const existing = index >= 0 ? group.children[index] : undefined;
  let replacement: LayoutNode;
  if (rest.length === 0 && 'field' in leaf) {
    // keep the template node's attributes (e.g. @units) when the start document replaces its value
    replacement = { ...leaf.field, name, attributes: existing?.attributes ?? [] };
  } else if (rest.length === 0 && existing !== undefined && existing.kind !== 'group') {
    const attrs = existing.attributes.filter((a) => 'attribute' in leaf && a.name !== leaf.attribute.name);
    replacement = { ...existing, attributes: 'attribute' in leaf ? [...attrs, leaf.attribute] : attrs };
  } else {
    const base: LayoutGroup = existing?.kind === 'group'
      ? existing
      : { kind: 'group', name, pointer, attributes: [], children: [], nxClass: nxClass ?? 'NXcollection' };
    replacement = insert(nxClass !== undefined ? { ...base, nxClass } : base, rest, leaf, pointer);
  }
  const children = [...group.children];
  if (index >= 0) children[index] = replacement;
  else children.push(replacement);
  return { ...group, children };
}
