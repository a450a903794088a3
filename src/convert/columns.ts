/** The whole-column fields of a plan, the run columns they read, and which of their rows are released. */
import type { ColumnValue, PlannedField, PlannedGroup, PlannedNode } from '../evaluate/models.js';
import { NxlError } from '../errors.js';
import type { ColumnPart } from '../layout/models.js';
import type { ColumnSource } from '../nexus/models.js';
import { releaseRows } from '../run/column.js';
import type { Column, Run } from '../run/models.js';

export type ColumnField = PlannedField & { readonly value: ColumnValue };

/** Every field of the plan whose value is a whole event column, in tree order. */
export function columnFields(root: PlannedGroup): ColumnField[] {
  const found: ColumnField[] = [];
  const visit = (node: PlannedNode): void => {
    if (node.kind === 'group') node.children.forEach(visit);
    else if (node.kind === 'field' && node.value.kind === 'column') found.push(node as ColumnField);
  };
  visit(root);
  return found;
}

/** The groups on the way from the root to `path` (exclusive), as planned. */
export function ancestorGroups(root: PlannedGroup, path: string): PlannedGroup[] {
  const chain: PlannedGroup[] = [];
  let group: PlannedGroup | undefined = root;
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length - 1 && group !== undefined; i++) {
    const childPath: string = '/' + parts.slice(0, i + 1).join('/');
    const next: PlannedNode | undefined = group.children.find((c) => c.path === childPath);
    group = next !== undefined && next.kind === 'group' ? next : undefined;
    if (group !== undefined) chain.push(group);
  }
  return chain;
}

/** One key per run column: a stream's time and seq_num columns are the same whatever field names them. */
export function columnKey(value: ColumnValue): string {
  const field = value.part === 'time' || value.part === 'seq_num' ? '' : value.field;
  return `${value.stream}\u0000${field}\u0000${value.part}`;
}

/** The run column a column value reads, if the run has it. */
export function columnOf(run: Run, value: ColumnValue): Column | undefined {
  const stream = run.streams.get(value.stream);
  if (stream === undefined) return undefined;
  switch (value.part) {
    case 'time':
      return stream.time;
    case 'seq_num':
      return stream.seqNum;
    case 'timestamps':
      return stream.fields.get(value.field)?.timestamps;
    case 'values':
      return stream.fields.get(value.field)?.values;
  }
}

/** Rows as the dataset takes them: JSON text per row for columns planned with `encoding: 'json'`; less the offset of a relative time. */
export function encodeRows(value: ColumnValue, rows: unknown[]): unknown[] {
  const offset = value.offset;
  if (offset !== undefined) return rows.map((row) => (typeof row === 'number' ? row - offset : row));
  if (value.encoding !== 'json') return rows;
  return rows.map((row) => (row === undefined || row === null ? '' : JSON.stringify(row)));
}

/**
 * Rows of columns the plan neither writes whole (`streamed`, by columnKey) nor
 * reads (`kept`) are released (a stream's time and seq_num under the default
 * template…): only their first, last and stats stay, which is all the plan asks of them.
 * Only in streams the plan streams a column of: a stream it does not write yet
 * (a template that names its streams from the stop document) keeps every row for the end.
 */
export function releaseUnread(
  run: Run,
  kept: ReadonlySet<string>,
  streamed: ReadonlyMap<string, { readonly field: ColumnField }>,
): void {
  const planned = new Set<string>();
  for (const entry of streamed.values()) planned.add(entry.field.value.stream);
  const release = (stream: string, field: string, part: ColumnPart, column: Column): void => {
    if (column.rows.length === 0) return;
    const key = columnKey({ kind: 'column', stream, field, part });
    if (!kept.has(key) && !streamed.has(key)) releaseRows(column);
  };
  for (const [name, stream] of run.streams) {
    if (!planned.has(name)) continue;
    release(name, '', 'time', stream.time);
    release(name, '', 'seq_num', stream.seqNum);
    for (const [field, columns] of stream.fields) {
      release(name, field, 'values', columns.values);
      release(name, field, 'timestamps', columns.timestamps);
    }
  }
}

/** Rows of columns that were not streamed (they appeared only in the final plan): still held by the run. */
export function remainingRows(run: Run): ColumnSource {
  return {
    *rows(stream, field, part, encoding) {
      const value = { kind: 'column', stream, field, part, ...(encoding === undefined ? {} : { encoding }) } as const;
      const column = columnOf(run, value);
      if (column === undefined) return;
      if (column.offset > 0) {
        throw new NxlError(
          'EVAL_INDEX_MISSING',
          `rows of ${stream}/${field} were already released`,
          { run: run.uid, stream, field },
          { hint: 'this is a bug in nxlayout: please report it' },
        );
      }
      yield encodeRows(value, column.rows);
    },
  };
}
