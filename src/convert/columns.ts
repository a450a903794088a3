/** The run columns a plan's whole-column fields read, and their rows as the datasets take them. */
import type { ColumnValue, PlanGroup, PlanNode } from '../evaluate/models.js';
import { NxlError } from '../errors.js';
import type { ColumnSource } from '../nexus/models.js';
import { columnKeyOf } from '../run/column.js';
import type { Column, ColumnRows, Run } from '../run/models.js';

/** The groups on the way from the root to `path` (exclusive), as planned. */
export function ancestorGroups(root: PlanGroup, path: string): PlanGroup[] {
  const chain: PlanGroup[] = [];
  let group: PlanGroup | undefined = root;
  const parts = path.split('/').filter((p) => p !== '');
  for (let i = 0; i < parts.length - 1 && group !== undefined; i++) {
    const childPath: string = '/' + parts.slice(0, i + 1).join('/');
    const next: PlanNode | undefined = group.children.find((c) => c.path === childPath);
    group = next !== undefined && next.kind === 'group' ? next : undefined;
    if (group !== undefined) chain.push(group);
  }
  return chain;
}

/** One key per run column: a stream's time and seq_num columns are the same whatever field names them. */
export function columnKey(value: Pick<ColumnValue, 'stream' | 'field' | 'part'>): string {
  return columnKeyOf(value.stream, value.field, value.part);
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
export function encodeRows(value: ColumnValue, rows: ColumnRows): ColumnRows {
  const offset = value.offset;
  // A typed column's map stays typed: numbers less a number are numbers.
  if (offset !== undefined)
    return rows instanceof Float64Array
      ? rows.map((row) => row - offset)
      : rows.map((row) => (typeof row === 'number' ? row - offset : row));
  if (value.encoding !== 'json') return rows;
  return Array.from(rows, (row: unknown) => (row === undefined || row === null ? '' : JSON.stringify(row)));
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
      // writePlan takes arrays: a typed column (its rows never streamed) is copied into one here.
      const rows = encodeRows(value, column.rows);
      yield rows instanceof Float64Array ? Array.from(rows) : rows;
    },
  };
}
