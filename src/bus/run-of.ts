/**
 * Which run a document of a log belongs to, for the publisher: by its
 * run_start, its descriptor or its resource; a legacy resource (no
 * run_start) belongs to the run started last and not stopped, as the
 * router reads it.
 */
import type { NamedDocument } from '../documents/models.js';

export class RunOf {
  readonly #byDescriptor = new Map<string, string>();
  readonly #byResource = new Map<string, string>();
  #current: string | undefined;

  /** The run uid of `named`, or undefined (a document of no known run). */
  of(named: NamedDocument): string | undefined {
    switch (named.name) {
      case 'start':
        this.#current = named.doc.uid;
        return named.doc.uid;
      case 'descriptor':
        this.#byDescriptor.set(named.doc.uid, named.doc.run_start);
        return named.doc.run_start;
      case 'stop':
        if (this.#current === named.doc.run_start) this.#current = undefined;
        return named.doc.run_start;
      case 'event':
      case 'event_page':
      case 'stream_datum':
        return this.#byDescriptor.get(named.doc.descriptor);
      case 'resource':
      case 'stream_resource': {
        const uid = named.doc.run_start ?? this.#current;
        if (uid !== undefined) this.#byResource.set(named.doc.uid, uid);
        return uid;
      }
      case 'datum':
      case 'datum_page':
        return this.#byResource.get(named.doc.resource);
    }
  }
}
