/**
 * The columns a run writer streams: each whole event column of the plan
 * becomes a resizable dataset once its stream has a row (its first row may
 * give the row shape), and the rows that arrive are appended to it at each
 * flush. The streamer only reads the run's columns and counts what it
 * wrote; which rows may go it tells the run's accumulator (RowRelease),
 * which alone lets them go.
 */
import { diagnostic, NxlError, type Diagnostic } from '../errors.js';
import type { PlanGroup, PlannedAttribute, PlannedGroup, PlannedNode } from '../evaluate/models.js';
import type { ColumnField, LayoutPlan } from '../evaluate/plan-layout.js';
import type { ColumnHandle, NexusSink } from '../nexus/models.js';
import { readColumnRows } from '../nexus/read-rows.js';
import type { RetentionPolicy, Run } from '../run/models.js';
import { ancestorGroups, columnKey, columnOf, encodeRows } from './columns.js';
import type { RecoveredColumn } from './fallback.js';
import { fillUnstorable, fillValueAttribute } from './fill-values.js';

interface StreamedColumn {
  readonly field: ColumnField;
  readonly handles: ColumnHandle[];
  /** Rows appended to the datasets so far: the streamer counts them itself, the column is never told. */
  written: number;
  /** Readings stored as the fill value so far (see fill-values.ts). */
  filled?: number;
}

export class ColumnStreamer {
  /** Streamed columns by run column (one run column may feed several datasets). */
  readonly #streamed = new Map<string, StreamedColumn>();
  /** Field paths created as columns (writePlan skips them), and the groups created on their way. */
  readonly written = new Set<string>();
  readonly groups = new Set<string>();

  get size(): number {
    return this.#streamed.size;
  }

  /** Creates the datasets of the plan's columns whose stream has a row and that are not created yet. */
  create(plan: LayoutPlan, run: Run, sink: NexusSink): void {
    for (const field of plan.columns) {
      if (this.written.has(field.path) || (columnOf(run, field.value)?.length ?? 0) === 0) continue;
      this.#createColumn(plan.root, field, sink);
    }
  }

  /** What the run's accumulator keeps under `plan` (told once per plan); undefined: every row. */
  policy(plan: LayoutPlan): RetentionPolicy | undefined {
    if (plan.retainsAll) return undefined;
    const streams = new Set<string>();
    for (const entry of this.#streamed.values()) streams.add(entry.field.value.stream);
    return {
      retained: new Set(plan.retained.map(columnKey)),
      streamed: new Set(this.#streamed.keys()),
      streams,
    };
  }

  /** Rows written of each streamed column, by column key (for RowRelease.written). */
  progress(): Map<string, number> {
    const progress = new Map<string, number>();
    for (const [key, entry] of this.#streamed) progress.set(key, entry.written);
    return progress;
  }

  /** Appends each streamed column's rows not yet written. */
  append(run: Run, sink: NexusSink): void {
    for (const entry of this.#streamed.values()) {
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
      const from = entry.written - column.offset;
      const upTo = column.length;
      entry.written = upTo;
      const { rows, filled } = fillUnstorable(
        encodeRows(entry.field.value, column.rows.slice(from, upTo - column.offset)),
        entry.field.dtype,
      );
      if (filled > 0) entry.filled = (entry.filled ?? 0) + filled;
      for (const handle of entry.handles) sink.appendRows(handle, rows);
    }
  }

  /** A warning per streamed column some of whose readings were stored as its fill value. */
  filledWarnings(run: Run): Diagnostic[] {
    const found: Diagnostic[] = [];
    for (const entry of this.#streamed.values()) {
      const attribute = entry.filled === undefined ? undefined : fillValueAttribute(entry.field.dtype);
      if (attribute === undefined) continue;
      const { stream, field } = entry.field.value;
      found.push(
        diagnostic(
          'RUN_READING_TYPE',
          'warning',
          `${stream}/${field}: ${entry.filled} reading(s) that ${entry.field.dtype} cannot hold (missing, NaN, a fraction…) came after the dataset was made from the first rows: written as the fill value ${String(attribute.data[0])} (@_FillValue)`,
          { run: run.uid, stream, field, nexusPath: entry.field.path },
          'the events are named in the RUN_READING_TYPE warnings of this field; readers mask the fill value',
        ),
      );
    }
    return found;
  }

  /**
   * Sets each streamed column's attributes as resolved at the stop (`root`:
   * the resolved tree; deferred attributes have their values only there),
   * with `_FillValue` when readings were filled.
   */
  setAttributes(sink: NexusSink, root: PlannedGroup): void {
    const nodes = new Map<string, PlannedNode>();
    const visit = (node: PlannedNode): void => {
      nodes.set(node.path, node);
      if (node.kind === 'group') node.children.forEach(visit);
    };
    visit(root);
    for (const entry of this.#streamed.values()) {
      const resolved = nodes.get(entry.field.path);
      sink.setAttributes(entry.field.path, attributesOf(entry, resolved?.attributes ?? entry.field.attributes));
    }
  }

  /**
   * The rows of every streamed column, read back from the file given up
   * (`tempPath`, closed): the fallback gets them as they were written.
   */
  recover(tempPath: string): Map<string, RecoveredColumn> {
    const recovered = new Map<string, RecoveredColumn>();
    for (const [key, entry] of this.#streamed) {
      const { dtype, shape, value } = entry.field;
      recovered.set(key, {
        dtype,
        rowShape: shape.slice(1),
        encoding: value.encoding,
        rows: readColumnRows(tempPath, entry.field.path),
      });
    }
    return recovered;
  }

  clear(): void {
    this.#streamed.clear();
    this.written.clear();
    this.groups.clear();
  }

  #createColumn(root: PlanGroup, field: ColumnField, sink: NexusSink): void {
    for (const group of ancestorGroups(root, field.path)) {
      if (this.groups.has(group.path)) continue;
      sink.createGroup(
        group.path,
        group.nxClass === undefined ? [] : [{ name: 'NX_class', dtype: 'string', shape: [], data: [group.nxClass] }],
      );
      this.groups.add(group.path);
    }
    const handle = sink.createColumn(field.path, field.dtype, field.shape.slice(1), [], field.storage);
    this.written.add(field.path);
    const key = columnKey(field.value);
    const entry = this.#streamed.get(key);
    if (entry === undefined) this.#streamed.set(key, { field, handles: [handle], written: 0 });
    else entry.handles.push(handle);
  }
}

function attributesOf(entry: StreamedColumn, attributes: readonly PlannedAttribute[]): PlannedAttribute[] {
  const attribute = entry.filled === undefined ? undefined : fillValueAttribute(entry.field.dtype);
  if (attribute === undefined) return [...attributes];
  return [...attributes.filter((a) => a.name !== '_FillValue'), attribute];
}
