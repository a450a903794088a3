/** convert/: documents → runs → plans → files, for `write` and `watch` (the Node barrel: sessions default to the disk). */
import '../run/file-host-node.js';
export type * from './models.js';
export { ConversionSession, convertLogs } from './convert-logs.js';
export type { ConversionHooks } from './session.js';
export { RunWriter, type RunWriterOptions } from './run-writer.js';
