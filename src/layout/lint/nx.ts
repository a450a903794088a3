/**
 * NeXus names: each group's NX class exists among the NeXus definitions; an
 * NXdata group has a `@signal`, and its `@signal` and `@axes` (when written
 * as literals) name children of that group; the root holds only NXentry (or
 * NXsubentry) groups, as NXroot allows and the NeXus validator checks.
 */
import { diagnostic, type Diagnostic } from '../../errors.js';
import { closestKey } from '../did-you-mean.js';
import type { Layout, LayoutGroup } from '../models.js';
import type { LintVocabulary } from './models.js';
import { walkNodes } from './walk.js';

export function lintNxClasses(layout: Layout, nxClasses: LintVocabulary['nxClasses']): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { names } = nxClasses;
  const known = new Set(names);
  for (const { node, path } of walkNodes(layout.root)) {
    if (node.kind !== 'group' || node.nxClass === undefined || known.has(node.nxClass)) continue;
    const meant = closestKey(node.nxClass, names);
    out.push(
      diagnostic(
        'LAYOUT_NX_CLASS',
        'error',
        `group ${path}: ${node.nxClass} is not a NeXus class${meant === undefined ? '' : `: did you mean ${meant}?`}`,
        { pointer: node.pointer },
        `NeXus definitions ${nxClasses.version}; base classes are listed at https://manual.nexusformat.org/classes/base_classes/`,
      ),
    );
  }
  return out;
}

function literalNames(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function checkNxdata(group: LayoutGroup, path: string, out: Diagnostic[]): void {
  if (!group.attributes.some((a) => a.name === 'signal')) {
    out.push(
      diagnostic(
        'LAYOUT_NXDATA',
        'warning',
        `NXdata ${path} has no @signal: a reader cannot tell which field to plot`,
        { pointer: group.pointer },
        `add "@signal": "FIELD" (a numeric field or link of ${path}) and "@axes"; for runs whose devices vary, use the calculation nexus_signal as templates/default.json does`,
      ),
    );
  }
  const children = group.children.filter((c) => c.kind !== 'group').map((c) => c.name);
  // a repeated child ({{field}}) may take any name: nothing can be said before a run
  if (children.some((n) => n.includes('{{'))) return;
  for (const attribute of group.attributes) {
    if ((attribute.name !== 'signal' && attribute.name !== 'axes') || attribute.value.kind !== 'literal') continue;
    const names = literalNames(attribute.value.value);
    if (names === undefined) continue;
    for (const name of names) {
      if (children.includes(name) || (attribute.name === 'axes' && name === '.')) continue;
      out.push(
        diagnostic(
          'LAYOUT_NXDATA',
          'error',
          `NXdata ${path}: @${attribute.name} names "${name}", which is not a field or link of this group`,
          { pointer: attribute.pointer },
          `fields and links of ${path}: ${children.join(', ') || 'none'}`,
        ),
      );
    }
  }
}

/** NXroot: "only NXentry groups are allowed at the root level of a file" (NXsubentry is an entry too). */
export function lintRootGroups(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const child of layout.root.children) {
    if (
      child.kind !== 'group' ||
      child.nxClass === undefined ||
      child.nxClass === 'NXentry' ||
      child.nxClass === 'NXsubentry'
    )
      continue;
    out.push(
      diagnostic(
        'NXDL_ROOT',
        'error',
        `group /${child.name} is an ${child.nxClass} at the root of the file, where NXroot allows only NXentry groups: the NeXus validator (cnxvalidate) rejects the file`,
        { pointer: child.pointer },
        `move it into the entry (e.g. /entry/${child.name})`,
      ),
    );
  }
  return out;
}

export function lintNxdata(layout: Layout): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { node, path } of walkNodes(layout.root)) {
    if (node.kind === 'group' && node.nxClass === 'NXdata') checkNxdata(node, path, out);
  }
  return out;
}
