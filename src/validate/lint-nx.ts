/**
 * NeXus names: each group's NX class exists among the NeXus definitions, and
 * an NXdata group's `@signal` and `@axes` (when written as literals) name
 * children of that group.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { closestKey } from '../layout/did-you-mean.js';
import type { Layout, LayoutGroup } from '../layout/models.js';
import type { NxdlDigest } from './models.js';
import { walkNodes } from './walk-layout.js';

export function lintNxClasses(layout: Layout, digest: NxdlDigest): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = Object.keys(digest.definitions);
  for (const { node, path } of walkNodes(layout.root)) {
    if (node.kind !== 'group' || node.nxClass === undefined || digest.definitions[node.nxClass] !== undefined) continue;
    const meant = closestKey(node.nxClass, names);
    out.push(diagnostic('LAYOUT_NX_CLASS', 'error', `group ${path}: ${node.nxClass} is not a NeXus class${meant === undefined ? '' : `: did you mean ${meant}?`}`,
      { pointer: node.pointer }, `NeXus definitions ${digest.version}; base classes are listed at https://manual.nexusformat.org/classes/base_classes/`));
  }
  return out;
}

function literalNames(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function checkNxdata(group: LayoutGroup, path: string, out: Diagnostic[]): void {
  const children = group.children.filter((c) => c.kind !== 'group').map((c) => c.name);
  // a repeated child ({{field}}) may take any name: nothing can be said before a run
  if (children.some((n) => n.includes('{{'))) return;
  for (const attribute of group.attributes) {
    if ((attribute.name !== 'signal' && attribute.name !== 'axes') || attribute.value.kind !== 'literal') continue;
    const names = literalNames(attribute.value.value);
    if (names === undefined) continue;
    for (const name of names) {
      if (children.includes(name) || (attribute.name === 'axes' && name === '.')) continue;
      out.push(diagnostic('LAYOUT_NXDATA', 'error', `NXdata ${path}: @${attribute.name} names "${name}", which is not a field or link of this group`,
        { pointer: attribute.pointer }, `fields and links of ${path}: ${children.join(', ') || 'none'}`));
    }
  }
}

export function lintNxdata(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { node, path } of walkNodes(layout.root)) {
    if (node.kind === 'group' && node.nxClass === 'NXdata') checkNxdata(node, path, out);
  }
  return out;
}
