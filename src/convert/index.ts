/** convert/: documents → runs → plans → files, for `write` and `watch`. */
export type * from './models.js';
export { ConversionSession, convertLogs, DECODE_THREADS_MIN_BYTES, type ConversionHooks } from './convert-logs.js';
export { RunWriter, type RunWriterOptions } from './run-writer.js';
