/** convert/: documents → runs → plans → files, for `write` and `watch`. */
export type * from './models.js';
export { ConversionSession, convertLogs } from './convert-logs.js';
