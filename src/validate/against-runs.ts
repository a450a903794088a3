/**
 * A template against real runs: each run the template is for (its `match`;
 * every run when it has none) is planned without writing, and the
 * evaluator's findings are reported with the run's uid, plus the file path
 * the run would get (an info finding) and, when a definition applies, the
 * planned tree's conformance to it.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import { buildContext, evaluateLayout } from '../evaluate/index.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import { layoutMatches } from '../layout/match.js';
import type { Layout } from '../layout/models.js';
import type { Run } from '../run/models.js';
import { checkDefinitions } from './check-definitions.js';
import { outputPathProblem } from '../layout/lint/file-path.js';
import type { NxdlDigest } from './models.js';
import { shapeOfPlan } from './shape-tree.js';

export interface AgainstOptions {
  registry: CalculationRegistry;
  digest: NxdlDigest;
  definitions: readonly string[];
  version: string;
  /** Report names the base classes do not define (info). */
  unknownNames?: boolean;
}

export interface AgainstResult {
  diagnostics: Diagnostic[];
  /** Runs the template was planned for. */
  planned: number;
}

function forRun(d: Diagnostic, run: Run): Diagnostic {
  return d.location.run === undefined ? { ...d, location: { ...d.location, run: run.uid } } : d;
}

export function checkAgainstRuns(layout: Layout, runs: readonly Run[], options: AgainstOptions): AgainstResult {
  const diagnostics: Diagnostic[] = [];
  let planned = 0;
  for (const run of runs) {
    if (!layoutMatches(layout, buildContext(run, {}, options.version))) continue;
    planned++;
    const plan = evaluateLayout(layout, run, {
      registry: options.registry,
      provenance: { nxlayoutVersion: options.version },
    });
    diagnostics.push(...plan.diagnostics.map((d) => forRun(d, run)));
    if (plan.file !== '') {
      const problem = outputPathProblem(plan.file);
      diagnostics.push(
        problem === undefined
          ? diagnostic(
              'LAYOUT_FILE_PATH',
              'info',
              `run ${run.uid.slice(0, 8)} (scan ${run.start.scan_id ?? '-'}) → ${plan.file}`,
              { pointer: '/file', run: run.uid },
            )
          : diagnostic(
              'LAYOUT_FILE_PATH',
              'error',
              `run ${run.uid.slice(0, 8)}: the output path ${JSON.stringify(plan.file)} ${problem}`,
              { pointer: '/file', run: run.uid },
              'pass run values that form the path through {{safe …}}',
            ),
      );
    }
    const definitions = checkDefinitions(shapeOfPlan(plan.root), options.digest, options.definitions, {
      unknownNames: options.unknownNames === true,
    });
    diagnostics.push(...definitions.diagnostics.map((d) => forRun(d, run)));
  }
  if (planned === 0 && runs.length > 0) {
    diagnostics.push(
      diagnostic(
        'LAYOUT_NO_MATCH',
        'warning',
        `template ${layout.name} matches none of the ${runs.length} run(s) given`,
        { pointer: '/match' },
        "check the `match` rule against the runs' start documents (`nxlayout runs LOG` lists them)",
      ),
    );
  }
  return { diagnostics, planned };
}
