/**
 * NeXus's legacy plotting attributes, as areaDetector layouts still write
 * them: `signal="1"` on the dataset to plot and `axes="x:y"` (or `x,y`) on it
 * naming its axes. Today's NeXus puts `@signal` and `@axes` on the group
 * instead: the group that holds the dataset, and every group that holds a
 * hard link to it (areaDetector's `/entry/data/data` → the detector's data).
 */
import type { AdAttribute, AdDataset, AdGroup, AdHardlink } from './models.js';

export interface GroupPlot {
  readonly signal: string;
  readonly axes?: string[];
  /** Line of the dataset's legacy attribute, for messages. */
  readonly line: number;
}

type Node = AdGroup | AdDataset | AdHardlink;

/** A legacy `signal` marks the plotted dataset when it is 1 (NeXus's "primary signal"). */
function isLegacySignal(a: AdAttribute): boolean {
  return a.name === 'signal' && a.source === 'constant' && a.value.trim() === '1';
}

function isLegacyAxes(a: AdAttribute): boolean {
  return a.name === 'axes' && a.source === 'constant' && a.value.trim() !== '';
}

function legacyOf(d: AdDataset): { axes?: string[]; line: number } | undefined {
  const signal = d.attributes.find(isLegacySignal);
  if (signal === undefined) return undefined;
  const axes = d.attributes
    .find(isLegacyAxes)
    ?.value.split(/[:,\s]+/)
    .filter((s) => s !== '');
  return { ...(axes === undefined || axes.length === 0 ? {} : { axes }), line: signal.line };
}

/** What each group (by layout path) plots, from the legacy attributes of its datasets and of the datasets it hard-links. */
export function legacyPlots(groups: readonly AdGroup[], paths: ReadonlyMap<string, Node>): Map<string, GroupPlot> {
  const out = new Map<string, GroupPlot>();
  const visit = (g: AdGroup, at: string): void => {
    for (const c of g.children) {
      const here = `${at}/${c.name}`;
      if (c.kind === 'group') {
        visit(c, here);
        continue;
      }
      const target = c.kind === 'hardlink' ? paths.get(c.target) : c;
      if (target?.kind !== 'dataset' || out.has(at)) continue;
      const legacy = legacyOf(target);
      if (legacy !== undefined) out.set(at, { signal: c.name, ...legacy });
    }
  };
  for (const g of groups) visit(g, `/${g.name}`);
  return out;
}

/** The legacy plotting attributes become the group's @signal / @axes: not repeated on the dataset. */
export function legacySkip(d: AdDataset): Set<string> {
  return new Set(
    d.attributes.some(isLegacySignal) ? ['signal', ...(d.attributes.some(isLegacyAxes) ? ['axes'] : [])] : [],
  );
}
