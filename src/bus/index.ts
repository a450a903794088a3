/** bus/: runs over Redis Streams — `publish` puts logs on the bus, `serve` writers share the runs. */
export type * from './models.js';
export { busKeys, DEFAULT_GROUP, DEFAULT_PREFIX } from './keys.js';
export { connect, redisOptions, backoffMs } from './connect.js';
export { docText, parseRunEntry, runEntryFields } from './entries.js';
export { BusPublisher, publishLogs } from './publisher.js';
export { startServe, DEFAULT_CLAIM_AFTER_MS } from './serve.js';
