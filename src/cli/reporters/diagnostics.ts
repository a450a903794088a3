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
  for (const d of diagnostics) {
    if (ALWAYS_SHOWN.has(d.code)) shown.push(d);
    else if (d.severity === 'info') continue;
    else if (verbose) shown.push(d);
    else if (DATA_PROBLEM.test(d.code)) {
      const kind = kinds.get(kindKey(d));
      if (kind === undefined) kinds.set(kindKey(d), { first: d, count: 1 });
      else kind.count++;
    } else if (d.severity === 'error') shown.push(d);
    else hidden++;
  }
  const summaries: DiagnosticSummary[] = [];
  for (const kind of kinds.values()) {
    if (kind.count === 1) shown.push(kind.first);
    else summaries.push(kind);
  }
  return { shown, summaries, hidden };
}

/** One line for a kind of problem met several times in a run: the first in full, then how many more. */
export function summaryText(s: DiagnosticSummary): string {
  const run = s.first.location.run;
  const where = run === undefined ? '' : ` in run ${run.slice(0, 8)}`;
  return `${formatDiagnostic(s.first)} [${s.count - 1} more ${s.first.code}${where}: --verbose lists them]`;
}

/** The line that stands for the warnings not shown. */
export function hiddenWarningsText(uid: string, hidden: number): string {
  return `run ${uid.slice(0, 8)}: ${hidden} warning${hidden === 1 ? '' : 's'} (optional values this run lacks…): --verbose lists them`;
}
