/**
 * The floor: a log only read and decoded, nothing written — an fs stream in
 * the reader's own chunk size, split at newlines, one JSON.parse per line.
 * No validation, no routing, no columns: what any jsonl consumer must pay.
 */
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import * as path from 'node:path';

const NEWLINE = 0x0a;
/** The same chunk size as documents/read-log.ts, so the I/O pattern is the same. */
const CHUNK_BYTES = 64 * 1024;

export interface Decoded {
  documents: number;
  events: number;
}

function count(doc: unknown, into: Decoded): void {
  into.documents++;
  if (!Array.isArray(doc)) return;
  if (doc[0] === 'event') into.events++;
  else if (doc[0] === 'event_page') into.events += (doc[1] as { seq_num: unknown[] }).seq_num.length;
}

async function decodeJsonl(file: string, into: Decoded): Promise<void> {
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl >= 0; nl = buf.indexOf(NEWLINE, start)) {
      if (nl > start) count(JSON.parse(buf.toString('utf8', start, nl)), into);
      start = nl + 1;
    }
    rest = start < buf.length ? buf.subarray(start) : undefined;
  }
  if (rest !== undefined && rest.length > 0) count(JSON.parse(rest.toString('utf8')), into);
}

/** Every log a target names: the file itself, or the files of a directory in name order. */
export function logsOf(target: string): string[] {
  if (!fs.statSync(target).isDirectory()) return [target];
  return fs
    .readdirSync(target)
    .sort()
    .map((f) => path.join(target, f));
}

export async function decodeAll(targets: readonly string[]): Promise<Decoded> {
  const into: Decoded = { documents: 0, events: 0 };
  for (const target of targets) for (const log of logsOf(target)) await decodeJsonl(log, into);
  return into;
}
