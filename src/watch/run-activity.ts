/**
 * When each open run last received a document, for --finalize-after. The time
 * is the modification time of the log the document was read from, so a run
 * re-read after a restart keeps the age of its log (an old abandoned run is
 * finalized at once), and a live run's time is "now".
 */
import type { NamedDocument } from '../documents/models.js';

export class RunActivity {
  readonly #last = new Map<string, number>();
  readonly #runOfDescriptor = new Map<string, string>();
  readonly #runOfResource = new Map<string, string>();

  /** Notes a document read from a log last modified at `mtimeMs`; returns the uid of its run (when known). */
  note(named: NamedDocument, mtimeMs: number): string | undefined {
    const uid = this.#runOf(named);
    if (uid === undefined) return undefined;
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
    for (const map of [this.#runOfDescriptor, this.#runOfResource]) {
      for (const [key, owner] of map) if (owner === uid) map.delete(key);
    }
  }

  #runOf(named: NamedDocument): string | undefined {
    switch (named.name) {
      case 'start':
        return named.doc.uid;
      case 'descriptor':
        this.#runOfDescriptor.set(named.doc.uid, named.doc.run_start);
        return named.doc.run_start;
      case 'stop':
        return named.doc.run_start;
      case 'event':
      case 'event_page':
      case 'stream_datum':
        return this.#runOfDescriptor.get(named.doc.descriptor);
      case 'resource':
      case 'stream_resource':
        if (named.doc.run_start !== undefined) this.#runOfResource.set(named.doc.uid, named.doc.run_start);
        return named.doc.run_start;
      case 'datum':
      case 'datum_page':
        return this.#runOfResource.get(named.doc.resource);
    }
  }
}
