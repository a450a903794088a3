/**
 * When each open run last received a document, for --finalize-after. The time
 * is the modification time of the log the document was read from, so a run
 * re-read after a restart keeps the age of its log (an old abandoned run is
 * finalized at once), and a live run's time is "now".
 */
import type { NamedDocument } from '../documents/models.js';
import { RunOwners } from '../documents/run-owners.js';

export class RunActivity {
  readonly #last = new Map<string, number>();
  readonly #owners = new RunOwners();

  /** Notes a document read from a log last modified at `mtimeMs`; returns the uid of its run (when known). */
  note(named: NamedDocument, mtimeMs: number): string | undefined {
    const uid = this.#owners.runOf(named);
    if (uid === undefined) return undefined;
    this.#owners.own(named, uid);
    if (named.name === 'stop') {
      this.forget(uid);
      return uid;
    }
    this.#last.set(uid, Math.max(this.#last.get(uid) ?? 0, mtimeMs));
    return uid;
  }

  /** Runs among `open` whose last document is older than `ageMs` at `now`. */
  idle(open: readonly string[], now: number, ageMs: number): string[] {
    return open.filter((uid) => {
      const last = this.#last.get(uid);
      return last !== undefined && now - last >= ageMs;
    });
  }

  /** The run is recorded: nothing of it is kept (a late document of it maps to no run). */
  forget(uid: string): void {
    this.#last.delete(uid);
    this.#owners.forget(uid);
  }
}
