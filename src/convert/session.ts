/**
 * One path for batch and live, in the core (no file system: the files go
 * where `options.output` puts them): documents pushed into the session flow
 * through the router into one RunWriter per run; a run's file is finished
 * when its stop document arrives. `write` feeds finished logs (convert-logs.ts);
 * `watch` feeds growing ones; a browser or a service pushes documents itself.
 */
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import { isPageColumn } from '../documents/pages.js';
import { diagnostic, NxlError, type Diagnostic } from '../errors.js';
import { selectLayout } from '../layout/match.js';
import type { Layout } from '../layout/models.js';
import type { OutputHost } from '../nexus/models.js';
import { completenessProblems } from '../run/completeness.js';
import type { Run } from '../run/models.js';
import { RunRouter } from '../run/router.js';
import { fallbackFor } from './fallback.js';
import type { ConvertOptions, RunResult } from './models.js';
import { RunWriter } from './run-writer.js';

/**
 * Rows a run may hold before its streamed columns are appended to its file.
 * Small on purpose: the column writers buffer blocks for HDF5 themselves, so
 * this only bounds how many parsed readings outlive a young-generation GC;
 * 8192 got them promoted and let V8's old space (and RSS) grow with the run.
 */
const FLUSH_ROWS = 512;

export interface ConversionHooks {
  /** A run's file was written (or planned, or failed). */
  onResult?: (result: RunResult) => void;
}

/** Rows a document adds: a page its events (1 when too broken to say: the router reported it); any other document 1. */
export function eventsIn(named: NamedDocument): number {
  if (named.name !== 'event_page') return 1;
  return isPageColumn(named.doc.seq_num) ? named.doc.seq_num.length : 1;
}

/** The layout a run gets: the best matching candidate, else the fallback. */
function chooseLayout(run: Run, options: Pick<ConvertOptions, 'layouts' | 'fallback'>): Layout | undefined {
  return selectLayout([...options.layouts], { start: run.start }) ?? options.fallback;
}

export class ConversionSession {
  readonly #options: ConvertOptions;
  readonly #output: OutputHost;
  readonly #hooks: ConversionHooks;
  readonly #router: RunRouter;
  readonly #writers = new Map<string, RunWriter>();
  readonly #runOfDescriptor = new Map<string, string>();
  readonly #pendingRows = new Map<string, number>();
  readonly results: RunResult[] = [];
  /** Runs whose result is made and that the router still holds (not a daemon's: it forgets them). */
  readonly #done = new Set<string>();

  constructor(options: ConvertOptions, hooks: ConversionHooks = {}) {
    if (options.output === undefined) {
      throw new NxlError(
        'INTERNAL',
        'a conversion session needs `output`, where its files go',
        {},
        {
          hint: "pass diskOutput (nxlayout/node) or an OutputHost of your own, e.g. h5wasm's in-memory file system in a browser",
        },
      );
    }
    this.#options = options;
    this.#output = options.output;
    this.#hooks = hooks;
    this.#router = new RunRouter({
      strict: options.strict ?? false,
      onRunComplete: (run) => this.#finish(run),
      onRunFailed: (run) => this.#failed(run),
    });
  }

  /** Problems that belong to no run. */
  get diagnostics(): Diagnostic[] {
    return this.#router.diagnostics;
  }

  /** Uids of runs started and not yet finished. */
  get openRuns(): string[] {
    return [...this.#writers.keys()];
  }

  report(problem: Diagnostic): void {
    this.#router.report(problem);
  }

  /** Adds one document (`validation`: its schema problems, when the reader already checked it). */
  push(named: NamedDocument, at?: DocumentSource, validation?: Diagnostic[]): void {
    const found = this.#router.push(named, at, validation);
    // A run's problems found after its file was made (documents after its stop, a replay) are the session's to report.
    if (found.length > 0 && this.#done.size > 0)
      for (const d of found) if (this.#done.has(d.location.run ?? '')) this.report(d);
    switch (named.name) {
      case 'start':
        this.#begin(named.doc.uid);
        return;
      case 'descriptor':
        this.#runOfDescriptor.set(named.doc.uid, named.doc.run_start);
        return;
      case 'event':
      case 'event_page': {
        const uid = this.#runOfDescriptor.get(named.doc.descriptor);
        if (uid === undefined) return;
        const rows = (this.#pendingRows.get(uid) ?? 0) + eventsIn(named);
        if (rows < FLUSH_ROWS) {
          this.#pendingRows.set(uid, rows);
          return;
        }
        this.#pendingRows.set(uid, 0);
        const run = this.#router.run(uid);
        if (run !== undefined) this.#writers.get(uid)?.flush(run);
        return;
      }
      default:
        return;
    }
  }

  /**
   * Finishes a run that has no stop document (the log ended, or the daemon gave
   * up waiting): written and marked incomplete.
   */
  finishIncomplete(uid: string): RunResult | undefined {
    const run = this.#router.run(uid);
    if (run === undefined || !this.#writers.has(uid)) return undefined;
    run.diagnostics.push(
      diagnostic(
        'RUN_NO_STOP',
        'warning',
        `run ${uid.slice(0, 8)} has no stop document: written as incomplete`,
        { run: uid, ...(run.source ? { file: run.source.log } : {}) },
        'the run was interrupted, or its log is incomplete',
      ),
    );
    return this.#finish(run);
  }

  /** Abandons every unfinished run (their temporary files are removed). */
  abandonAll(): string[] {
    const uids = [...this.#writers.keys()];
    for (const uid of uids) this.#abandon(uid);
    return uids;
  }

  #begin(uid: string): void {
    if (this.#writers.has(uid)) return;
    const run = this.#router.run(uid);
    if (run === undefined || run.stop !== undefined) return;
    if (this.#options.skip?.(uid) === true) {
      // Already written (a daemon's journal says so): a daemon does not even hold its documents.
      if (this.#options.longRunning) this.#forget(uid);
      return;
    }
    const layout = chooseLayout(run, this.#options);
    if (layout === undefined) {
      // No writer means no RunResult: report it where convertLogs' caller sees it, not only on the run.
      this.report(
        diagnostic(
          'LAYOUT_NO_MATCH',
          'error',
          `no template matches run ${uid.slice(0, 8)} and there is no default template`,
          { run: uid },
          'add a template whose `match` fits this run, or use the shipped default',
        ),
      );
      return;
    }
    const fallback = this.#options.strict === true ? undefined : fallbackFor(layout, this.#options.fallback);
    this.#writers.set(
      uid,
      new RunWriter(run, layout, {
        output: this.#output,
        outRoot: this.#options.outRoot,
        overwrite: this.#options.overwrite ?? false,
        dryRun: this.#options.dryRun ?? false,
        ...(this.#options.registry === undefined ? {} : { registry: this.#options.registry }),
        ...(this.#options.projectionNames === undefined ? {} : { projectionNames: this.#options.projectionNames }),
        ...(fallback === undefined ? {} : { fallback }),
      }),
    );
  }

  #finish(run: Run): RunResult | undefined {
    const writer = this.#writers.get(run.uid);
    if (writer === undefined) return undefined;
    this.#writers.delete(run.uid);
    this.#pendingRows.delete(run.uid);
    // No event, no frame: the run did not finish as planned; its file says so.
    run.diagnostics.push(...completenessProblems(run));
    const result = writer.finish(run);
    if (this.#options.longRunning) this.#forget(run.uid, true);
    else {
      this.results.push(result);
      this.#done.add(run.uid);
    }
    this.#hooks.onResult?.(result);
    return result;
  }

  /** `reportLate`: the run's file was written by this session, so a later copy of its documents is news. */
  #forget(uid: string, reportLate = false): void {
    this.#router.forget(uid, { reportLate });
    for (const [descriptor, owner] of this.#runOfDescriptor)
      if (owner === uid) this.#runOfDescriptor.delete(descriptor);
  }

  /** --strict: a bad document failed the run; nothing is written, and the run is reported as failed (not lost without a word). */
  #failed(run: Run): void {
    const writer = this.#writers.get(run.uid);
    if (writer === undefined) return;
    this.#abandon(run.uid);
    const result: RunResult = {
      uid: run.uid,
      status: 'failed',
      layout: `${writer.layout.name}@${writer.layout.version}`,
      layoutSha256: writer.layout.sha256,
      events: [...run.streams.values()].reduce((n, s) => n + s.length, 0),
      ms: 0,
      incomplete: run.stop === undefined,
      logs: [...run.logs],
      diagnostics: [...run.diagnostics],
    };
    if (typeof run.start.scan_id === 'number') result.scanId = run.start.scan_id;
    if (this.#options.longRunning) this.#forget(run.uid);
    else {
      this.results.push(result);
      this.#done.add(run.uid);
    }
    this.#hooks.onResult?.(result);
  }

  #abandon(uid: string): void {
    this.#writers.get(uid)?.abort();
    this.#writers.delete(uid);
    this.#pendingRows.delete(uid);
  }
}
