/**
 * The start document's own `projections` merged over the template: each key
 * is an HDF5 path (`/entry/sample/temperature`, or `/entry/@default` for an
 * attribute); the projection replaces the node at that path or creates it.
 * Intermediate groups keep the template's NX_class, or take the NeXus base
 * class their name matches (`detector` → NXdetector), else NXcollection (a
 * segment may also say `name:NXclass`). Only projections whose name is
 * accepted (StartProjectionOptions.names; unnamed ones always) are applied,
 * and one diagnostic per run says which were and which were not, and why.
 * They are the run's, not the template's: one that is malformed or names data
 * the run lacks is a warning and its node is left out (as `optional`), so a
 * document's projection never costs the run its file.
 */
import type { RunStart } from '../documents/models.js';
import { diagnostic, type Diagnostic } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import {
  DEFAULT_PROJECTION_NAMES,
  type LayoutAttribute,
  type LayoutField,
  type LayoutGroup,
  type LayoutNode,
  type Projection,
} from '../layout/models.js';
import { fromDocumentProjection } from './doc-projection.js';
import { isRecord } from './lookup.js';
import { groupClassFor } from './nx-base-classes.js';
import { mapPythonCallables } from './python-callables.js';

const SEGMENT = /^(.*?)(?::(NX[a-z0-9_]+))?$/;

export interface StartProjectionOptions {
  /** Projection names applied (default DEFAULT_PROJECTION_NAMES); unnamed projections are always applied. */
  names?: readonly string[];
  /** Python callables → registry calculations (a template's `start_projections.callables`). */
  callables?: Readonly<Record<string, string>>;
  /** Whether a name is a registered calculation (a dotted name that is not is a Python path). */
  registered?: (name: string) => boolean;
}

interface Outcome {
  label: string;
  applied: boolean;
  reason?: string;
  nodes: number;
  leftOut: number;
}

export function mergeStartProjections(
  root: LayoutGroup,
  start: RunStart,
  diagnostics: Diagnostic[],
  options: StartProjectionOptions = {},
): LayoutGroup {
  const list = Array.isArray(start.projections) ? start.projections : [];
  const names = options.names ?? DEFAULT_PROJECTION_NAMES;
  const accepted = new Set(names);
  const registered = options.registered ?? (() => false);
  const outcomes: Outcome[] = [];
  let merged = root;
  list.forEach((entry, i) => {
    const named = isRecord(entry) && entry.name !== undefined ? String(entry.name) : undefined;
    const label = `#${i}${named === undefined ? ' (unnamed)' : ` ${JSON.stringify(named)}`}`;
    if (!isRecord(entry)) {
      outcomes.push({ label, applied: false, reason: 'not an object', nodes: 0, leftOut: 0 });
      return;
    }
    if (named !== undefined && !accepted.has(named)) {
      outcomes.push({ label, applied: false, reason: 'name not accepted', nodes: 0, leftOut: 0 });
      return;
    }
    const outcome: Outcome = { label, applied: true, nodes: 0, leftOut: 0 };
    outcomes.push(outcome);
    const projection = isRecord(entry.projection) ? entry.projection : {};
    for (const [key, raw] of Object.entries(projection)) {
      const pointer = joinPointer(`/projections/${i}/projection`, key);
      const where = { pointer, nexusPath: key, document: { name: 'start', uid: start.uid } };
      outcome.leftOut++; // until it is in the tree
      try {
        const segments = key.split('/').filter((s) => s !== '');
        const last = segments[segments.length - 1];
        if (!key.startsWith('/') || last === undefined) {
          diagnostics.push(
            diagnostic(
              'EVAL_PROJECTION',
              'warning',
              `start document projection key ${JSON.stringify(key)} is not an absolute HDF5 path: left out`,
              where,
              'keys look like /entry/sample/temperature',
            ),
          );
          continue;
        }
        const checked = withCallables(
          fromDocumentProjection(raw),
          key,
          where,
          options.callables ?? {},
          registered,
          diagnostics,
        );
        if (checked === undefined) continue;
        const value = { kind: 'projection' as const, projection: { ...checked, optional: true } };
        const optional = true;
        merged = last.startsWith('@')
          ? insert(merged, segments.slice(0, -1), { attribute: { name: last.slice(1), value, pointer } }, pointer)
          : insert(
              merged,
              segments,
              { field: { kind: 'field', name: '', pointer, attributes: [], value, storage: {}, optional } },
              pointer,
            );
        outcome.leftOut--;
        outcome.nodes++;
      } catch (e) {
        const err = e as { code?: Diagnostic['code']; message: string; hint?: string };
        diagnostics.push(
          diagnostic(err.code ?? 'EVAL_PROJECTION', 'warning', `${err.message}: ${key} left out`, where, err.hint),
        );
      }
    }
  });
  if (outcomes.length > 0) diagnostics.push(summary(outcomes, names, start.uid));
  return merged;
}

/** The projection with its Python callables mapped, or undefined (reported) when one is not. */
function withCallables(
  projection: Projection,
  key: string,
  where: Diagnostic['location'],
  callables: Readonly<Record<string, string>>,
  registered: (name: string) => boolean,
  diagnostics: Diagnostic[],
): Projection | undefined {
  const mapped = mapPythonCallables(projection, callables, registered);
  if (mapped.ok) return mapped.projection;
  diagnostics.push(
    diagnostic(
      'EVAL_PYTHON_CALLABLE',
      'warning',
      `start document projection ${key} calls the Python function ${mapped.callable}, which nxlayout cannot run: ${key} left out`,
      where,
      `map it to an nxlayout calculation in the template: "start_projections": {"callables": {${JSON.stringify(mapped.callable)}: "NAME"}} (the calculations are listed in docs/templates.md#calculations)`,
    ),
  );
  return undefined;
}

/** The once-per-run report: info when every projection was applied whole, else a warning. */
function summary(outcomes: Outcome[], names: readonly string[], uid: string): Diagnostic {
  const applied = outcomes.filter((o) => o.applied);
  const skipped = outcomes.filter((o) => !o.applied);
  const parts: string[] = [];
  if (applied.length > 0) {
    parts.push(
      `applied ${applied.map((o) => `${o.label} (${o.nodes} node${o.nodes === 1 ? '' : 's'}${o.leftOut > 0 ? `, ${o.leftOut} left out: see the warnings and errors naming them` : ''})`).join(', ')}`,
    );
  }
  if (skipped.length > 0) parts.push(`not applied ${skipped.map((o) => `${o.label} (${o.reason})`).join(', ')}`);
  const partial = skipped.length > 0 || applied.some((o) => o.leftOut > 0);
  return diagnostic(
    'EVAL_START_PROJECTIONS',
    partial ? 'warning' : 'info',
    `start document projections: ${parts.join('; ')}`,
    { document: { name: 'start', uid }, pointer: '/projections' },
    `accepted projection names: ${names.join(', ')}${skipped.some((o) => o.reason === 'name not accepted') ? ' (add one with --projections or the template\'s "start_projections": {"names": [...]})' : ''}`,
  );
}

type Leaf = { attribute: LayoutAttribute } | { field: LayoutField };

function insert(group: LayoutGroup, segments: string[], leaf: Leaf, pointer: string, depth = 1): LayoutGroup {
  const [head, ...rest] = segments;
  if (head === undefined) {
    if ('attribute' in leaf)
      return {
        ...group,
        attributes: [...group.attributes.filter((a) => a.name !== leaf.attribute.name), leaf.attribute],
      };
    return group; // a field at the root path itself cannot be: handled by the caller's key check
  }
  const [, name = head, nxClass] = SEGMENT.exec(head) ?? [];
  const index = group.children.findIndex((c) => c.name === name && c.repeat === undefined);
  const existing = index >= 0 ? group.children[index] : undefined;
  let replacement: LayoutNode;
  if (rest.length === 0 && 'field' in leaf) {
    // keep the template node's attributes (e.g. @units) when the start document replaces its value
    replacement = { ...leaf.field, name, attributes: existing?.attributes ?? [] };
  } else if (rest.length === 0 && existing !== undefined && existing.kind !== 'group') {
    const attrs = existing.attributes.filter((a) => 'attribute' in leaf && a.name !== leaf.attribute.name);
    replacement = { ...existing, attributes: 'attribute' in leaf ? [...attrs, leaf.attribute] : attrs };
  } else {
    const base: LayoutGroup =
      existing?.kind === 'group'
        ? existing
        : {
            kind: 'group',
            name,
            pointer,
            attributes: [],
            children: [],
            nxClass: nxClass ?? groupClassFor(name, depth),
          };
    replacement = insert(nxClass !== undefined ? { ...base, nxClass } : base, rest, leaf, pointer, depth + 1);
  }
  const children = [...group.children];
  if (index >= 0) children[index] = replacement;
  else children.push(replacement);
  return { ...group, children };
}
