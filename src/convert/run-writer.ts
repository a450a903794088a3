/**
 * Writes one run's file while its documents arrive, in two phases
 * (evaluate/plan-layout.ts, resolve-values.ts): the output is opened when the
 * run starts; at the first flush the layout is planned for the run's header
 * (planner.ts; again only for a later header), the file's groups and
 * resizable datasets are created from the plan, and each whole event column
 * is appended to as events come (column-streamer.ts counts what it wrote:
 * the model is never told); the run's accumulator, told by the plan which
 * columns to retain, lets the others' rows go once written. At the stop the
 * plan's deferred values are resolved once against the whole run and the
 * rest of the tree is written; the file appears at its final path only when complete. A template that fails for the run gives way
 * to the fallback template (see fallback.ts for when the writer decides, and why then).
 */
import { formatDiagnostic, NxlError, toDiagnostic, type Diagnostic } from '../errors.js';
import { renderFilePath } from '../evaluate/file-path.js';
import type { NexusPlan } from '../evaluate/models.js';
import { withRoot, type LayoutPlan } from '../evaluate/plan-layout.js';
import { addProblemsRecord } from '../evaluate/problems-record.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import type { Layout } from '../layout/models.js';
import type { OutputFile, OutputHost } from '../nexus/models.js';
import { writePlan } from '../nexus/write-plan.js';
import { completenessOf, isDataProblem } from '../run/completeness.js';
import type { Run } from '../run/models.js';
import { NXLAYOUT_VERSION } from '../version.js';
import { ColumnStreamer } from './column-streamer.js';
import { remainingRows } from './columns.js';
import { fallbackWarning, pruneReleased, withRecovered, type RecoveredColumn } from './fallback.js';
import type { RunResult } from './models.js';
import { runResult } from './run-result.js';
import { Planner } from './planner.js';

export interface RunWriterOptions {
  /** Where the file goes (the Node shell: `diskOutput`). */
  output: OutputHost;
  outRoot: string;
  overwrite: boolean;
  dryRun: boolean;
  registry?: CalculationRegistry;
  /** The template the run gets if `layout` fails for it (undefined: fail, as with --strict). */
  fallback?: Layout;
  /** Start-document projection names applied (`--projections`). */
  projectionNames?: readonly string[];
}

export class RunWriter {
  readonly uid: string;
  /** The layout's plan and template choice (the chosen template, or its fallback once it failed). */
  readonly #planner: Planner;
  /** The datasets streamed so far. */
  readonly #columns = new ColumnStreamer();
  /** Rows read back from the abandoned file of the template tried, by columnKey (fallback.ts). */
  #recovered = new Map<string, RecoveredColumn>();
  readonly #diagnostics: Diagnostic[] = [];
  readonly #options: RunWriterOptions;
  #output: OutputFile | undefined;
  /** The final path (also known for a dry run, which opens nothing). */
  #outputPath: string | undefined;
  #failed = false;
  #finished = false;
  /** When the run's first document (its start) was read: a run's time is from then to its file in place. */
  readonly #startedAt = performance.now();

  constructor(run: Run, layout: Layout, options: RunWriterOptions) {
    this.uid = run.uid;
    this.#options = options;
    const { registry, projectionNames } = options;
    this.#planner = new Planner(layout, options.fallback, {
      ...(registry === undefined ? {} : { registry }),
      ...(projectionNames === undefined ? {} : { projectionNames }),
      provenance: { nxlayoutVersion: NXLAYOUT_VERSION },
    });
    this.#guarded(() => this.#open(run));
  }

  /** The template in use: the chosen one, or its fallback once it failed for the run. */
  get layout(): Layout {
    return this.#planner.layout;
  }

  /** Plans of a template for this run (one, plus one per later header) and resolutions of their deferred values. */
  get counts(): { readonly plans: number; readonly resolutions: number } {
    return { plans: this.#planner.plans, resolutions: this.#planner.resolutions };
  }

  /** The plan the columns stream under, once decided (undefined while holding, or before the first flush). */
  get plan(): LayoutPlan | undefined {
    return this.#planner.plan;
  }

  /**
   * Appends the rows that arrived since the last flush. Datasets are created
   * here, at the first flush after a stream's descriptor is known, so a run
   * too small to need a flush gets datasets sized exactly at the end.
   */
  flush(run: Run): void {
    if (this.#output === undefined || this.#failed) return;
    this.#guarded(() => {
      const step = this.#planner.step(run);
      let plan: LayoutPlan;
      let changed = true;
      if (step.kind === 'hold') return;
      if (step.kind === 'switch') {
        plan = this.#fallBack(run, step.problems);
        if (this.#output === undefined) return;
      } else {
        plan = step.plan;
        changed = step.changed;
      }
      const sink = this.#output!.sink;
      if (changed) {
        this.#columns.create(plan, run, sink);
        run.rowRelease?.retain(this.#columns.policy(plan));
      }
      this.#columns.append(run, sink);
      run.rowRelease?.written(this.#columns.progress());
    });
  }

  /** Resolves the values, writes the rest and moves the file into place (a dry run: returns the plan). */
  finish(run: Run): RunResult {
    if (this.#finished) throw new NxlError('INTERNAL', `run ${run.uid} finished twice`, { run: run.uid });
    this.#finished = true;
    let plan: NexusPlan | undefined;
    this.#guarded(() => {
      plan = this.#planner.resolve(run);
      if (this.#planner.mayFallBack && !this.#failed && plan.diagnostics.some((d) => d.severity === 'error')) {
        this.#fallBack(run, plan.diagnostics);
        plan = this.#planner.resolve(run);
      }
      this.#diagnostics.push(...plan.diagnostics);
      if (this.#options.dryRun || this.#failed) return;
      if (plan.diagnostics.some((d) => d.severity === 'error')) {
        this.#fail(
          new NxlError(
            'EVAL_PROJECTION',
            `the template ${this.layout.name} does not resolve against run ${run.uid.slice(0, 8)}: nothing written`,
            { run: run.uid, file: this.layout.sourcePath ?? this.layout.name },
            {
              hint: 'fix the errors above (or mark the nodes `optional`), then write the run again',
            },
          ),
        );
        return;
      }
      const output = this.#output!;
      // Only append: nothing is let go at the end (columns not streamed are written whole from the run below).
      this.#columns.append(run, output.sink);
      this.#diagnostics.push(...this.#columns.filledWarnings(run));
      // The file says whether it is complete, and what went wrong with the run's documents.
      const problems = [...run.diagnostics, ...this.#diagnostics].filter(isDataProblem);
      const root = addProblemsRecord(plan.root, {
        status: completenessOf(problems),
        problems: problems.map((p) => formatDiagnostic(p)),
      });
      writePlan({ ...plan, root }, output.sink, withRecovered(this.#recovered, remainingRows(run)), {
        skip: this.#columns.written,
        existingGroups: this.#columns.groups,
      });
      this.#columns.setAttributes(output.sink, root);
      output.commit();
    });
    return this.#result(run, plan);
  }

  /** Gives up on the run: the temporary file is removed, nothing reaches the final path. */
  abort(): void {
    this.#finished = true;
    this.#output?.abort();
    this.#output = undefined;
  }

  #open(run: Run): void {
    // Its diagnostics are not kept here: the values resolved in finish() report the same ones.
    const rendered = renderFilePath(this.layout, run);
    if (rendered.path === undefined) {
      // A file name the start document cannot give is a settled failure: fall back at once.
      if (this.#planner.mayFallBack) this.#fallBack(run, rendered.diagnostics);
      else this.#failed = true;
      return;
    }
    if (this.#options.dryRun) {
      // A dry run writes nothing: it must not need the output root to exist.
      this.#outputPath = this.#options.output.resolve(this.#options.outRoot, rendered.path, { rootMayBeMissing: true });
      return;
    }
    this.#output = this.#options.output.open(this.#options.outRoot, rendered.path, {
      overwrite: this.#options.overwrite,
    });
    this.#outputPath = this.#output.path;
  }

  /**
   * The chosen template failed (`problems` say why): start the file again with
   * the fallback, and return the fallback's plan, adopted. Columns already
   * streamed (a failure that appeared after streaming began) are read back
   * from the file given up; fields whose rows went without being written are
   * left out and named.
   */
  #fallBack(run: Run, problems: readonly Diagnostic[]): LayoutPlan {
    // From now on every row stays: the fallback's plan has not said what it reads.
    run.rowRelease?.retain(undefined);
    const output = this.#output;
    if (output !== undefined && this.#columns.size > 0) {
      this.#columns.append(run, output.sink);
      output.sink.close();
      this.#recovered = this.#columns.recover(output.tempPath);
    }
    output?.abort();
    this.#output = undefined;
    this.#outputPath = undefined;
    this.#columns.clear();
    const { tried, failures, plan } = this.#planner.fallBack(run, problems);
    this.#open(run);
    const pruned = pruneReleased(plan.root, run, this.#recovered);
    this.#diagnostics.push(fallbackWarning(run, tried, this.layout, failures, pruned.leftOut));
    return this.#planner.adoptFallback(withRoot(plan, pruned.root));
  }

  /** Runs one step of the file; a throw fails the run (its temporary file removed), never the session. */
  #guarded(body: () => void): void {
    try {
      body();
    } catch (e) {
      this.#fail(e);
    }
  }

  #fail(e: unknown): void {
    this.#failed = true;
    this.#diagnostics.push(toDiagnostic(e, { run: this.uid }));
    this.#output?.abort();
    this.#output = undefined;
  }

  #result(run: Run, plan: NexusPlan | undefined): RunResult {
    const dryRun = this.#options.dryRun;
    const tried = this.#planner.tried?.layout;
    return runResult(run, {
      status: this.#failed ? 'failed' : dryRun ? 'planned' : 'written',
      layout: this.layout,
      ...(tried === undefined ? {} : { tried }),
      diagnostics: this.#diagnostics,
      ms: Math.round(performance.now() - this.#startedAt),
      ...(this.#outputPath === undefined ? {} : { file: this.#outputPath }),
      ...(plan !== undefined && dryRun ? { plan } : {}),
    });
  }
}
