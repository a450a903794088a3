import { Decoder } from '@msgpack/msgpack';
import { diagnostic } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import { problem, toLogItem } from './document-shape.js';
import type { DocumentSource, LogItem } from './models.js';
import { MsgpackFramingError, newScan, scanMsgpackItem } from './msgpack-framing.js';
import type { PushDecoder } from './push-decoder.js';

/**
 * suitcase-msgpack: a stream of msgpack values, each a [name, doc] array.
 * Framing finds each item's bytes; @msgpack/msgpack decodes them. An
 * incomplete trailing item simply waits for the next push.
 */
export class MsgpackDecoder implements PushDecoder {
  readonly format = 'msgpack' as const;
  readonly #log: string;
  readonly #queue = new ByteQueue();
  readonly #decoder = new Decoder();
  #scan = newScan();
  #item = 0;
  #failed = false;

  constructor(log: string) {
    this.#log = log;
  }

  get pendingBytes(): number {
    return this.#queue.length;
  }

  push(chunk: Uint8Array): LogItem[] {
    const out: LogItem[] = [];
    if (this.#failed) return out;
    this.#queue.append(chunk);
    while (this.#queue.length > 0) {
      const bytes = this.#queue.bytes;
      let length: number | undefined;
      try {
        length = scanMsgpackItem(bytes, this.#scan);
      } catch (e) {
        if (!(e instanceof MsgpackFramingError)) throw e;
        out.push(this.#framingProblem(e));
        return out;
      }
      if (length === undefined) return out;
      out.push(this.#decodeItem(bytes.subarray(0, length)));
      this.#queue.consume(length);
      this.#scan = newScan();
    }
    return out;
  }

  end(): LogItem[] {
    if (this.#failed || this.#queue.length === 0) return [];
    const length = this.#queue.length;
    this.#queue.consume(length);
    return [problem(diagnostic('DOC_TRUNCATED', 'error', `item ${this.#item + 1} is incomplete: the log ends after ${length} of its bytes`,
      { file: this.#log, item: this.#item + 1, offset: this.#queue.offset - length },
      'the log ends in the middle of a document: was it copied while still being written?'))];
  }

  #decodeItem(bytes: Uint8Array): LogItem {
    this.#item++;
    const at: DocumentSource = { log: this.#log, item: this.#item, offset: this.#queue.offset };
    let value: unknown;
    try {
      value = this.#decoder.decode(bytes);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return problem(diagnostic('DOC_PARSE', 'error', `item ${this.#item} is not valid msgpack: ${why}`,
        { file: at.log, item: at.item, offset: at.offset }, 'this item was skipped'));
    }
    return toLogItem(value, at);
  }

  #framingProblem(e: MsgpackFramingError): LogItem {
    this.#failed = true;
    const offset = this.#queue.offset + e.position;
    this.#queue.consume(this.#queue.length);
    return problem(diagnostic('DOC_PARSE', 'error', `item ${this.#item + 1}: ${e.message}`,
      { file: this.#log, item: this.#item + 1, offset },
      'the msgpack stream is corrupt from here on; the rest of the log was not read'));
  }
}
