/**
 * A run written with a fallback template records the template it was meant
 * to get and why that one failed, beside the provenance of the template
 * used (provenance.ts): `template_tried` (name@version), its sha256 and
 * file, and `template_tried_failure` (one line per problem).
 */
import type { Layout } from '../layout/models.js';
import type { PlannedField, PlannedGroup, PlannedNode } from './models.js';
import { baseName, childPath } from './names.js';
import { PROVENANCE_GROUP } from './provenance.js';

export interface TriedTemplate {
  layout: Layout;
  /** Why it failed for the run, one line each. */
  failures: readonly string[];
}

function text(path: string, value: string): PlannedField {
  return {
    kind: 'field', path, dtype: 'string', shape: [], value: { kind: 'inline', data: [value] },
    attributes: [], storage: {}, source: 'nxlayout provenance (fallback)',
  };
}

/** `root` with the tried template recorded in its nxlayout_provenance group (unchanged when there is none). */
export function addTriedTemplate(root: PlannedGroup, tried: TriedTemplate): PlannedGroup {
  const visit = (group: PlannedGroup): PlannedGroup | undefined => {
    if (baseName(group.path) === PROVENANCE_GROUP) {
      const { layout } = tried;
      const fields = [
        text(childPath(group.path, 'template_tried'), `${layout.name}@${layout.version}`),
        text(childPath(group.path, 'template_tried_sha256'), layout.sha256),
        ...(layout.sourcePath === undefined ? [] : [text(childPath(group.path, 'template_tried_file'), layout.sourcePath)]),
        text(childPath(group.path, 'template_tried_failure'), tried.failures.join('\n')),
      ];
      const taken = new Set(fields.map((f) => f.path));
      return { ...group, children: [...group.children.filter((c) => !taken.has(c.path)), ...fields] };
    }
    for (let i = 0; i < group.children.length; i++) {
      const child: PlannedNode | undefined = group.children[i];
      if (child?.kind !== 'group') continue;
      const changed = visit(child);
      if (changed === undefined) continue;
      const children = [...group.children];
      children[i] = changed;
      return { ...group, children };
    }
    return undefined;
  };
  return visit(root) ?? root;
}
