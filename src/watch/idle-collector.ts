/**
 * Gives the daemon's memory back after a burst of work. V8 grows its young
 * generation (to 32 MB) and its old generation while runs are written, and its
 * own memory reducer returns that only when it judges the process idle — which,
 * after a burst of hundreds of runs, it often never does: a daemon that wrote
 * 1,000 small runs stayed at 1.35–1.4× the RSS it had after 10, for minutes.
 * So, once the work in flight is done and nothing new came for `idleMs`, the
 * daemon asks for a full collection (at most one every `minGapMs`), which frees
 * the emptied old pages, and, if it stays idle, a second one `confirmMs` later:
 * V8 shrinks its young generation only at a collection that follows a quiet
 * spell of several seconds (it judges the allocation rate from the time between
 * collections; measured: the first collection after a burst leaves the young
 * generation at 32 MB, the second shrinks it to 1 MB). Only when the
 * heap grew by `minGrowthBytes` since the last one: polling an unchanged log
 * every few seconds costs no collection. The idle pair runs with V8's
 * `--optimize-for-size` set for its moment only (compactCollection), so that
 * it also moves the survivors out of old-generation pages left mostly empty by
 * the burst and gives those pages back: measured 15.6 MB in use of 24 MB
 * committed after 3,000 small runs without it, 16.2–17.0 MB committed with it.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Quiet time after the last piece of work before collecting. */
const IDLE_COLLECT_MS = 2_000;
/** At least this long between two collections (a steady trickle of runs costs one every 5 s at most). */
const IDLE_COLLECT_GAP_MS = 5_000;
/** Quiet time after the first collection before the second (V8 looks at the last 5 s). */
const IDLE_CONFIRM_MS = 6_000;
/** V8's heap (committed) must have grown this much since the last collection. */
const IDLE_COLLECT_GROWTH = 4 * 1048576;

let exposed: (() => void) | null | undefined;

/**
 * V8's full collection: `globalThis.gc` when node runs with --expose-gc, else
 * the same function taken from a fresh context with the flag set for that
 * moment only; undefined where the engine refuses it.
 */
export function fullCollection(): (() => void) | undefined {
  if (exposed === undefined) {
    const own = (globalThis as { gc?: unknown }).gc;
    if (typeof own === 'function') exposed = own as () => void;
    else {
      try {
        setFlagsFromString('--expose-gc');
        const gc: unknown = runInNewContext('gc');
        exposed = typeof gc === 'function' ? (gc as () => void) : null;
      } catch {
        exposed = null;
      } finally {
        setFlagsFromString('--no-expose-gc');
      }
    }
  }
  return exposed ?? undefined;
}

/** The user asked for V8's memory-saving mode for the whole process: left alone. */
function optimizingForSize(): boolean {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /optimize[-_]for[-_]size/.test(a));
}

/**
 * A full collection that compacts: V8's `--optimize-for-size` makes a mark-compact
 * evacuate every old-generation page that is mostly free (in the default mode, only
 * heavily fragmented ones), so the next collection can release the pages; the flag is
 * set for the collection only. Undefined where fullCollection() is.
 */
/** @public (test/watch/idle-collector.test.ts imports it in a child process) */
export function compactCollection(): (() => void) | undefined {
  const gc = fullCollection();
  if (gc === undefined || optimizingForSize()) return gc;
  return () => {
    setFlagsFromString('--optimize-for-size');
    try {
      gc();
    } finally {
      setFlagsFromString('--no-optimize-for-size');
    }
  };
}

/** During a burst, a collection as soon as V8's heap grew this much since the last one. */
const BUSY_COLLECT_GROWTH = 8 * 1048576;

export interface IdleCollectorOptions {
  idleMs?: number;
  minGapMs?: number;
  confirmMs?: number;
  minGrowthBytes?: number;
  /** Growth that gets a collection between two tasks of a burst (default BUSY_COLLECT_GROWTH). */
  busyGrowthBytes?: number;
  /** The heap's size now (default: V8's total heap size). */
  heapBytes?: () => number;
  /** The collection during a burst (default: fullCollection()); counted by `collections`. */
  collect?: () => void;
  /** The idle pair's collection (default: compactCollection(), or `collect` when that is given). */
  compact?: () => void;
}

export class IdleCollector {
  readonly #idleMs: number;
  readonly #minGapMs: number;
  readonly #confirmMs: number;
  readonly #minGrowth: number;
  readonly #busyGrowth: number;
  readonly #heapBytes: () => number;
  readonly #collect: (() => void) | undefined;
  readonly #compact: (() => void) | undefined;
  /** V8's heap size after the last collection of any kind (the busy rule's base). */
  #afterLast = 0;
  /** ... after the last idle pair (the idle rule's base: collections during a burst leave the young generation large). */
  #afterIdle = 0;
  #inFlight = 0;
  #dirty = false;
  /** The first collection of a quiet spell is done: the second is due at `confirmMs` if nothing happens. */
  #confirm = false;
  #last = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  /** Collections done (for the metrics and the tests). */
  collections = 0;

  constructor(options: IdleCollectorOptions = {}) {
    this.#idleMs = options.idleMs ?? IDLE_COLLECT_MS;
    this.#minGapMs = options.minGapMs ?? IDLE_COLLECT_GAP_MS;
    this.#confirmMs = options.confirmMs ?? IDLE_CONFIRM_MS;
    this.#minGrowth = options.minGrowthBytes ?? IDLE_COLLECT_GROWTH;
    this.#busyGrowth = options.busyGrowthBytes ?? BUSY_COLLECT_GROWTH;
    this.#heapBytes = options.heapBytes ?? (() => getHeapStatistics().total_heap_size);
    this.#collect = options.collect ?? fullCollection();
    this.#compact = options.compact ?? (options.collect === undefined ? compactCollection() : options.collect);
  }

  /** Runs `task` as work: no collection while it is in flight, one after it once idle. */
  async around<T>(task: () => Promise<T>): Promise<T> {
    this.#inFlight++;
    try {
      return await task();
    } finally {
      this.#inFlight--;
      this.#dirty = true;
      if (
        this.#inFlight === 0 &&
        this.#collect !== undefined &&
        this.#heapBytes() >= this.#afterLast + this.#busyGrowth
      )
        this.#run();
      this.#schedule(this.#idleMs);
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    if (this.#closed || this.#collect === undefined) return;
    // Later work pushes the collection back.
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#fire(), ms);
    this.#timer.unref();
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#closed || this.#inFlight > 0) return;
    if (this.#dirty) {
      const wait = this.#last + this.#minGapMs - Date.now();
      if (wait > 0) {
        this.#schedule(wait);
        return;
      }
      this.#dirty = false;
      if (this.#heapBytes() >= this.#afterIdle + this.#minGrowth) {
        this.#run(this.#compact);
        this.#confirm = true;
        this.#schedule(this.#confirmMs);
        return;
      }
    }
    if (!this.#confirm) return;
    // Small work since the first (a poll) does not call off the second.
    const wait = this.#last + this.#confirmMs - Date.now();
    if (wait > 0) {
      this.#schedule(wait);
      return;
    }
    this.#confirm = false;
    this.#run(this.#compact);
    this.#afterIdle = this.#afterLast;
  }

  #run(collect = this.#collect): void {
    this.#last = Date.now();
    collect?.();
    this.collections++;
    this.#afterLast = this.#heapBytes();
  }
}
