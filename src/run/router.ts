/**
 * Routes the documents of interleaved runs (one log or several) to one
 * RunAccumulator per run uid: events by descriptor, datums by resource,
 * stream_datums by descriptor. Each document is validated first.
 *
 * Default: a bad document is reported, skipped, and its run flagged.
 * strict: the first bad document fails its run (the rest of that run is
 * dropped); other runs go on.
 */
import { KEPT, validateDocument } from '../documents/validate.js';
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../errors.js';
import { RunAccumulator } from './accumulator.js';
import type { Run } from './models.js';
import { ForgottenRuns } from './forgotten-runs.js';
import { OrphanReports } from './orphan-reports.js';

export { FORGOTTEN_RUNS } from './forgotten-runs.js';

export interface RunRouterOptions {
  /** A bad document fails its run instead of only flagging it. */
  strict?: boolean;
  /** Validate each document against event-model's schemas (default true). */
  validate?: boolean;
  /** Called once per run, when its stop document has been added. */
  onRunComplete?: (run: Run) => void;
  /** strict: called once per run, when a bad document failed it. */
  onRunFailed?: (run: Run, reason: Diagnostic) => void;
}

type Doc = Record<string, unknown>;

/** Under --strict a schema warning (a usable document outside the exact schema) is an error, as event-model has it. */
function strictly(d: Diagnostic): Diagnostic {
  if (d.code !== 'DOC_SCHEMA' || d.severity !== 'warning') return d;
  const hint = d.hint?.replace(KEPT, '--strict: a document outside the exact schema is dropped and fails its run');
  return { ...d, severity: 'error', ...(hint === undefined ? {} : { hint }) };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export class RunRouter {
  /** Problems that belong to no run (unknown start/descriptor/resource, unreadable items). */
  readonly diagnostics: Diagnostic[] = [];
  readonly #options: RunRouterOptions;
  /** Insertion order is start order. */
  readonly #runs = new Map<string, RunAccumulator>();
  readonly #byDescriptor = new Map<string, RunAccumulator>();
  readonly #byResource = new Map<string, RunAccumulator>();
  /** Unknown references: one diagnostic each, not one per event. */
  readonly #orphans = new OrphanReports();
  /** Runs forgotten after they were finished (a daemon must not hold every run it served). */
  readonly #forgotten = new ForgottenRuns();
  /** The run most recently started and not yet stopped (legacy resources carry no run_start). */
  #current: RunAccumulator | undefined;

  constructor(options: RunRouterOptions = {}) {
    this.#options = options;
  }

  /**
   * Validates, routes and adds one document; returns the problems it raised.
   * `validation`: the schema problems a reader already found (it checked the
   * document), used instead of checking it again.
   */
  push(named: NamedDocument, at?: DocumentSource, validation?: Diagnostic[]): Diagnostic[] {
    if (this.#forgotten.runs > 0) {
      const gone = this.#forgotten.runOfDocument(named);
      if (gone !== undefined) return this.#noted(this.#forgotten.lateProblem(gone, named, at));
    }
    const checked = this.#options.validate === false ? [] : (validation ?? validateDocument(named, at));
    // A usable document outside the exact schema is a warning; --strict holds documents to the schema exactly.
    const problems = this.#options.strict ? checked.map(strictly) : checked;
    const target = this.#route(named);
    if (problems.some((d: Diagnostic) => d.severity === 'error')) {
      if (target === undefined) this.diagnostics.push(...problems);
      else this.#reject(target, problems);
      return problems;
    }
    if (named.name === 'start') return [...problems, ...this.#start(named, at, problems)];
    if (target === undefined) {
      this.diagnostics.push(...problems);
      return [...problems, ...this.#noted(this.#orphans.problem(named, at))];
    }
    if (target.isFailed) return problems;
    if (problems.length > 0) target.report(problems);
    const found = target.push(named, at);
    if (found.length > 0) {
      if (this.#options.strict) this.#fail(target, found[0]);
      return [...problems, ...found];
    }
    this.#index(named, target);
    return problems;
  }

  /**
   * Drops a finished run and everything indexed for it; its later documents are
   * ignored — quietly, or with `reportLate` (a run whose file this session
   * wrote) reported once per run and kind (RUN_REPLAYED, RUN_AFTER_STOP).
   */
  forget(uid: string, options: { reportLate?: boolean } = {}): void {
    const acc = this.#runs.get(uid);
    if (acc === undefined) return;
    this.#runs.delete(uid);
    const keys: string[] = [];
    for (const [key, target] of this.#byDescriptor)
      if (target === acc) {
        this.#byDescriptor.delete(key);
        keys.push(key);
      }
    for (const [key, target] of this.#byResource)
      if (target === acc) {
        this.#byResource.delete(key);
        keys.push(key);
      }
    if (this.#current === acc) this.#current = undefined;
    this.#forgotten.add(uid, keys, options.reportLate === true);
  }

  /** Finished runs remembered (so that a late copy of their documents is recognised): at most FORGOTTEN_RUNS. */
  get forgottenRuns(): number {
    return this.#forgotten.runs;
  }

  /** Uids remembered for the forgotten runs (theirs, their descriptors' and resources'). */
  get forgottenKeys(): number {
    return this.#forgotten.keys;
  }

  /** Records a problem of the log itself (unparsable item…): it belongs to no run. */
  report(problem: Diagnostic): void {
    this.diagnostics.push(problem);
  }

  /** The input ended (batch reading): each run still without a stop gets a RUN_NO_STOP warning. */
  finish(): void {
    for (const acc of this.#runs.values()) {
      if (acc.isComplete || acc.isFailed) continue;
      const logs = acc.snapshot().logs;
      acc.report([
        diagnostic(
          'RUN_NO_STOP',
          'warning',
          `run ${acc.uid} has no stop document: the log ended before the run did`,
          { file: logs[logs.length - 1], run: acc.uid },
          'the run may still be in progress, or its stop was lost; its file can be written once the stop arrives',
        ),
      ]);
    }
  }

  /** Every run, in start order. */
  runs(): Run[] {
    return [...this.#runs.values()].map((acc) => acc.snapshot());
  }

  run(uid: string): Run | undefined {
    return this.#runs.get(uid)?.snapshot();
  }

  #start(
    named: Extract<NamedDocument, { name: 'start' }>,
    at: DocumentSource | undefined,
    warnings: Diagnostic[],
  ): Diagnostic[] {
    const existing = this.#runs.get(named.doc.uid);
    if (existing !== undefined) {
      const found = existing.push(named, at);
      if (this.#options.strict && found.length > 0) this.#fail(existing, found[0]);
      return found;
    }
    const acc = new RunAccumulator(named.doc, at);
    if (warnings.length > 0) acc.report(warnings);
    this.#runs.set(named.doc.uid, acc);
    this.#current = acc;
    return [];
  }

  /** The run a document belongs to, from whatever of its references is usable (even in an invalid document). */
  #route(named: NamedDocument): RunAccumulator | undefined {
    const doc = named.doc as unknown as Doc;
    switch (named.name) {
      case 'start':
        return this.#runs.get(str(doc.uid) ?? '');
      case 'descriptor':
      case 'stop':
        return this.#runs.get(str(doc.run_start) ?? '');
      case 'resource':
      case 'stream_resource': {
        const runStart = str(doc.run_start);
        if (runStart !== undefined) return this.#runs.get(runStart);
        return this.#current !== undefined && !this.#current.isComplete ? this.#current : undefined;
      }
      case 'event':
      case 'event_page':
        return this.#byDescriptor.get(str(doc.descriptor) ?? '');
      case 'datum':
      case 'datum_page':
        return this.#byResource.get(str(doc.resource) ?? '');
      case 'stream_datum':
        return (
          this.#byDescriptor.get(str(doc.descriptor) ?? '') ?? this.#byResource.get(str(doc.stream_resource) ?? '')
        );
    }
  }

  #index(named: NamedDocument, target: RunAccumulator): void {
    switch (named.name) {
      case 'descriptor':
        this.#byDescriptor.set(named.doc.uid, target);
        break;
      case 'resource':
      case 'stream_resource':
        this.#byResource.set(named.doc.uid, target);
        break;
      case 'stop':
        if (this.#current === target) this.#current = undefined;
        this.#options.onRunComplete?.(target.snapshot());
        break;
      default:
        break;
    }
  }

  #reject(target: RunAccumulator, problems: Diagnostic[]): void {
    if (target.isFailed) return;
    target.report(problems);
    if (this.#options.strict) this.#fail(target, problems.find((d) => d.severity === 'error')!);
  }

  #fail(target: RunAccumulator, reason: Diagnostic): void {
    target.fail(reason);
    this.#options.onRunFailed?.(target.snapshot(), reason);
  }

  /** A problem of no run, when there is one: kept in `diagnostics`, and returned. */
  #noted(d: Diagnostic | undefined): Diagnostic[] {
    if (d === undefined) return [];
    this.diagnostics.push(d);
    return [d];
  }
}
