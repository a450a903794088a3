/**
 * A reader's batches made ready for the run: each document validated
 * (`item.validation`), runs of consecutive events packed into event pages
 * (EventPacker), and the pages' all-number columns typed (Float64Arrays,
 * whose buffers a thread moves to the reader). Every reader that packs —
 * the main thread's, LogThread's worker, the pool's workers — does it here.
 */
import { PAGE_EVENTS, pagesToWire } from './decode-thread-protocol.js';
import { EventPacker } from './event-packer.js';
import type { LogItem } from './models.js';
import { validateDocument } from './validate.js';

/** Validates each of `read` and adds it to `packer`; what is ready goes to `out`. */
export function validateAndPack(read: readonly LogItem[], packer: EventPacker, out: LogItem[]): void {
  for (const item of read) {
    if (item.kind === 'document') item.validation = validateDocument(item, item.at);
    packer.push(item, out);
  }
}

/**
 * The items of `batches`, validated and packed into pages of at most `maxEvents` (default
 * PAGE_EVENTS), in order; `transfer`: the typed columns' buffers.
 */
export async function* packedBatches(
  batches: AsyncIterable<LogItem[]>,
  maxEvents: number = PAGE_EVENTS,
): AsyncGenerator<{ items: LogItem[]; transfer: ArrayBuffer[] }> {
  const packer = new EventPacker({ maxEvents });
  for await (const batch of batches) {
    const items: LogItem[] = [];
    validateAndPack(batch, packer, items);
    if (items.length > 0) yield { items, transfer: pagesToWire(items) };
  }
  const rest: LogItem[] = [];
  packer.flush(rest);
  if (rest.length > 0) yield { items: rest, transfer: pagesToWire(rest) };
}
