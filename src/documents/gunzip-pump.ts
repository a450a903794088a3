import { setImmediate as nextTurn } from 'node:timers/promises';
import { constants, createGunzip } from 'node:zlib';
import type { Gunzip } from 'node:zlib';

/**
 * One zlib decompressor kept across the polls of a growing gzipped log:
 * each `write` returns the bytes that the new compressed bytes complete.
 * SYNC_FLUSH makes zlib hand over all it can decode now instead of waiting
 * for more input; an incomplete gzip stream is not an error until `end`.
 */
export class GunzipPump {
  readonly #gz: Gunzip;
  #out: Uint8Array[] = [];
  #error: Error | undefined;

  constructor() {
    this.#gz = createGunzip({ flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH });
    this.#gz.on('data', (chunk: Buffer) => this.#out.push(chunk));
    this.#gz.on('error', (e: Error) => {
      this.#error ??= e;
    });
  }

  /** The first zlib error (corrupt data), if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  async write(chunk: Uint8Array): Promise<Uint8Array[]> {
    if (this.#error === undefined) await this.#settle((done) => this.#gz.write(chunk, () => done()));
    return this.#take();
  }

  /** No more input: whatever is still buffered comes out. */
  async end(): Promise<Uint8Array[]> {
    if (this.#error === undefined && !this.#gz.writableEnded) await this.#settle((done) => this.#gz.end(() => done()));
    return this.#take();
  }

  destroy(): void {
    this.#gz.destroy();
  }

  async #settle(start: (done: () => void) => void): Promise<void> {
    await new Promise<void>((resolve) => {
      const onError = () => resolve();
      this.#gz.once('error', onError);
      start(() => {
        this.#gz.off('error', onError);
        resolve();
      });
    });
    // 'data' for the last output may be emitted on the next turn.
    await nextTurn();
  }

  #take(): Uint8Array[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}
