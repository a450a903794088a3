/**
 * Every file records where it came from: a `nxlayout_provenance` NXcollection
 * in the first NXentry (the root when there is none) with the run uid, the
 * template's name/version/sha256/file, nxlayout's version and the raw start
 * and stop documents.
 */
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import type { PlannedField, PlannedGroup } from './models.js';
import { baseName, childPath } from './names.js';

export const PROVENANCE_GROUP = 'nxlayout_provenance';

export function addProvenance(root: PlannedGroup, layout: Layout, run: Run, version: string): PlannedGroup {
  const index = root.children.findIndex((c) => c.kind === 'group' && c.nxClass === 'NXentry');
  const host = index >= 0 ? (root.children[index] as PlannedGroup) : root;
  if (host.children.some((c) => baseName(c.path) === PROVENANCE_GROUP)) return root; // the template wrote its own
  const path = childPath(host.path, PROVENANCE_GROUP);
  const values: [string, string][] = [
    ['run_uid', run.uid],
    ['template_name', layout.name],
    ['template_version', layout.version],
    ['template_sha256', layout.sha256],
    ...(layout.sourcePath === undefined ? [] : [['template_file', layout.sourcePath] as [string, string]]),
    ['nxlayout_version', version],
    ['start_document', JSON.stringify(run.start)],
    ...(run.stop === undefined ? [] : [['stop_document', JSON.stringify(run.stop)] as [string, string]]),
  ];
  const group: PlannedGroup = {
    kind: 'group', path, nxClass: 'NXcollection', attributes: [], source: 'nxlayout provenance',
    children: values.map(([name, value]): PlannedField => ({
      kind: 'field', path: childPath(path, name), dtype: 'string', shape: [], value: { kind: 'inline', data: [value] },
      attributes: [], storage: {}, source: 'nxlayout provenance',
    })),
  };
  const withGroup: PlannedGroup = { ...host, children: [...host.children, group] };
  if (index < 0) return withGroup;
  const children = [...root.children];
  children[index] = withGroup;
  return { ...root, children };
}
