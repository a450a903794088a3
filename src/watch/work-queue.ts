/**
 * The daemon's one line of work: logs waiting to be read (each at most once in
 * the queue, however many change events it got) and the idle-run check, done
 * one at a time, so the session sees whole batches in a definite order.
 */
import type { TemplateSet } from './models.js';

export class WorkQueue {
  readonly #read: (log: string, final: boolean, next?: string) => Promise<void>;
  readonly #finalize: () => void | Promise<void>;
  readonly #onError: (e: unknown, log: string | undefined) => void;
  readonly #pending = new Set<string>();
  #finalizeDue = false;
  #working: Promise<void> | undefined;
  #closed = false;

  constructor(
    read: (log: string, final: boolean, next?: string) => Promise<void>,
    finalize: () => void | Promise<void>,
    onError: (e: unknown, log: string | undefined) => void,
  ) {
    this.#read = read;
    this.#finalize = finalize;
    this.#onError = onError;
  }

  /** Read `log` again soon (a change event, or the safety-net poll). */
  add(log: string): void {
    if (this.#closed) return;
    this.#pending.add(log);
    this.#kick();
  }

  requestFinalize(): void {
    if (this.#closed) return;
    this.#finalizeDue = true;
    this.#kick();
  }

  /** Reads one log now, after whatever is in progress (for --once); `next` is read ahead meanwhile. */
  async run(log: string, final: boolean, next?: string): Promise<void> {
    await this.#working;
    await this.#guard(() => this.#read(log, final, next), log);
  }

  async finalizeNow(): Promise<void> {
    try {
      await this.#finalize();
    } catch (e) {
      this.#onError(e, undefined);
    }
  }

  /** Takes nothing new; resolves when the batch in progress is done. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#pending.clear();
    await this.#working;
  }

  #kick(): void {
    if (this.#working !== undefined) return;
    this.#working = this.#drain().finally(() => {
      this.#working = undefined;
      if (!this.#closed && (this.#pending.size > 0 || this.#finalizeDue)) this.#kick();
    });
  }

  async #drain(): Promise<void> {
    while (!this.#closed) {
      const next = this.#pending.values().next();
      if (!next.done) {
        this.#pending.delete(next.value);
        await this.#guard(() => this.#read(next.value, false), next.value);
      } else if (this.#finalizeDue) {
        this.#finalizeDue = false;
        await this.finalizeNow();
      } else {
        return;
      }
    }
  }

  async #guard(task: () => Promise<void>, log: string): Promise<void> {
    try {
      await task();
    } catch (e) {
      this.#onError(e, log);
    }
  }
}

/** name@version of each template in a set (the fallback last). */
export function templateNames(set: TemplateSet): string[] {
  const names = set.layouts.map((l) => `${l.name}@${l.version}`);
  if (set.fallback !== undefined) names.push(`${set.fallback.name}@${set.fallback.version} (fallback)`);
  return names;
}
