/**
 * What the accumulator reports and drops of an event's readings: the
 * RUN_READING_TYPE warning for a reading its data key does not describe,
 * and an event_page without the events it already has (duplicate uids).
 */
import type { DocumentSource, EventPage, NamedDocument } from '../documents/models.js';
import { diagnostic, type Diagnostic } from '../errors.js';
import { joinPointer } from '../json-pointer.js';
import { describeValue, type ReadingRepair } from './reading-type.js';
import { documentLocation } from './document-diagnostic.js';

/** Readings of the wrong type reported one by one per field; later ones are replaced as quietly. */
export const REPAIRS_LISTED = 10;

/** The warning for one repaired reading; `listed`: how many of its field were reported before. */
export function repairDiagnostic(
  run: string,
  stream: string,
  r: ReadingRepair,
  event: { readonly uid: unknown; readonly seqNum: unknown; readonly listed: number },
  named: NamedDocument,
  at: DocumentSource | undefined,
): Diagnostic {
  const { uid, seqNum, listed } = event;
  const which =
    typeof uid === 'string' ? `event ${uid} (seq_num ${String(seqNum)})` : `the event of seq_num ${String(seqNum)}`;
  const declared = r.expect === 'integer' ? 'an integer' : `a ${r.expect}`;
  const what = r.replaced
    ? `${stream}/${r.field}: ${which} has ${describeValue(r.value)} where the data key declares ${declared}: written as ${r.expect === 'string' ? 'its JSON text' : 'a missing reading (NaN, or the fill value of an integer column)'}`
    : Array.isArray(r.value)
      ? `${stream}/${r.field}: ${which} has ${describeValue(r.value)} where the data key declares a scalar: the column is written as read (see its shape)`
      : `${stream}/${r.field}: ${which} has ${describeValue(r.value)} where the data key declares an integer: kept (the column is written as float64, or this reading as the fill value once the column is streamed as integers)`;
  const more =
    listed + 1 === REPAIRS_LISTED
      ? ` (${REPAIRS_LISTED} reported; later ones in this field are handled the same way without a report each)`
      : '';
  const location = {
    ...documentLocation(named, at, run, joinPointer('/data', r.field)),
    stream,
    field: r.field,
  };
  if (typeof uid === 'string') location.document = { name: 'event', uid };
  return diagnostic(
    'RUN_READING_TYPE',
    'warning',
    what + more,
    location,
    'the device sent a reading its data key does not describe; fix the device or its data key',
  );
}

/** `page` without the events at the indices of `skip`. */
export function pageWithout(page: EventPage, skip: ReadonlySet<number>): EventPage {
  const keep = <T>(values: ArrayLike<T>): T[] => Array.from(values).filter((_, i) => !skip.has(i));
  const columns = <T>(record: Record<string, ArrayLike<T>>): Record<string, T[]> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, keep(v)]));
  const kept: EventPage = {
    ...page,
    uid: keep(Array.isArray(page.uid) ? page.uid : []),
    seq_num: keep(page.seq_num),
    time: keep(page.time),
    data: columns(page.data),
    timestamps: columns(page.timestamps),
  };
  if (page.filled !== undefined) kept.filled = columns(page.filled);
  return kept;
}
