/** documents/: bytes → validated, typed documents. */
export * from './models.js';
export { decodeDocumentStream } from './decode-stream.js';
export type { DecodeOptions } from './decode-stream.js';
export { readDocumentLog, READ_CHUNK_BYTES } from './read-log.js';
export { LogTail } from './log-tail.js';
export type { LogTailOptions } from './log-tail.js';
export { sniffFormat } from './sniff-format.js';
export type { Sniffed } from './sniff-format.js';
export type { PushDecoder } from './push-decoder.js';
export { createDecoder, SniffingDecoder } from './sniffing-decoder.js';
export { JsonlDecoder } from './jsonl-decoder.js';
export { JsonArrayDecoder } from './json-array-decoder.js';
export { MsgpackDecoder } from './msgpack-decoder.js';
export { toLogItem, isDocName } from './document-shape.js';
export { validateDocument, compileEventModelSchemas } from './validate.js';
export { unpackEventPage, packEvents, unpackDatumPage } from './pages.js';
export { routeDocument } from './route.js';
