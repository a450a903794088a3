import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { diagnostic } from '../errors.js';
import { problem } from './document-shape.js';
import type { DecodeLimits } from './limits.js';
import type { LogItem } from './models.js';
import { SniffingDecoder } from './sniffing-decoder.js';
import { validateDocument } from './validate.js';

export interface DecodeOptions {
  /** Stops reading: the generator throws the signal's reason (an AbortError). */
  signal?: AbortSignal;
  /** Validate each document against its event-model schema; DOC_SCHEMA problems come just before the document. */
  validate?: boolean;
  /** Limits on one document (default: the process defaults, see limits.ts). */
  limits?: Partial<DecodeLimits>;
}

function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Bytes already read from `it`, then the rest of it. */
async function* replay(head: Uint8Array[], it: AsyncIterator<Uint8Array>, done: boolean): AsyncGenerator<Uint8Array> {
  yield* head;
  if (done) return;
  for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
}

/** zlib as an async iterable; the feeding side's errors surface in the iteration. */
function gunzip(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const gz = createGunzip();
  void (async () => {
    for await (const chunk of source) {
      if (gz.destroyed) return;
      if (!gz.write(chunk)) await once(gz, 'drain');
    }
    gz.end();
  })().catch((e: unknown) => gz.destroy(e instanceof Error ? e : new Error(String(e))));
  return gz;
}

function zlibCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_') ? code : undefined;
}

/**
 * Decode a document log from any byte stream: sniff the format from its
 * content, gunzip when it is gzipped, and yield documents and problems as the
 * bytes arrive. Memory holds the current item, never the whole log.
 * I/O errors of `source` (and aborts) are thrown, not yielded.
 */
export async function* decodeDocumentStream(
  source: AsyncIterable<Uint8Array>,
  log: string,
  options: DecodeOptions = {},
): AsyncGenerator<LogItem> {
  for await (const batch of decodeDocumentBatches(source, log, options)) yield* batch;
}

/**
 * decodeDocumentStream a chunk at a time: the items completed by each chunk
 * of bytes, as one array (never empty). For readers that go through millions
 * of items, one await per chunk instead of one per item.
 */
export async function* decodeDocumentBatches(
  source: AsyncIterable<Uint8Array>,
  log: string,
  options: DecodeOptions = {},
): AsyncGenerator<LogItem[]> {
  const it = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  let done = false;
  try {
    while (headLength < 2) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      head.push(r.value);
      headLength += r.value.length;
    }
    const first = head.length === 1 ? head[0] : Buffer.concat(head);
    const raw = replay(head, it, done);
    const bytes = isGzip(first) ? gunzip(raw) : raw;
    const decoder = new SniffingDecoder(log, options.limits);
    let zlibError: unknown;
    try {
      for await (const chunk of bytes) {
        options.signal?.throwIfAborted();
        const items = checked(decoder.push(chunk), options);
        if (items.length > 0) yield items;
      }
    } catch (e) {
      if (zlibCode(e) === undefined) throw e;
      zlibError = e;
    }
    const tail = decoder.end();
    const items = checked(
      zlibError === undefined ? tail : tail.filter((i) => i.kind !== 'problem' || i.diagnostic.code !== 'DOC_EMPTY'),
      options,
    );
    if (zlibError === undefined) {
      if (items.length > 0) yield items;
      return;
    }
    const truncated = zlibCode(zlibError) === 'Z_BUF_ERROR';
    if (!(truncated && tail.some((i) => i.kind === 'problem' && i.diagnostic.code === 'DOC_TRUNCATED'))) {
      const why = zlibError instanceof Error ? zlibError.message : String(zlibError);
      items.push(
        problem(
          truncated
            ? diagnostic(
                'DOC_TRUNCATED',
                'error',
                `the gzip stream ends early (${why})`,
                { file: log },
                'the compressed log is incomplete: was it copied while still being written?',
              )
            : diagnostic(
                'DOC_PARSE',
                'error',
                `the gzip data is corrupt (${why})`,
                { file: log },
                'the documents before the corruption were read; recompress or recopy the log',
              ),
        ),
      );
    }
    if (items.length > 0) yield items;
  } finally {
    await it.return?.();
  }
}

/** The items with, when asked, each document's DOC_SCHEMA problems just before it. */
function checked(items: LogItem[], options: DecodeOptions): LogItem[] {
  if (options.validate !== true) return items;
  const out: LogItem[] = [];
  for (const item of items) {
    if (item.kind === 'document') for (const d of validateDocument(item, item.at)) out.push(problem(d));
    out.push(item);
  }
  return out;
}
