/**
 * What every evaluation step sees: the run, the registry, the run context
 * (with the repeat bindings in force) and where in the template and the file
 * it is, so a problem can be reported with its full location.
 */
import type { DataKey } from '../documents/models.js';
import { diagnostic, type Diagnostic, type ErrorCode, type Location } from '../errors.js';
import type { ColumnPart } from '../layout/models.js';
import type { ExternalRef, Run } from '../run/models.js';
import { withBindings, type Bindings, type RunContext } from './context.js';
import type { ColumnRef, DType } from './models.js';
import type { CalculationRegistry } from './registry.js';

/** `resolveExternal` of run/: where an external field's data lives. */
export type ExternalResolver = (run: Run, stream: string, field: string) => ExternalRef[];

export interface EvalEnv {
  readonly run: Run;
  readonly registry: CalculationRegistry;
  readonly resolveExternal: ExternalResolver;
  readonly context: RunContext;
  readonly bindings: Bindings;
  /** Template pointer and HDF5 path of the node being evaluated. */
  readonly at: Location;
  /** Collected, never thrown. */
  readonly diagnostics: Diagnostic[];
  /** Paths of links marked optional, checked once the tree is complete. */
  readonly optionalLinks: Set<string>;
  /** Columns whose rows were read (see NexusPlan.readColumns), keyed by `columnReadKey`. */
  readonly readColumns: Map<string, ColumnRef>;
  /** True while planning for a header: values the header cannot give are deferred (plan-tree.ts). */
  readonly planning?: boolean;
}

function columnReadKey(stream: string, field: string, part: ColumnPart): string {
  return `${stream}\u0000${field}\u0000${part}`;
}

/** Records that the plan needs the rows of a column (recorded before reading, so a failed read still counts). */
export function noteColumnRead(env: EvalEnv, stream: string, field: string, part: ColumnPart): void {
  const key = columnReadKey(stream, field, part);
  if (!env.readColumns.has(key)) env.readColumns.set(key, { stream, field, part });
}

/** A projection's value before it becomes a plan node. */
export type Resolved =
  | { kind: 'inline'; data: unknown[]; shape: number[]; dtype: DType; source: string }
  | {
      kind: 'column';
      stream: string;
      field: string;
      part: ColumnPart;
      shape: number[];
      dtype: DType;
      source: string;
      dataKey?: DataKey;
      encoding?: 'json';
    }
  | { kind: 'external'; stream: string; field: string; refs: ExternalRef[]; source: string; dataKey?: DataKey };

export function bind(env: EvalEnv, bindings: Bindings): EvalEnv {
  if (Object.keys(bindings).length === 0) return env;
  const all = { ...env.bindings, ...bindings };
  return { ...env, bindings: all, context: withBindings(env.context, bindings) };
}

export function at(env: EvalEnv, location: Location): EvalEnv {
  return { ...env, at: { ...env.at, ...location } };
}

export function report(
  env: EvalEnv,
  code: ErrorCode,
  severity: Diagnostic['severity'],
  message: string,
  location: Location = {},
  hint?: string,
): void {
  env.diagnostics.push(diagnostic(code, severity, message, withDocument({ ...env.at, ...location }), hint));
}

/** Nodes merged from the start document's projections point into that document, not the template. */
export function withDocument(location: Location): Location {
  if (location.pointer?.startsWith('/projections/') && location.document === undefined) {
    return { ...location, document: { name: 'start' } };
  }
  return location;
}

/** "streams present: a, b, c" — long lists are cut, saying how many more there are. */
export function listHint(label: string, items: readonly string[], max = 20): string {
  if (items.length === 0) return `${label}: none`;
  const shown = items.slice(0, max).join(', ');
  return `${label}: ${shown}${items.length > max ? `, … (${items.length - max} more)` : ''}`;
}
