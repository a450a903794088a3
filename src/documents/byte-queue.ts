/**
 * A FIFO of bytes for the push decoders: chunks are appended, complete items
 * consumed from the front. The backing buffer grows by doubling and is
 * compacted in place, so an item spanning many chunks is copied O(1) times
 * on average instead of once per chunk. An empty queue holds no buffer.
 */
const EMPTY = new Uint8Array(0);

export class ByteQueue {
  #buf = EMPTY;
  #start = 0;
  #end = 0;
  #offset: number;

  /** `offset`: the stream offset of the first byte appended. */
  constructor(offset = 0) {
    this.#offset = offset;
  }

  /** Absolute stream offset of the first unconsumed byte. */
  get offset(): number {
    return this.#offset;
  }

  get length(): number {
    return this.#end - this.#start;
  }

  /** The unconsumed bytes; a view that the next `append` may invalidate. */
  get bytes(): Uint8Array {
    return this.#buf.subarray(this.#start, this.#end);
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const used = this.#end - this.#start;
    if (this.#end + chunk.length > this.#buf.length) {
      const needed = used + chunk.length;
      // Compact when the live bytes fill at most half the buffer, else double: amortized O(1) per byte.
      if (needed <= this.#buf.length >> 1) {
        this.#buf.copyWithin(0, this.#start, this.#end);
      } else {
        // Sized by what is queued (a small log gets a small buffer), doubling from there.
        const grown = new Uint8Array(Math.max(2 * needed, 4096));
        grown.set(this.#buf.subarray(this.#start, this.#end));
        this.#buf = grown;
      }
      this.#start = 0;
      this.#end = used;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  consume(n: number): void {
    if (n > this.length) throw new RangeError(`cannot consume ${n} of ${this.length} queued bytes`);
    this.#start += n;
    this.#offset += n;
    if (this.#start === this.#end) {
      this.#start = 0;
      this.#end = 0;
      // Nothing queued: the buffer goes (an idle log's decoder holds no bytes; the next append sizes a new one).
      this.#buf = EMPTY;
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decode UTF-8 strictly: invalid bytes are a parse error, not U+FFFD in a document. */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}
