/** documents/: bytes → validated, typed documents. */
import './precompiled-node.js';
export * from './models.js';
export { decodeDocumentStream } from './decode-stream.js';
export { readDocumentLog, readDocumentLogBatches } from './read-log.js';
export { JsonlDecodePool, defaultDecodeThreads } from './jsonl-decode-pool.js';
export { EventPacker } from './event-packer.js';
export { LogTail } from './log-tail.js';
export { sniffFormat } from './sniff-format.js';
export { JsonlDecoder } from './jsonl-decoder.js';
export { JsonArrayDecoder } from './json-array-decoder.js';
export { MsgpackDecoder } from './msgpack-decoder.js';
export { validateDocument } from './validate.js';
export { parseJsonText } from './json-text.js';
export { unpackEventPage, packEvents, unpackDatumPage } from './pages.js';
export { routeDocument } from './route.js';
export { entryKind, findLogsUnder, isLogFileName, skippedWarning } from './find-logs.js';
export { RunDocumentLimit } from './run-limit.js';
export { isDocName } from './document-shape.js';
