/**
 * A file tells its reader whether it is partial: beside the provenance
 * (`nxlayout_provenance`, see provenance.ts), `status` is `complete`,
 * `incomplete` (the run did not finish: no stop, no event, no frame) or
 * `partial` (documents or readings were dropped or replaced), and `problems`
 * lists, one line each, what went wrong with the run's documents (the lines
 * `nxlayout write` prints). A file that is not complete also carries
 * `@nxlayout_status` on its NXentry, where a reader looks first.
 */
import type { PlannedAttribute, PlannedGroup, PlannedNode } from './models.js';
import { baseName, childPath } from './names.js';
import { textField, updateProvenance } from './provenance.js';

export interface ProblemsRecord {
  status: 'complete' | 'incomplete' | 'partial';
  /** One line per problem. */
  problems: readonly string[];
}

/** Most problem lines a file keeps (a run with a million bad readings must not make a huge file). */
const MAX_PROBLEM_LINES = 1000;

/** The plan's root with the record added to the provenance group (unchanged when the plan has none). */
export function addProblemsRecord(root: PlannedGroup, record: ProblemsRecord): PlannedGroup {
  const lines =
    record.problems.length > MAX_PROBLEM_LINES
      ? [
          ...record.problems.slice(0, MAX_PROBLEM_LINES - 1),
          `… and ${record.problems.length - MAX_PROBLEM_LINES + 1} more`,
        ]
      : [...record.problems];
  return updateProvenance(
    root,
    (provenance) => {
      const added: PlannedNode[] = [
        textField(childPath(provenance.path, 'status'), [record.status], [], 'nxlayout problems'),
      ];
      if (lines.length > 0)
        added.push(textField(childPath(provenance.path, 'problems'), lines, [lines.length], 'nxlayout problems'));
      const kept = provenance.children.filter((c) => !['status', 'problems'].includes(baseName(c.path)));
      return { ...provenance, children: [...kept, ...added] };
    },
    (holder) => {
      if (record.status === 'complete' || holder.nxClass !== 'NXentry') return holder;
      const attributes: PlannedAttribute[] = [
        ...holder.attributes.filter((a) => a.name !== 'nxlayout_status'),
        { name: 'nxlayout_status', dtype: 'string', shape: [], data: [record.status] },
      ];
      return { ...holder, attributes };
    },
  );
}
