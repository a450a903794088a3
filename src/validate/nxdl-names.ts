/** Matching names of a file against NXDL names, and the class hierarchy (`extends`). */
import type { NameType, NxdlDefinition, NxdlDigest, NxdlGroup } from './models.js';

const patterns = new Map<string, RegExp>();

/** `AXISNAME_indices` (partial): each run of capitals stands for any text, the rest is literal. */
function partialPattern(name: string): RegExp {
  let re = patterns.get(name);
  if (re === undefined) {
    const source = name
      .split(/([A-Z][A-Z0-9]*)/)
      .map((part, i) => (i % 2 === 1 ? '[A-Za-z0-9_]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`);
    patterns.set(name, re);
  }
  return re;
}

export function nameMatches(spec: { name?: string; nameType?: NameType }, actual: string): boolean {
  const type = spec.nameType ?? (spec.name === undefined ? 'any' : 'specified');
  if (type === 'any' || spec.name === undefined) return true;
  if (type === 'partial') return partialPattern(spec.name).test(actual);
  return spec.name === actual;
}

/** How specific a match is: exact names win over partial ones, which win over any name. */
function matchRank(spec: { name?: string; nameType?: NameType }): number {
  const type = spec.nameType ?? (spec.name === undefined ? 'any' : 'specified');
  return type === 'specified' ? 2 : type === 'partial' ? 1 : 0;
}

/** A class and the classes it extends, nearest first. */
export function classChain(digest: NxdlDigest, nxClass: string): NxdlDefinition[] {
  const chain: NxdlDefinition[] = [];
  for (let name: string | undefined = nxClass; name !== undefined && chain.length < 16; ) {
    const d: NxdlDefinition | undefined = digest.definitions[name];
    if (d === undefined || chain.includes(d)) break;
    chain.push(d);
    name = d.extends;
  }
  return chain;
}

/** Base classes meant to hold anything: their content is not checked. */
export const OPEN_CLASSES: ReadonlySet<string> = new Set([
  'NXcollection',
  'NXparameters',
  'NXnote',
  'NXuser',
  'NXprocess',
]);

export function bestMatch<T extends { name?: string; nameType?: NameType }>(
  specs: readonly T[],
  actual: string,
): T | undefined {
  let best: T | undefined;
  for (const s of specs) if (nameMatches(s, actual) && (best === undefined || matchRank(s) > matchRank(best))) best = s;
  return best;
}

/** The group spec of a group of class `nxClass` named `name` in `parent`'s class chain. */
export function groupSpecIn(chain: readonly NxdlGroup[], nxClass: string, name: string): NxdlGroup | undefined {
  for (const c of chain) {
    const found = bestMatch(
      c.groups.filter((g) => g.type === nxClass),
      name,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}
