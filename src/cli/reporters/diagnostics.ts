/** How a written run's own diagnostics are shown, by `write` and `watch` alike. */
import type { Diagnostic } from '../../errors.js';

/** Once-per-run reports a user must see even without --verbose: the template fallen back from, the start-document projections applied, a Python callable left out. */
const ALWAYS_SHOWN = new Set<Diagnostic['code']>(['LAYOUT_FALLBACK', 'EVAL_START_PROJECTIONS', 'EVAL_PYTHON_CALLABLE']);

/**
 * Errors always (and the ALWAYS_SHOWN reports); warnings (mostly optional values a run lacks) one by one only
 * when verbose, else counted: a default-template file of a 2,000-PV run would
 * otherwise bury the errors.
 */
export function runDiagnosticsToShow(diagnostics: readonly Diagnostic[], verbose: boolean): { shown: Diagnostic[]; hidden: number } {
  const shown: Diagnostic[] = [];
  let hidden = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error' || ALWAYS_SHOWN.has(d.code) || (verbose && d.severity === 'warning')) shown.push(d);
    else if (d.severity === 'warning') hidden++;
  }
  return { shown, hidden };
}

/** The line that stands for the warnings not shown. */
export function hiddenWarningsText(uid: string, hidden: number): string {
  return `run ${uid.slice(0, 8)}: ${hidden} warning${hidden === 1 ? '' : 's'} (optional values this run lacks…): --verbose lists them`;
}
