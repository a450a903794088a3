import { fileURLToPath } from 'node:url';
import type { LogItem } from '../../src/documents/index.js';

/** /work/shared/realdata/ seen from dist/test/documents/. */
export const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));

export async function collect(items: AsyncIterable<LogItem>): Promise<LogItem[]> {
  const out: LogItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export function documents(items: LogItem[]) {
  return items.flatMap((i) => (i.kind === 'document' ? [i] : []));
}

export function problems(items: LogItem[]) {
  return items.flatMap((i) => (i.kind === 'problem' ? [i.diagnostic] : []));
}

export function countByName(items: LogItem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of documents(items)) counts[d.name] = (counts[d.name] ?? 0) + 1;
  return counts;
}

/** An async byte stream of `data` cut into pieces of `size` bytes. */
export async function* chunked(data: Uint8Array | string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
