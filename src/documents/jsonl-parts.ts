/**
 * A plain jsonl log read in parts for the decode pool: each part is cut after
 * a newline and knows where it starts (line, item, byte offset); a line over
 * the limit is read through and stands alone. File reading only: the parts are
 * decoded on the pool's workers.
 */
import { type FileHandle, open } from 'node:fs/promises';
import type { ChunkJob } from './decode-thread-protocol.js';
import { isBlankLine, type JsonlStart } from './jsonl-decoder.js';
import type { DecodeLimits } from './limits.js';
import { sniffFormat } from './sniff-format.js';

/** Bytes read per part by default (a part ends at the last newline in it). */
export const PART_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;

/** The lines and items (non-blank lines) of a part that ends with a newline. */
function countLines(bytes: Uint8Array): { lines: number; items: number } {
  let lines = 0;
  let items = 0;
  let start = 0;
  for (let nl = bytes.indexOf(NEWLINE); nl >= 0; nl = bytes.indexOf(NEWLINE, start)) {
    lines++;
    if (!isBlankLine(bytes, start, nl)) items++;
    start = nl + 1;
  }
  return { lines, items };
}

/**
 * Parts of a log, each cut after a newline (the last one: whatever is left), with where each starts.
 * A line longer than `limits.maxLineBytes` is not held: it is read through to its newline and
 * stands as a `tooLong` part of its own (the worker turns it into a located DOC_LIMIT problem).
 */
export async function* partsOf(
  file: FileHandle,
  log: string,
  partBytes: number,
  limits: DecodeLimits,
): AsyncGenerator<Omit<ChunkJob, 'seq'>> {
  const start: JsonlStart = { line: 0, item: 0, offset: 0 };
  let carry: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  for (;;) {
    const buf = new Uint8Array(carry.length + partBytes);
    buf.set(carry);
    const { bytesRead } = await file.read(buf, carry.length, partBytes, null);
    const filled = buf.subarray(0, carry.length + bytesRead);
    if (bytesRead === 0) {
      if (filled.length > 0) yield { log, bytes: filled, start: { ...start }, final: true, limits };
      return;
    }
    const cut = filled.lastIndexOf(NEWLINE) + 1;
    if (cut === 0) {
      carry = filled; // one line longer than a part: read on
      if (carry.length > limits.maxLineBytes) {
        const skipped = await skipLine(file, partBytes, carry.length);
        yield {
          log,
          bytes: new Uint8Array(0),
          start: { ...start },
          final: skipped.rest === undefined,
          limits,
          tooLong: skipped.bytes,
        };
        if (skipped.rest === undefined) return;
        start.line++;
        start.item++;
        start.offset += skipped.bytes + 1;
        carry = skipped.rest;
      }
      continue;
    }
    const bytes = filled.slice(0, cut);
    carry = filled.slice(cut);
    // Counted before the part is handed over: its bytes are moved to a worker.
    const counted = countLines(bytes);
    yield { log, bytes, start: { ...start }, final: false, limits };
    start.line += counted.lines;
    start.item += counted.items;
    start.offset += cut;
  }
}

/** Reads on to the end of an over-long line, holding one part at a time: its length, and the bytes after its newline (undefined at the end of the log). */
async function skipLine(
  file: FileHandle,
  partBytes: number,
  already: number,
): Promise<{ bytes: number; rest?: Uint8Array<ArrayBuffer> }> {
  let bytes = already;
  const buf = new Uint8Array(partBytes);
  for (;;) {
    const { bytesRead } = await file.read(buf, 0, partBytes, null);
    if (bytesRead === 0) return { bytes };
    const nl = buf.subarray(0, bytesRead).indexOf(NEWLINE);
    if (nl < 0) {
      bytes += bytesRead;
      continue;
    }
    return { bytes: bytes + nl, rest: buf.slice(nl + 1, bytesRead) };
  }
}

/** The log opened for reading when it is plain jsonl; undefined when it is not (or cannot be opened). */
export async function openPlainJsonl(log: string): Promise<FileHandle | undefined> {
  let file: FileHandle | undefined;
  try {
    file = await open(log, 'r');
    const head = new Uint8Array(64);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const sniffed = sniffFormat(head.subarray(0, bytesRead), bytesRead < head.length);
    if (sniffed.kind === 'format' && sniffed.format === 'jsonl') return file;
  } catch {
    // readDocumentLogBatches reports why the log cannot be read.
  }
  await file?.close();
  return undefined;
}
