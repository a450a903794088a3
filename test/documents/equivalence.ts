/**
 * What a threaded reader (JsonlDecodePool, LogThread) must give: the documents
 * and problems the reference reader (readDocumentLogBatches) gives, in the same
 * order, with runs of valid events possibly packed into pages (compared as
 * their events) whose number columns may be typed.
 */
import * as assert from 'node:assert/strict';
import { readDocumentLogBatches, unpackEventPage, validateDocument } from '../../src/documents/index.js';
import type { DocumentSource, LogItem, NamedDocument } from '../../src/documents/index.js';
import type { Diagnostic } from '../../src/errors.js';

export async function flatten(batches: AsyncIterable<LogItem[]>): Promise<LogItem[]> {
  const out: LogItem[] = [];
  for await (const batch of batches) {
    assert.ok(Array.isArray(batch) && batch.length > 0, 'every batch holds at least one item');
    out.push(...batch);
  }
  return out;
}

export const reference = (log: string): Promise<LogItem[]> => flatten(readDocumentLogBatches(log));

export type DocItem = Extract<LogItem, { kind: 'document' }>;

/** One document or problem of a log, with event_pages unpacked into their events. */
type Entry =
  | { kind: 'document'; named: NamedDocument; at: DocumentSource | undefined; item: DocItem }
  | { kind: 'problem'; diagnostic: Diagnostic };

/**
 * A (valid) page's events take the page's `at` for the first of them only
 * (the others' places in the log are not kept); `item` is the item read.
 */
function expand(items: LogItem[]): Entry[] {
  return items.flatMap((item): Entry[] => {
    if (item.kind === 'problem') return [item];
    // An invalid page is compared as read (it may not even unpack).
    if (item.name !== 'event_page' || (item.validation ?? validateDocument(item)).length > 0) {
      return [{ kind: 'document', named: { name: item.name, doc: item.doc } as NamedDocument, at: item.at, item }];
    }
    return unpackEventPage(item.doc).map((doc, i) => ({
      kind: 'document',
      named: { name: 'event', doc },
      at: i === 0 ? item.at : undefined,
      item,
    }));
  });
}

/** A document with the typed columns the pool's pages carry (Float64Arrays) as the arrays the log had. */
function untyped(value: unknown): unknown {
  if (value instanceof Float64Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(untyped);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untyped(v)]));
}

const plain = (e: Entry) => (e.kind === 'problem' ? { problem: e.diagnostic } : untyped(e.named));

/** The pool's items say what the reference's do: asserts it, and returns how many pages the pool packed. */
export function assertEquivalent(pool: LogItem[], ref: LogItem[], label: string): { packed: number } {
  const p = expand(pool);
  const r = expand(ref);
  // Documents (by name + doc) and problems (whole diagnostics: code, message, location…) in the same order.
  assert.deepEqual(p.map(plain), r.map(plain), `${label}: documents and problems`);
  p.forEach((entry, i) => {
    const expected = r[i];
    if (entry.kind === 'problem' || expected.kind === 'problem') return;
    if (entry.at !== undefined)
      assert.deepEqual(entry.at, expected.at, `${label}: at of entry ${i} (${entry.named.name})`);
    assert.equal('validation' in expected.item, false, `${label}: the reference reader sets no validation`);
    // A page the pool made from valid events carries []: what each event's own check gives.
    assert.deepEqual(
      entry.item.validation,
      validateDocument(expected.item, expected.item.at),
      `${label}: validation of entry ${i} (${entry.named.name})`,
    );
  });
  // Non-event documents are never packed: their `at` was compared above; make sure it was there.
  for (const e of p) if (e.kind === 'document' && e.named.name !== 'event') assert.ok(e.at !== undefined);
  const pages = (items: LogItem[]): number =>
    items.filter((i) => i.kind === 'document' && i.name === 'event_page').length;
  const packed = pages(pool) - pages(ref);
  return { packed };
}
