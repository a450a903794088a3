/**
 * Which application definitions a tree claims and the checks they bring:
 * an NXentry's `definition` field (a literal such as "NXxpcs") applies that
 * definition to that entry; `--definition NXname` applies it to every entry.
 * With any definition in force, the base classes are checked too (warnings).
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { closestKey } from '../layout/did-you-mean.js';
import { checkApplication } from './check-application.js';
import { checkBaseClasses, type BaseClassOptions } from './check-base.js';
import type { NxdlDigest } from './models.js';
import type { ShapeNode } from './shape-tree.js';

interface Claim {
  name: string;
  /** Entries it applies to; undefined = all. */
  entries?: Set<string>;
  /** The `definition` field that claims it, when one does. */
  node?: ShapeNode;
}

/** `definition` fields of the root's NXentry groups, by definition name. */
function claims(root: ShapeNode): Claim[] {
  const byName = new Map<string, Claim>();
  for (const entry of root.children) {
    if (entry.kind !== 'group' || entry.nxClass !== 'NXentry' || entry.pattern) continue;
    const field = entry.children.find((c) => c.name === 'definition' && c.kind === 'field');
    const value = field?.data?.length === 1 ? field.data[0] : undefined;
    if (field === undefined || typeof value !== 'string') continue;
    const claim = byName.get(value) ?? { name: value, entries: new Set<string>(), node: field };
    claim.entries?.add(entry.path);
    byName.set(value, claim);
  }
  return [...byName.values()];
}

function unknownDefinition(name: string, digest: NxdlDigest, node: ShapeNode | undefined): Diagnostic | undefined {
  const d = digest.definitions[name];
  const location =
    node === undefined
      ? {}
      : { ...(node.pointer === undefined ? {} : { pointer: node.pointer }), nexusPath: node.path };
  if (d === undefined) {
    const applications = Object.values(digest.definitions)
      .filter((x) => x.isApplication)
      .map((x) => x.type);
    const meant = closestKey(name, applications);
    return diagnostic(
      'NXDL_DEFINITION',
      'error',
      `${name} is not a NeXus application definition${meant === undefined ? '' : `: did you mean ${meant}?`}`,
      location,
      `NeXus definitions ${digest.version} hold ${applications.length} application definitions`,
    );
  }
  if (!d.isApplication) {
    return diagnostic(
      'NXDL_DEFINITION',
      'error',
      `${name} is a base class, not an application definition`,
      location,
      'the definition field names an application definition such as NXxpcs, NXmx or NXsas',
    );
  }
  return undefined;
}

export interface DefinitionsResult {
  diagnostics: Diagnostic[];
  /** The definitions checked. */
  checked: string[];
}

export function checkDefinitions(
  root: ShapeNode,
  digest: NxdlDigest,
  requested: readonly string[] = [],
  options: BaseClassOptions = {},
): DefinitionsResult {
  const all: Claim[] = [
    ...claims(root).filter((c) => !requested.includes(c.name)),
    ...requested.map((name) => ({ name })),
  ];
  const diagnostics: Diagnostic[] = [];
  const governed = new Set<string>();
  const checked: string[] = [];
  for (const claim of all) {
    const problem = unknownDefinition(claim.name, digest, claim.node);
    if (problem !== undefined) {
      diagnostics.push(problem);
      continue;
    }
    const result = checkApplication(digest.definitions[claim.name], root, claim.entries);
    diagnostics.push(...result.diagnostics);
    for (const p of result.governed) governed.add(p);
    checked.push(claim.name);
  }
  if (checked.length > 0) diagnostics.push(...checkBaseClasses(root, digest, governed, options));
  return { diagnostics, checked };
}
