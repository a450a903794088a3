/**
 * Every file records where it came from: a `nxlayout_provenance` NXcollection
 * in the first NXentry (the root when there is none) with the run uid, the
 * template's name/version/sha256/file, nxlayout's version and the raw start
 * and stop documents. It is planned with the run's header
 * (`addProvenance`); the stop document joins it at the stop (`addStopDocument`).
 */
import { basename } from '../paths.js';
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import type { PlanGroup, PlanLeaf, PlannedField, PlannedGroup } from './models.js';
import { baseName, childPath } from './names.js';

const PROVENANCE_GROUP = 'nxlayout_provenance';

/**
 * The template's file as provenance records it: its path relative to the
 * templates folder it was loaded from (templates are `DIR/*.json`: its name),
 * never an absolute path — the same run written from two checkouts, or two
 * machines, gives the same file. Name, version and sha256 identify the template.
 */
export function templateFileName(sourcePath: string): string {
  return basename(sourcePath);
}

/** A text field nxlayout adds on its own (a scalar for shape [], a list for shape [n]). */
export function textField(path: string, data: readonly string[], shape: number[], source: string): PlannedField {
  return {
    kind: 'field',
    path,
    dtype: 'string',
    shape,
    value: { kind: 'inline', data },
    attributes: [],
    storage: {},
    source,
  };
}

/** Where the provenance group goes: the first NXentry, else the root. */
function hostIndex<L extends PlanLeaf>(root: PlannedGroup<L>): number {
  return root.children.findIndex((c) => c.kind === 'group' && c.nxClass === 'NXentry');
}

function replaceHost<L extends PlanLeaf>(root: PlannedGroup<L>, index: number, host: PlannedGroup<L>): PlannedGroup<L> {
  if (index < 0) return host;
  const children = [...root.children];
  children[index] = host;
  return { ...root, children };
}

/**
 * `root` with its provenance group replaced by `change(group)` and then the
 * group holding it by `host(holder)`; unchanged when the plan has no
 * provenance group.
 */
export function updateProvenance(
  root: PlannedGroup,
  change: (provenance: PlannedGroup) => PlannedGroup,
  host: (holder: PlannedGroup) => PlannedGroup = (g) => g,
): PlannedGroup {
  const index = hostIndex(root);
  const holder = index >= 0 ? (root.children[index] as PlannedGroup) : root;
  const at = holder.children.findIndex((c) => c.kind === 'group' && baseName(c.path) === PROVENANCE_GROUP);
  if (at < 0) return root;
  const children = [...holder.children];
  children[at] = change(holder.children[at] as PlannedGroup);
  return replaceHost(root, index, host({ ...holder, children }));
}

/** The provenance group, planned: everything but the stop document. */
export function addProvenance(root: PlanGroup, layout: Layout, run: Run, version: string): PlanGroup {
  const index = hostIndex(root);
  const host = index >= 0 ? (root.children[index] as PlanGroup) : root;
  if (host.children.some((c) => baseName(c.path) === PROVENANCE_GROUP)) return root; // the template wrote its own
  const path = childPath(host.path, PROVENANCE_GROUP);
  const values: [string, string][] = [
    ['run_uid', run.uid],
    ['template_name', layout.name],
    ['template_version', layout.version],
    ['template_sha256', layout.sha256],
    ...(layout.sourcePath === undefined
      ? []
      : [['template_file', templateFileName(layout.sourcePath)] as [string, string]]),
    ['nxlayout_version', version],
    ['start_document', JSON.stringify(run.start)],
  ];
  const group: PlanGroup = {
    kind: 'group',
    path,
    nxClass: 'NXcollection',
    attributes: [],
    source: 'nxlayout provenance',
    children: values.map(([name, value]) => textField(childPath(path, name), [value], [], 'nxlayout provenance')),
  };
  return replaceHost(root, index, { ...host, children: [...host.children, group] });
}

/** The stop document, added at the stop to the provenance group nxlayout planned (never to a template's own). */
export function addStopDocument(root: PlannedGroup, run: Run): PlannedGroup {
  const stop = run.stop;
  if (stop === undefined) return root;
  return updateProvenance(root, (group) =>
    group.source !== 'nxlayout provenance'
      ? group
      : {
          ...group,
          children: [
            ...group.children,
            textField(childPath(group.path, 'stop_document'), [JSON.stringify(stop)], [], 'nxlayout provenance'),
          ],
        },
  );
}
