import { createReadStream } from 'node:fs';
import { diagnostic } from '../errors.js';
import { decodeDocumentBatches } from './decode-stream.js';
import type { DecodeOptions } from './decode-stream.js';
import { problem } from './document-shape.js';
import type { LogItem } from './models.js';

export const READ_CHUNK_BYTES = 64 * 1024;

function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/**
 * Read a document log file as it streams from disk (64 KiB at a time):
 * documents and problems in log order. A file that cannot be read is one
 * DOC_IO problem; an abort through `options.signal` is thrown.
 */
export async function* readDocumentLog(path: string, options: DecodeOptions = {}): AsyncGenerator<LogItem> {
  for await (const batch of readDocumentLogBatches(path, options)) yield* batch;
}

/** readDocumentLog a chunk at a time (`readBytes` at a time, default READ_CHUNK_BYTES): the items each chunk of the file completed, as one array. */
export async function* readDocumentLogBatches(
  path: string,
  options: DecodeOptions & { readBytes?: number } = {},
): AsyncGenerator<LogItem[]> {
  const stream = createReadStream(path, {
    highWaterMark: options.readBytes ?? READ_CHUNK_BYTES,
    signal: options.signal,
  });
  try {
    yield* decodeDocumentBatches(stream, path, options);
  } catch (e) {
    if (isAbort(e)) throw e;
    yield [readProblem(path, e)];
  } finally {
    stream.destroy();
  }
}

/** The DOC_IO problem of a log that could not be read (`e`: the error reading it), with a hint by its errno code. */
export function readProblem(path: string, e: unknown): LogItem {
  const code = (e as { code?: unknown }).code;
  const why = e instanceof Error ? e.message : String(e);
  return problem(
    diagnostic(
      'DOC_IO',
      'error',
      `cannot read the log: ${why}`,
      { file: path },
      code === 'ENOENT'
        ? 'check the path'
        : code === 'EACCES'
          ? 'check the file permissions'
          : 'check that the path is a readable file',
    ),
  );
}
