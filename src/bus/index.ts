/** bus/: runs over Redis Streams — `publish` puts logs on the bus, `serve` writers share the runs. */
export type * from './models.js';
export { connect, redisOptions } from './connect.js';
export { docText, parseRunEntry, runEntryFields } from './entries.js';
export { BusPublisher, publishLogs } from './publisher.js';
export { startServe } from './serve.js';
