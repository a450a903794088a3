/** How a written run's own diagnostics are shown, by `write` and `watch` alike. */
import { formatDiagnostic, type Diagnostic } from '../../errors.js';

/** Problems of the input data (documents, runs): never hidden, but one line per run and kind. */
const DATA_PROBLEM = /^(DOC|RUN)_/;

export interface DiagnosticSummary {
  /** The first diagnostic of its kind, shown in full. */
  first: Diagnostic;
  /** How many of this kind the run has (the first included). */
  count: number;
}

export interface DiagnosticsToShow {
  /** Printed one by one. */
  shown: Diagnostic[];
  /** Printed one line each (kinds met more than once, not verbose). */
  summaries: DiagnosticSummary[];
  /** Warnings of the template (optional values a run lacks…) only counted. */
  hidden: number;
  /** The same, by code. */
  hiddenByCode: Map<string, number>;
}

/** A kind: one code in one run, or, for problems of no run (a log skipped, a line unreadable), in one file. */
function kindKey(d: Diagnostic): string {
  const owner = d.location.run === undefined ? `file:${d.location.file ?? ''}` : `run:${d.location.run}`;
  return `${owner}\u0000${d.code}\u0000${d.severity}`;
}

/** Once-per-run reports a user must see even without --verbose: the template fallen back from, the start-document projections applied, a Python callable left out. */
const ALWAYS_SHOWN = new Set<Diagnostic['code']>(['LAYOUT_FALLBACK', 'EVAL_START_PROJECTIONS', 'EVAL_PYTHON_CALLABLE']);

/**
 * Errors always, and the ALWAYS_SHOWN reports; problems of the input data
 * (DOC_*, RUN_*) always, one line per run (or, outside any run, per log) and kind (the first in full, with
 * how many more); the template's warnings (mostly optional values a run
 * lacks) one by one only when verbose, else counted: a default-template file
 * of a 2,000-PV run would otherwise bury the errors. Verbose lists everything
 * one by one.
 */
export function runDiagnosticsToShow(diagnostics: readonly Diagnostic[], verbose: boolean): DiagnosticsToShow {
  const shown: Diagnostic[] = [];
  const kinds = new Map<string, DiagnosticSummary>();
  let hidden = 0;
  const hiddenByCode = new Map<string, number>();
  for (const d of diagnostics) {
    if (ALWAYS_SHOWN.has(d.code)) shown.push(d);
    else if (d.severity === 'info') continue;
    else if (verbose) shown.push(d);
    else if (DATA_PROBLEM.test(d.code)) {
      const kind = kinds.get(kindKey(d));
      if (kind === undefined) kinds.set(kindKey(d), { first: d, count: 1 });
      else kind.count++;
    } else if (d.severity === 'error') shown.push(d);
    else {
      hidden++;
      hiddenByCode.set(d.code, (hiddenByCode.get(d.code) ?? 0) + 1);
    }
  }
  const summaries: DiagnosticSummary[] = [];
  for (const kind of kinds.values()) {
    if (kind.count === 1) shown.push(kind.first);
    else summaries.push(kind);
  }
  return { shown, summaries, hidden, hiddenByCode };
}

/** One line for a kind of problem met several times in a run: the first in full, then how many more. */
export function summaryText(s: DiagnosticSummary): string {
  const run = s.first.location.run;
  const where = run === undefined ? '' : ` in run ${run.slice(0, 8)}`;
  return `${formatDiagnostic(s.first)} [${s.count - 1} more ${s.first.code}${where}: --verbose lists them]`;
}

/** Adds counts by code into a running tally (a whole `write`, a daemon's life). */
export function addCounts(into: Map<string, number>, counts: ReadonlyMap<string, number>): void {
  for (const [code, n] of counts) into.set(code, (into.get(code) ?? 0) + n);
}

/** `3 kinds of warning, 75 in all: EVAL_FIELD_MISSING ×71, EVAL_EXTERNAL ×3, EVAL_SHAPE_MISMATCH ×1; --verbose lists them` (most frequent first). */
export function warningCountsText(counts: ReadonlyMap<string, number>): string {
  const entries = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return 'no warnings';
  const kinds = entries.length === 1 ? '1 kind of warning' : `${entries.length} kinds of warning`;
  return `${kinds}, ${total} in all: ${entries.map(([code, n]) => `${code} ×${n}`).join(', ')}; --verbose lists them`;
}

/** The line that stands for a run's warnings not shown. */
export function hiddenWarningsText(uid: string, counts: ReadonlyMap<string, number>): string {
  return `run ${uid.slice(0, 8)}: ${warningCountsText(counts)}`;
}
