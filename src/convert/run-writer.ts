/**
 * Writes one run's file while its documents arrive: the output is opened when
 * the run starts; each whole event column becomes a resizable dataset at the
 * first flush after its stream has a row and is appended to as events come
 * (rows are released once written unless the plan reads them at an index or
 * in a calculation, and so are those of columns the plan never reads in the
 * streams it writes, so memory does not grow with the run); the rest of the
 * plan, and any stream that came after the last flush, is written when the run ends. The file appears at its final path only
 * when complete. A template that fails for the run gives way to the fallback
 * template (see fallback.ts for when the writer decides, and why then).
 */
import { diagnostic, formatDiagnostic, NxlError, toDiagnostic, type Diagnostic } from '../errors.js';
import { evaluateLayout } from '../evaluate/evaluate-layout.js';
import { renderFilePath } from '../evaluate/file-path.js';
import { addProblemsRecord } from '../evaluate/problems-record.js';
import { addTriedTemplate, type TriedTemplate } from '../evaluate/provenance-fallback.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import type { NexusPlan, PlannedAttribute, PlannedGroup } from '../evaluate/models.js';
import type { Layout } from '../layout/models.js';
import type { ColumnHandle, OutputFile, OutputHost } from '../nexus/models.js';
import { readColumnRows } from '../nexus/read-rows.js';
import { writePlan } from '../nexus/write-plan.js';
import { releaseRows } from '../run/column.js';
import { completenessOf, isDataProblem } from '../run/completeness.js';
import type { Run } from '../run/models.js';
import { NXLAYOUT_VERSION } from '../version.js';
import {
  ancestorGroups,
  columnFields,
  columnKey,
  columnOf,
  encodeRows,
  releaseUnread,
  remainingRows,
  type ColumnField,
} from './columns.js';
import { fillUnstorable, fillValueAttribute } from './fill-values.js';
import {
  failureLines,
  fallbackWarning,
  pruneReleased,
  verdict,
  withRecovered,
  type RecoveredColumn,
} from './fallback.js';
import type { RunResult } from './models.js';

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

interface StreamedColumn {
  readonly field: ColumnField;
  readonly handles: ColumnHandle[];
  /** Rows appended to the datasets so far: the writer counts them itself, the column is never told. */
  written: number;
  /** Readings stored as the fill value so far (see fill-values.ts). */
  filled?: number;
}

/**
 * What the columns' plan depends on: the descriptors, and which streams have
 * rows (a column is made once its stream has a row). When it changes, a flush plans again.
 */
function planningKey(run: Run): string {
  let withRows = 0;
  for (const stream of run.streams.values()) if (stream.length > 0) withRows++;
  return `${run.descriptors.length}/${withRows}`;
}

export class RunWriter {
  readonly uid: string;
  /** The template in use: the chosen one, or its fallback once it failed for the run. */
  layout: Layout;
  readonly #options: RunWriterOptions;
  /** Still to fall back to; undefined once used. */
  #fallback: Layout | undefined;
  /** The chosen template resolved at a flush: columns stream under it (a later failure can only fall back in part). */
  #decided = false;
  /** The chosen template and why it failed, once the writer fell back. */
  #tried: TriedTemplate | undefined;
  /** Rows read back from the abandoned file of the template tried, by columnKey (fallback.ts). */
  readonly #recovered = new Map<string, RecoveredColumn>();
  /** While holding (fallback.ts): descriptors and rows at the last look, so a hold is not re-planned at every flush. */
  #held: { descriptors: number; rows: number } | undefined;
  readonly #diagnostics: Diagnostic[] = [];
  #output: OutputFile | undefined;
  /** The final path (also known for a dry run, which opens nothing). */
  #outputPath: string | undefined;
  /** Streamed columns by run column (one run column may feed several datasets). */
  readonly #streamed = new Map<string, StreamedColumn>();
  /** Field paths already created as columns, and the groups created on their way. */
  readonly #written = new Set<string>();
  readonly #groups = new Set<string>();
  #failed = false;
  #finished = false;
  /** When the run's first document (its start) was read: a run's time is from then to its file in place. */
  readonly #startedAt = performance.now();

  constructor(run: Run, layout: Layout, options: RunWriterOptions) {
    this.uid = run.uid;
    this.layout = layout;
    this.#options = options;
    this.#fallback = options.fallback;
    this.#guarded(() => this.#open(run));
  }

  /**
   * Appends the rows that arrived since the last flush. Datasets are created
   * here, at the first flush after a stream's descriptor is known, so a run
   * too small to need a flush gets datasets sized exactly at the end.
   */
  flush(run: Run): void {
    if (this.#output === undefined || this.#failed) return;
    this.#guarded(() => {
      let decided: NexusPlan | undefined;
      if (!this.#decided && this.#fallback !== undefined) {
        decided = this.#decide(run);
        if (decided === undefined) return;
      }
      // The plan that decided is the one the columns are made from: one evaluation at that flush, not two.
      if (planningKey(run) !== this.#planned) this.#createColumns(run, decided);
      this.#appendPending(run);
    });
  }

  /** Writes the rest of the plan and moves the file into place (or, for a dry run, returns the plan). */
  finish(run: Run): RunResult {
    if (this.#finished) throw new NxlError('INTERNAL', `run ${run.uid} finished twice`, { run: run.uid });
    this.#finished = true;
    let plan: NexusPlan | undefined;
    this.#guarded(() => {
      plan = this.#plan(run);
      if (this.#fallback !== undefined && !this.#failed && plan.diagnostics.some((d) => d.severity === 'error'))
        plan = this.#fallBack(run, plan.diagnostics);
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
      // Only append: nothing is released at the end (the plan's columns not streamed are written whole from the run below).
      this.#appendStreamed(run);
      this.#noteFilled(run);
      // The file says whether it is complete, and what went wrong with the run's documents.
      const problems = [...run.diagnostics, ...this.#diagnostics].filter(isDataProblem);
      const root = addProblemsRecord(plan.root, {
        status: completenessOf(problems),
        problems: problems.map((p) => formatDiagnostic(p)),
      });
      writePlan({ ...plan, root }, output.sink, withRecovered(this.#recovered, remainingRows(run)), {
        skip: this.#written,
        existingGroups: this.#groups,
      });
      for (const entry of this.#streamed.values())
        output.sink.setAttributes(entry.field.path, this.#columnAttributes(entry));
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
    // Its diagnostics are not kept here: the plan made in finish() reports the same ones.
    const rendered = renderFilePath(this.layout, run);
    if (rendered.path === undefined) {
      // A file name the start document cannot give is a settled failure: fall back at once.
      if (this.#fallback !== undefined) this.#fallBack(run, rendered.diagnostics);
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

  #plan(run: Run): NexusPlan {
    const { registry, projectionNames } = this.#options;
    const plan = evaluateLayout(this.layout, run, {
      ...(registry === undefined ? {} : { registry }),
      ...(projectionNames === undefined ? {} : { projectionNames }),
      provenance: { nxlayoutVersion: NXLAYOUT_VERSION },
    });
    return this.#tried === undefined ? plan : { ...plan, root: addTriedTemplate(plan.root, this.#tried) };
  }

  /**
   * Before the first column is streamed: may the chosen template stream now?
   * It resolves: yes (no fallback any more). It fails for good: switch to the
   * fallback now, nothing being written yet. It fails for want of documents
   * still to come: hold (undefined) until it resolves or the run ends.
   * Returns the plan of the template that streams (the chosen one, or the fallback).
   */
  #decide(run: Run): NexusPlan | undefined {
    let rows = 0;
    for (const stream of run.streams.values()) rows += stream.length;
    const held = this.#held;
    if (held !== undefined && held.descriptors === run.descriptors.length && rows < 2 * held.rows) return undefined;
    const plan = this.#plan(run);
    switch (verdict(plan.diagnostics)) {
      case 'resolves':
        this.#decided = true;
        this.#held = undefined;
        return plan;
      case 'hold':
        this.#held = { descriptors: run.descriptors.length, rows: Math.max(rows, 1) };
        return undefined;
      case 'switch': {
        const next = this.#fallBack(run, plan.diagnostics);
        return this.#output === undefined ? undefined : next;
      }
    }
  }

  /**
   * The chosen template failed (`problems` say why): start the file again with
   * the fallback, and return the fallback's plan. Columns already streamed
   * (a failure that appeared after streaming began) cannot be written again:
   * fields whose rows were released are left out and named.
   */
  #fallBack(run: Run, problems: readonly Diagnostic[]): NexusPlan {
    const fallback = this.#fallback!;
    const tried = this.layout;
    const failures = failureLines(problems);
    this.#fallback = undefined;
    this.#decided = true;
    this.#held = undefined;
    this.#tried = { layout: tried, failures };
    this.layout = fallback;
    if (this.#output !== undefined && this.#streamed.size > 0) this.#recover(run);
    this.#output?.abort();
    this.#output = undefined;
    this.#outputPath = undefined;
    this.#streamed.clear();
    this.#written.clear();
    this.#groups.clear();
    this.#planned = '';
    this.#kept = undefined;
    this.#open(run);
    const next = this.#plan(run);
    const pruned = pruneReleased(next.root, run, this.#recovered);
    this.#diagnostics.push(fallbackWarning(run, tried, fallback, failures, pruned.leftOut));
    return { ...next, root: pruned.root };
  }

  /** The run's descriptors and streams with rows when columns were last planned (planningKey). */
  #planned = '';

  /** Columns whose rows the plan reads (an index, a calculation): never released. Undefined until planned. */
  #kept: Set<string> | undefined;

  /** `plan`: the run's plan made at this flush already (by #decide), if any. */
  #createColumns(run: Run, plan: NexusPlan = this.#plan(run)): void {
    this.#planned = planningKey(run);
    this.#kept = new Set(plan.readColumns.map((c) => columnKey({ kind: 'column', ...c })));
    for (const field of columnFields(plan.root)) {
      // A stream without rows yet waits for its first one: its row shape may come from it (a data key declaring [] for an array).
      if (this.#written.has(field.path) || (columnOf(run, field.value)?.length ?? 0) === 0) continue;
      this.#createColumn(plan.root, field);
    }
  }

  #appendPending(run: Run): void {
    this.#appendStreamed(run);
    if (this.#kept !== undefined) releaseUnread(run, this.#kept, this.#streamed);
  }

  /**
   * Appends each streamed column's rows not yet written. A column the plan
   * also reads (an index, a calculation: `#kept`) keeps its rows in the run
   * (the writer only counts what it wrote); any other is released once written.
   */
  #appendStreamed(run: Run): void {
    const sink = this.#output!.sink;
    for (const [key, entry] of this.#streamed) {
      const column = columnOf(run, entry.field.value);
      if (column === undefined || column.length === entry.written) continue;
      if (entry.written < column.offset) {
        throw new NxlError(
          'INTERNAL',
          `rows ${entry.written}..${column.offset - 1} of ${entry.field.value.stream}/${entry.field.value.field} were released before ${entry.field.path} was written`,
          { run: run.uid, nexusPath: entry.field.path },
          { hint: 'this is a bug in nxlayout: please report it' },
        );
      }
      const keep = this.#kept?.has(key) === true;
      const from = entry.written - column.offset;
      const held = keep ? column.rows : releaseRows(column).rows;
      entry.written = column.length;
      const { rows, filled } = fillUnstorable(
        encodeRows(entry.field.value, keep || from > 0 ? held.slice(from) : held),
        entry.field.dtype,
      );
      if (filled > 0) entry.filled = (entry.filled ?? 0) + filled;
      for (const handle of entry.handles) sink.appendRows(handle, rows);
    }
  }

  /** A warning per streamed column some of whose readings were stored as its fill value. */
  #noteFilled(run: Run): void {
    for (const entry of this.#streamed.values()) {
      const attribute = entry.filled === undefined ? undefined : fillValueAttribute(entry.field.dtype);
      if (attribute === undefined) continue;
      const { stream, field } = entry.field.value;
      this.#diagnostics.push(
        diagnostic(
          'RUN_READING_TYPE',
          'warning',
          `${stream}/${field}: ${entry.filled} reading(s) that ${entry.field.dtype} cannot hold (missing, NaN, a fraction…) came after the dataset was made from the first rows: written as the fill value ${String(attribute.data[0])} (@_FillValue)`,
          { run: run.uid, stream, field, nexusPath: entry.field.path },
          'the events are named in the RUN_READING_TYPE warnings of this field; readers mask the fill value',
        ),
      );
    }
  }

  /** A streamed column's attributes, with `_FillValue` when readings were filled. */
  #columnAttributes(entry: StreamedColumn): PlannedAttribute[] {
    const attribute = entry.filled === undefined ? undefined : fillValueAttribute(entry.field.dtype);
    if (attribute === undefined) return entry.field.attributes;
    return [...entry.field.attributes.filter((a) => a.name !== '_FillValue'), attribute];
  }

  /**
   * Falling back after columns were streamed: the file being given up holds
   * every row of those columns (once the pending ones are appended, and
   * nothing more is released); they are read back from it before it is removed.
   */
  #recover(run: Run): void {
    const output = this.#output!;
    this.#appendStreamed(run);
    output.sink.close();
    for (const [key, entry] of this.#streamed) {
      const { dtype, shape, value } = entry.field;
      this.#recovered.set(key, {
        dtype,
        rowShape: shape.slice(1),
        encoding: value.encoding,
        rows: readColumnRows(output.tempPath, entry.field.path),
      });
    }
  }

  #createColumn(root: PlannedGroup, field: ColumnField): void {
    const sink = this.#output!.sink;
    for (const group of ancestorGroups(root, field.path)) {
      if (this.#groups.has(group.path)) continue;
      sink.createGroup(
        group.path,
        group.nxClass === undefined ? [] : [{ name: 'NX_class', dtype: 'string', shape: [], data: [group.nxClass] }],
      );
      this.#groups.add(group.path);
    }
    const handle = sink.createColumn(field.path, field.dtype, field.shape.slice(1), [], field.storage);
    this.#written.add(field.path);
    const key = columnKey(field.value);
    const entry = this.#streamed.get(key);
    if (entry === undefined) this.#streamed.set(key, { field, handles: [handle], written: 0 });
    else entry.handles.push(handle);
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
    let events = 0;
    for (const stream of run.streams.values()) events += stream.length;
    const status = this.#failed ? 'failed' : this.#options.dryRun ? 'planned' : 'written';
    const result: RunResult = {
      uid: run.uid,
      status,
      layout: `${this.layout.name}@${this.layout.version}`,
      layoutSha256: this.layout.sha256,
      ...(this.#tried === undefined
        ? {}
        : { fallbackFrom: `${this.#tried.layout.name}@${this.#tried.layout.version}` }),
      events,
      ms: Math.round(performance.now() - this.#startedAt),
      incomplete: run.stop === undefined,
      completeness: completenessOf([...run.diagnostics, ...this.#diagnostics]),
      logs: [...run.logs],
      diagnostics: [...run.diagnostics, ...this.#diagnostics],
    };
    if (typeof run.start.scan_id === 'number') result.scanId = run.start.scan_id;
    if (this.#outputPath !== undefined) result.file = this.#outputPath;
    // Only a dry run hands its plan back: a daemon's results must not hold every file's tree.
    if (plan !== undefined && this.#options.dryRun) result.plan = plan;
    return result;
  }
}
