/**
 * A run written with a fallback template records the template it was meant
 * to get and why that one failed, beside the provenance of the template
 * used (provenance.ts): `template_tried` (name@version), its sha256 and
 * file, and `template_tried_failure` (one line per problem).
 */
import type { Layout } from '../layout/models.js';
import type { PlannedGroup } from './models.js';
import { childPath } from './names.js';
import { templateFileName, textField, updateProvenance } from './provenance.js';

export interface TriedTemplate {
  layout: Layout;
  /** Why it failed for the run, one line each. */
  failures: readonly string[];
}

/** `root` with the tried template recorded in its nxlayout_provenance group (unchanged when there is none). */
export function addTriedTemplate(root: PlannedGroup, tried: TriedTemplate): PlannedGroup {
  return updateProvenance(root, (group) => {
    const { layout } = tried;
    const text = (name: string, value: string) =>
      textField(childPath(group.path, name), [value], [], 'nxlayout provenance (fallback)');
    const fields = [
      text('template_tried', `${layout.name}@${layout.version}`),
      text('template_tried_sha256', layout.sha256),
      ...(layout.sourcePath === undefined ? [] : [text('template_tried_file', templateFileName(layout.sourcePath))]),
      text('template_tried_failure', tried.failures.join('\n')),
    ];
    const taken = new Set(fields.map((f) => f.path));
    return { ...group, children: [...group.children.filter((c) => !taken.has(c.path)), ...fields] };
  });
}
