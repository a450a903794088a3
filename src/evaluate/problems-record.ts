/**
 * A file tells its reader whether it is partial: beside the provenance
 * (`nxlayout_provenance`, see provenance.ts), `status` is `complete`,
 * `incomplete` (the run did not finish: no stop, no event, no frame) or
 * `partial` (documents or readings were dropped or replaced), and `problems`
 * lists, one line each, what went wrong with the run's documents (the lines
 * `nxlayout write` prints). A file that is not complete also carries
 * `@nxlayout_status` on its NXentry, where a reader looks first.
 */
import type { PlannedAttribute, PlannedField, PlannedGroup, PlannedNode } from './models.js';
import { baseName, childPath } from './names.js';
import { PROVENANCE_GROUP } from './provenance.js';

export interface ProblemsRecord {
  status: 'complete' | 'incomplete' | 'partial';
  /** One line per problem. */
  problems: readonly string[];
}

/** Most problem lines a file keeps (a run with a million bad readings must not make a huge file). */
export const MAX_PROBLEM_LINES = 1000;

function stringField(path: string, data: readonly string[], shape: number[]): PlannedField {
  return { kind: 'field', path, dtype: 'string', shape, value: { kind: 'inline', data }, attributes: [], storage: {}, source: 'nxlayout problems' };
}

/** The plan's root with the record added to the provenance group (unchanged when the plan has none). */
export function addProblemsRecord(root: PlannedGroup, record: ProblemsRecord): PlannedGroup {
  const visit = (group: PlannedGroup): PlannedGroup | undefined => {
    const index = group.children.findIndex((c) => c.kind === 'group' && baseName(c.path) === PROVENANCE_GROUP);
    if (index >= 0) {
      const provenance = group.children[index] as PlannedGroup;
      const lines = record.problems.length > MAX_PROBLEM_LINES
        ? [...record.problems.slice(0, MAX_PROBLEM_LINES - 1), `… and ${record.problems.length - MAX_PROBLEM_LINES + 1} more`]
        : [...record.problems];
      const added: PlannedNode[] = [stringField(childPath(provenance.path, 'status'), [record.status], [])];
      if (lines.length > 0) added.push(stringField(childPath(provenance.path, 'problems'), lines, [lines.length]));
      const kept = provenance.children.filter((c) => !['status', 'problems'].includes(baseName(c.path)));
      const children = [...group.children];
      children[index] = { ...provenance, children: [...kept, ...added] };
      const attributes: PlannedAttribute[] = record.status === 'complete' || group.nxClass !== 'NXentry'
        ? group.attributes
        : [...group.attributes.filter((a) => a.name !== 'nxlayout_status'), { name: 'nxlayout_status', dtype: 'string', shape: [], data: [record.status] }];
      return { ...group, attributes, children };
    }
    for (let i = 0; i < group.children.length; i++) {
      const child = group.children[i];
      if (child.kind !== 'group') continue;
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
