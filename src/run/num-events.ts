/** The stop's num_events checked against the events read. */
import type { DocumentSource, NamedDocument, StreamDatum } from '../documents/models.js';
import { diagnostic } from '../errors.js';
import type { Diagnostic } from '../errors.js';
import { documentLocation } from './document-diagnostic.js';
import type { Stream } from './models.js';

/**
 * Events per stream as read: the events; for external data written as
 * stream_datums (whose events may be absent), also the last seq_num they
 * cover. Producers count either way: a stop agreeing with one is right.
 * `streamOf`: the stream name of a descriptor uid.
 */
export function eventCounts(
  streams: ReadonlyMap<string, Stream>,
  streamDatums: readonly StreamDatum[],
  streamOf: (descriptor: string) => string | undefined,
): Map<string, number[]> {
  const counts = new Map([...streams].map(([name, stream]) => [name, [stream.length]]));
  for (const sd of streamDatums) {
    const name = streamOf(sd.descriptor);
    const last = typeof sd.seq_nums?.stop === 'number' ? sd.seq_nums.stop - 1 : 0;
    const seen = name === undefined ? undefined : counts.get(name);
    if (seen !== undefined && last > (seen[1] ?? 0)) seen[1] = last;
  }
  return counts;
}

/**
 * The stop's `num_events` against the events read, per stream: one warning
 * naming every stream that disagrees (the file holds the events read).
 */
export function numEventsProblem(
  named: Extract<NamedDocument, { name: 'stop' }>,
  at: DocumentSource | undefined,
  uid: string,
  read: ReadonlyMap<string, readonly number[]>,
): Diagnostic | undefined {
  const claimed = named.doc.num_events;
  if (claimed === undefined || claimed === null || typeof claimed !== 'object') return undefined;
  const streams = new Set([...Object.keys(claimed), ...read.keys()]);
  const off: string[] = [];
  for (const stream of streams) {
    const said = (claimed as Record<string, unknown>)[stream];
    const got = read.get(stream) ?? [0];
    if (typeof said === 'number' ? !got.includes(said) : got[0] > 0)
      off.push(`${stream}: stop says ${typeof said === 'number' ? said : 'nothing'}, ${got[0]} read`);
  }
  if (off.length === 0) return undefined;
  return diagnostic(
    'RUN_NUM_EVENTS',
    'warning',
    `the stop's num_events disagrees with the events read (${off.join('; ')})`,
    documentLocation(named, at, uid, '/num_events'),
    'events were lost or repeated on the way to the log (the file holds the events read); check the log is complete',
  );
}
