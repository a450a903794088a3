import { Decoder } from '@msgpack/msgpack';
import { diagnostic } from '../errors.js';
import { ByteQueue } from './byte-queue.js';
import { problem, toLogItem } from './document-shape.js';
import type { DocumentSource, LogItem } from './models.js';
import {
  MsgpackFramingError,
  msgpackDepthExceeded,
  newScan,
  scanMsgpackItem,
  valueSize,
  type MsgpackScan,
} from './msgpack-framing.js';
import { limitProblem, resolveLimits, type DecodeLimits } from './limits.js';
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
  readonly #limits: DecodeLimits;
  /** An item past the byte limit, dropped as it comes: where it started, its bytes so far, and the scan through it (`pos` relative to the bytes queued). */
  #skipping: { offset: number; bytes: number; scan: MsgpackScan } | undefined;

  constructor(log: string, limits?: Partial<DecodeLimits>) {
    this.#log = log;
    this.#limits = resolveLimits(limits);
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
        if (this.#skipping !== undefined) {
          if (!this.#skip(out)) return out;
          continue;
        }
        length = scanMsgpackItem(bytes, this.#scan);
        if (length === undefined && bytes.length > this.#limits.maxLineBytes) {
          this.#skipping = { offset: this.#queue.offset, bytes: 0, scan: this.#scan };
          continue;
        }
      } catch (e) {
        if (!(e instanceof MsgpackFramingError)) throw e;
        out.push(this.#framingProblem(e));
        return out;
      }
      if (length === undefined) return out;
      if (length > this.#limits.maxLineBytes) {
        this.#item++;
        out.push(
          limitProblem(
            'bytes',
            `item ${this.#item}`,
            this.#limits,
            { file: this.#log, item: this.#item, offset: this.#queue.offset },
            length,
          ),
        );
      } else out.push(this.#decodeItem(bytes.subarray(0, length)));
      this.#queue.consume(length);
      this.#scan = newScan();
    }
    return out;
  }

  end(): LogItem[] {
    if (this.#skipping !== undefined) {
      const skipped = this.#skipping;
      this.#skipping = undefined;
      this.#queue.consume(this.#queue.length);
      this.#item++;
      return [
        limitProblem('bytes', `item ${this.#item} (cut short by the end of the log)`, this.#limits, {
          file: this.#log,
          item: this.#item,
          offset: skipped.offset,
        }),
      ];
    }
    if (this.#failed || this.#queue.length === 0) return [];
    const length = this.#queue.length;
    this.#queue.consume(length);
    return [
      problem(
        diagnostic(
          'DOC_TRUNCATED',
          'error',
          `item ${this.#item + 1} is incomplete: the log ends after ${length} of its bytes`,
          { file: this.#log, item: this.#item + 1, offset: this.#queue.offset - length },
          'the log ends in the middle of a document: was it copied while still being written?',
        ),
      ),
    ];
  }

  /**
   * Scans on through an item past the byte limit, dropping what was scanned; its values' headers
   * give its end without holding its payload. True when it ended (reported), false when more bytes are needed.
   */
  #skip(out: LogItem[]): boolean {
    const s = this.#skipping!;
    const bytes = this.#queue.bytes;
    while (s.scan.need > 0 && s.scan.pos < bytes.length) {
      const size = valueSize(bytes, s.scan.pos);
      if (size === undefined) break;
      s.scan.pos += size[0];
      s.scan.need += size[1] - 1;
    }
    const dropped = Math.min(s.scan.pos, bytes.length);
    s.bytes += dropped;
    s.scan.pos -= dropped;
    this.#queue.consume(dropped);
    if (s.scan.need > 0 || s.scan.pos > 0) return false;
    this.#skipping = undefined;
    this.#scan = newScan();
    this.#item++;
    out.push(
      limitProblem(
        'bytes',
        `item ${this.#item}`,
        this.#limits,
        { file: this.#log, item: this.#item, offset: s.offset },
        s.bytes,
      ),
    );
    return true;
  }

  #decodeItem(bytes: Uint8Array): LogItem {
    this.#item++;
    const at: DocumentSource = { log: this.#log, item: this.#item, offset: this.#queue.offset };
    if (msgpackDepthExceeded(bytes, this.#limits.maxDepth)) {
      return limitProblem('depth', `item ${this.#item}`, this.#limits, {
        file: at.log,
        item: at.item,
        offset: at.offset,
      });
    }
    let value: unknown;
    try {
      value = this.#decoder.decode(bytes);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return problem(
        diagnostic(
          'DOC_PARSE',
          'error',
          `item ${this.#item} is not valid msgpack: ${why}`,
          { file: at.log, item: at.item, offset: at.offset },
          'this item was skipped',
        ),
      );
    }
    return toLogItem(value, at);
  }

  #framingProblem(e: MsgpackFramingError): LogItem {
    this.#failed = true;
    const offset = this.#queue.offset + e.position;
    this.#queue.consume(this.#queue.length);
    return problem(
      diagnostic(
        'DOC_PARSE',
        'error',
        `item ${this.#item + 1}: ${e.message}`,
        { file: this.#log, item: this.#item + 1, offset },
        'the msgpack stream is corrupt from here on; the rest of the log was not read',
      ),
    );
  }
}
