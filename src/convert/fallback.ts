/**
 * When the template chosen for a run fails for it (a required projection the
 * run cannot give, a stream it lacks…), the run is written with the fallback
 * template instead (not with --strict). The writer streams columns into the
 * file as events arrive, so the switch must come before anything is written:
 *
 * - A failure no later document can mend (a start key missing, a projection
 *   that cannot be read, a field a stream does not have) is "settled": the
 *   writer switches as soon as it sees it, at the first flush, before any
 *   dataset exists.
 * - A failure a later document may mend (a stream whose descriptor has not
 *   come yet) is "pending": the writer holds the run (writes and releases
 *   nothing, as for a run too small to flush) until the template resolves
 *   (then it streams from row 0) or the run ends (then the chosen template or
 *   the fallback is written from the rows still all in memory). Holding costs
 *   memory only while the chosen template does not resolve. Values the plan
 *   defers to the stop (the stop document, a single reading, a calculation)
 *   are not evaluated while planning and never hold a run.
 * - A failure that appears only after streaming began (a deferred value that
 *   fails at the stop, a stream arriving late that lacks a field the
 *   template requires of every stream…) is
 *   rewritten from what the abandoned file holds: the rows of every streamed
 *   column are read back from it (same dtype and row shape: the fallback gets
 *   them as they were written), the rest from memory; only fields whose rows
 *   were released without being written (columns the chosen template did not
 *   use) are left out, named in the warning.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { ColumnValue, DType, PlanGroup, PlanNode, PlannedField } from '../evaluate/models.js';
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import type { ColumnSource } from '../nexus/models.js';
import { columnKey, columnOf } from './columns.js';

/** Codes of failures a later document of the run may mend. */
const PENDING_CODES = new Set<Diagnostic['code']>([
  'EVAL_STREAM_MISSING',
  'EVAL_DOCUMENT_MISSING',
  'EVAL_INDEX_MISSING',
  'EVAL_CONFIG_MISSING',
]);

function isPending(d: Diagnostic): boolean {
  return (
    PENDING_CODES.has(d.code) || d.location.document?.name === 'stop' || /\$\.stop\b|\bstop document\b/.test(d.message)
  );
}

export type Verdict = 'resolves' | 'hold' | 'switch';

/** What a writer does with the chosen template's plan while nothing is written yet. */
export function verdict(diagnostics: readonly Diagnostic[]): Verdict {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return 'resolves';
  return errors.every(isPending) ? 'hold' : 'switch';
}

/** The failures of a plan, one line each (for the warning and the file's provenance). */
export function failureLines(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => {
      const where = d.location.nexusPath ?? d.location.pointer;
      return `${d.code}: ${d.message}${where === undefined ? '' : ` (at ${where})`}`;
    });
}

/** The warning a run written with the fallback template carries. */
export function fallbackWarning(
  run: Run,
  tried: Layout,
  used: Layout,
  failures: readonly string[],
  leftOut: readonly string[],
): Diagnostic {
  const shown = failures.slice(0, 3).join('; ') + (failures.length > 3 ? `; … (${failures.length - 3} more)` : '');
  const lost = leftOut.length === 0 ? '' : `; rows already released, left out: ${leftOut.join(', ')}`;
  return diagnostic(
    'LAYOUT_FALLBACK',
    'warning',
    `template ${tried.name}@${tried.version} fails for run ${run.uid.slice(0, 8)} (${shown}): written with the fallback template ${used.name}@${used.version}${lost}`,
    { run: run.uid, file: tried.sourcePath ?? tried.name },
    'the file records both templates in nxlayout_provenance; fix the template (or mark the failing nodes optional) and write the run again for the specialised file, or pass --strict to fail such runs instead',
  );
}

/** The template a run falls back to: the chosen template's own, else the session's default (never itself). */
export function fallbackFor(chosen: Layout, sessionDefault: Layout | undefined): Layout | undefined {
  const candidate = chosen.fallbackLayout ?? sessionDefault;
  if (candidate === undefined || candidate === chosen || candidate.sha256 === chosen.sha256) return undefined;
  return candidate;
}

/** A streamed column's rows, read back from the abandoned file (as stored: JSON text for `encoding: 'json'`). */
export interface RecoveredColumn {
  dtype: DType;
  rowShape: number[];
  encoding: 'json' | undefined;
  rows: unknown[];
}

/** Whether `field` can take the recovered rows of its column as they are. */
function fits(field: PlannedField & { value: ColumnValue }, recovered: RecoveredColumn | undefined): boolean {
  return (
    recovered !== undefined &&
    recovered.dtype === field.dtype &&
    recovered.encoding === field.value.encoding &&
    JSON.stringify(recovered.rowShape) === JSON.stringify(field.shape.slice(1))
  );
}

/**
 * `root` without the column fields whose rows are neither held by the run
 * (released after streaming) nor recovered from the abandoned file in a form
 * that fits; their paths.
 */
export function pruneReleased(
  root: PlanGroup,
  run: Run,
  recovered: ReadonlyMap<string, RecoveredColumn> = new Map(),
): { root: PlanGroup; leftOut: string[] } {
  const leftOut: string[] = [];
  const visit = (group: PlanGroup): PlanGroup => ({
    ...group,
    children: group.children.flatMap((node): PlanNode[] => {
      if (node.kind === 'group') return [visit(node)];
      if (node.kind === 'field' && node.value.kind === 'column') {
        const column = columnOf(run, node.value);
        if (
          column !== undefined &&
          column.offset > 0 &&
          !fits(node as PlannedField & { value: ColumnValue }, recovered.get(columnKey(node.value)))
        ) {
          leftOut.push(node.path);
          return [];
        }
      }
      return [node];
    }),
  });
  return { root: visit(root), leftOut };
}

/** Rows of a recovered column from `recovered`, any other from `rest`. */
export function withRecovered(recovered: ReadonlyMap<string, RecoveredColumn>, rest: ColumnSource): ColumnSource {
  if (recovered.size === 0) return rest;
  return {
    *rows(stream, field, part, encoding) {
      const found = recovered.get(columnKey({ stream, field, part }));
      if (found !== undefined && found.encoding === encoding) yield found.rows;
      else yield* rest.rows(stream, field, part, encoding);
    },
  };
}
