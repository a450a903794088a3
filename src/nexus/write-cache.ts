/**
 * The bytes HDF5 writes to a file it creates, kept in memory and written with one call at close.
 * h5wasm's file system under Node (Emscripten's NODERAWFS) turns each of HDF5's writes into a pwrite
 * of its own: about 100 for a small NeXus file (the values of each dataset, then the metadata blocks
 * at close). The file is new: the cache starts from what HDF5 wrote when creating it (its first
 * superblock), then keeps every write (and serves HDF5's reads) until the sink closes or flushes the file, or they pass CACHE_LIMIT: then
 * they are written out and later writes go to the disk one by one, as before. The file on disk is the
 * same byte for byte; only the number of system calls changes.
 */
import * as fs from 'node:fs';
import { Module } from './h5-runtime.js';
import type { WriteBack } from './models.js';

/** Above this many bytes the file is written out and the cache steps aside (a large run streams). */
const CACHE_LIMIT = 4 * 1048576;

/** What NODERAWFS's streams call when a stream has operations of its own (Emscripten's FS.read/write/llseek). */
interface StreamOps {
  read(stream: RawStream, buffer: Int8Array, offset: number, length: number, position: number): number;
  write(stream: RawStream, buffer: Int8Array, offset: number, length: number, position: number): number;
  llseek(stream: RawStream, offset: number, whence: number): number;
}

/** An Emscripten file stream under NODERAWFS: `nfd` is Node's descriptor. */
interface RawStream {
  fd: number;
  nfd: number;
  path: string;
  position: number;
  stream_ops?: StreamOps;
}

interface EmscriptenFs {
  streams: (RawStream | null | undefined)[];
  ftruncate(fd: number, length: number): void;
  getStreamChecked(fd: number): RawStream;
}

const FS = (Module as unknown as { FS: EmscriptenFs }).FS;

/** Buffers of finished files kept for the next ones (no new allocation a file: a daemon writes thousands). */
const spare: Uint8Array[] = [];
const SPARE_BUFFERS = 4;

/** A buffer of at least `length` bytes (zeroed where it will be read before written: see truncate/#write). */
function takeBuffer(length: number): Uint8Array {
  const i = spare.findIndex((b) => b.length >= length);
  if (i >= 0) return spare.splice(i, 1)[0];
  return new Uint8Array(Math.max(length, 64 * 1024));
}

function giveBack(bytes: Uint8Array): void {
  if (bytes.length > 0 && bytes.length <= CACHE_LIMIT && spare.length < SPARE_BUFFERS) spare.push(bytes);
}

/** The streams being cached, for the ftruncate hook. */
const caches = new Map<RawStream, StreamCache>();

let hooked = false;

/** NODERAWFS truncates with Node's descriptor whatever the stream: a cached stream's truncate applies to its bytes. */
function hookTruncate(): void {
  if (hooked) return;
  hooked = true;
  const original = FS.ftruncate.bind(FS);
  FS.ftruncate = (fd: number, length: number): void => {
    const stream = FS.streams[fd];
    const cache = stream === null || stream === undefined ? undefined : caches.get(stream);
    if (cache === undefined) original(fd, length);
    else cache.truncate(length);
  };
}

class StreamCache implements WriteBack {
  readonly #stream: RawStream;
  #bytes = takeBuffer(0);
  /** The file's length (bytes written, or set by a truncate). */
  #size = 0;
  #attached = true;

  constructor(stream: RawStream) {
    this.#stream = stream;
    // What HDF5 wrote when it created the file (its superblock): the cache starts as the file is.
    const size = fs.fstatSync(stream.nfd).size;
    this.#reserve(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(stream.nfd, this.#bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    this.#size = done;
    const ops: StreamOps = {
      read: (_s, buffer, offset, length, position) => this.#read(buffer, offset, length, position),
      write: (_s, buffer, offset, length, position) => this.#write(buffer, offset, length, position),
      llseek: (s, offset, whence) => {
        const base = whence === 1 ? s.position : whence === 2 ? this.#size : 0;
        return base + offset;
      },
    };
    stream.stream_ops = ops;
    caches.set(stream, this);
  }

  truncate(length: number): void {
    this.#reserve(length);
    // A buffer is reused from file to file: what lies past the end is zeroed as the file grows over it.
    if (length > this.#size) this.#bytes.fill(0, this.#size, length);
    this.#size = length;
  }

  /** Writes the bytes out and lets later writes go to the disk directly. */
  flush(): void {
    if (!this.#attached) return;
    this.#detach();
    this.#writeOut();
  }

  /**
   * After HDF5 closed the file: writes the bytes and closes Node's descriptor (NODERAWFS leaves a
   * stream with operations of its own open). Throws the write's error (a full disk: ENOSPC).
   */
  finish(): void {
    if (!this.#attached) return;
    this.#detach();
    const closed = FS.streams[this.#stream.fd] !== this.#stream;
    if (!closed) return; // HDF5 still holds it (its close failed): NODERAWFS closes it with the stream
    try {
      this.#writeOut();
    } finally {
      fs.closeSync(this.#stream.nfd);
    }
  }

  #detach(): void {
    this.#attached = false;
    caches.delete(this.#stream);
    delete this.#stream.stream_ops;
  }

  #writeOut(): void {
    let done = 0;
    while (done < this.#size) done += fs.writeSync(this.#stream.nfd, this.#bytes, done, this.#size - done, done);
    giveBack(this.#bytes);
    this.#bytes = new Uint8Array(0);
  }

  #reserve(length: number): void {
    if (length <= this.#bytes.length) return;
    const grown = takeBuffer(Math.max(length, this.#bytes.length * 2));
    grown.set(this.#bytes.subarray(0, this.#size));
    giveBack(this.#bytes);
    this.#bytes = grown;
  }

  #write(buffer: Int8Array, offset: number, length: number, position: number): number {
    const end = position + length;
    if (end > CACHE_LIMIT) {
      // A large file: what is cached goes to the disk, and so does this write and every later one.
      this.flush();
      return fs.writeSync(this.#stream.nfd, buffer, offset, length, position);
    }
    this.#reserve(end);
    if (position > this.#size) this.#bytes.fill(0, this.#size, position);
    this.#bytes.set(new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length), position);
    if (end > this.#size) this.#size = end;
    return length;
  }

  #read(buffer: Int8Array, offset: number, length: number, position: number): number {
    const n = Math.max(0, Math.min(length, this.#size - position));
    new Uint8Array(buffer.buffer, buffer.byteOffset + offset, n).set(this.#bytes.subarray(position, position + n));
    return n;
  }
}

/**
 * Caches the writes to `filePath`, which HDF5 has just created (and holds open once): undefined
 * when no single stream of that path is found (the writes then go to the disk as they come).
 */
export function cacheWrites(filePath: string): WriteBack | undefined {
  const streams = FS.streams.filter((s): s is RawStream => s !== null && s !== undefined && s.path === filePath);
  if (streams.length !== 1 || streams[0].stream_ops || typeof streams[0].nfd !== 'number') return undefined;
  hookTruncate();
  return new StreamCache(streams[0]);
}
