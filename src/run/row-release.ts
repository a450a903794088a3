/**
 * Who lets a run's rows go: the accumulator, never the writer. A writer that
 * streams columns out tells it once per plan which columns must stay whole
 * (read at an index, or in a calculation) and which it streams; after each
 * flush it says how far it has written. Rows of a streamed column go once
 * written unless retained; rows of a column the plan neither streams nor
 * reads, in a stream the plan writes, go at the next flush (first, last and
 * stats stay: all the plan asks of them). A stream the plan does not write
 * yet (a template that names its streams from the stop document) keeps every
 * row for the end, and so does every column until a plan says otherwise.
 */
import { columnKeyOf, letRowsGo, type ColumnPartName, type MutableColumn } from './column.js';
import type { ColumnKey, RetentionPolicy, RowRelease } from './models.js';

/** Every column of the run, with its stream and key (the accumulator's own, mutable view). */
export interface HeldColumn {
  readonly stream: string;
  readonly key: ColumnKey;
  readonly column: MutableColumn;
}

/** One stream's columns as HeldColumns. */
export function* heldColumns(
  stream: string,
  time: MutableColumn,
  seqNum: MutableColumn,
  fields: Iterable<readonly [string, { values: MutableColumn; timestamps: MutableColumn }]>,
): Iterable<HeldColumn> {
  const held = (field: string, part: ColumnPartName, column: MutableColumn): HeldColumn => ({
    stream,
    key: columnKeyOf(stream, field, part),
    column,
  });
  yield held('', 'time', time);
  yield held('', 'seq_num', seqNum);
  for (const [field, columns] of fields) {
    yield held(field, 'values', columns.values);
    yield held(field, 'timestamps', columns.timestamps);
  }
}

export class ColumnRowRelease implements RowRelease {
  readonly #columns: () => Iterable<HeldColumn>;
  #policy: RetentionPolicy | undefined;

  constructor(columns: () => Iterable<HeldColumn>) {
    this.#columns = columns;
  }

  retain(policy: RetentionPolicy | undefined): void {
    this.#policy = policy;
  }

  written(progress: ReadonlyMap<ColumnKey, number>): void {
    const policy = this.#policy;
    if (policy === undefined) return;
    for (const { stream, key, column } of this.#columns()) {
      if (policy.retained.has(key) || column.rows.length === 0) continue;
      const upTo = progress.get(key);
      if (upTo !== undefined) letRowsGo(column, upTo);
      else if (!policy.streamed.has(key) && policy.streams.has(stream)) letRowsGo(column, column.length);
    }
  }
}
