/**
 * Which run a document belongs to, the one mapping the bus publisher (RunOf), the per-run
 * document limit (RunDocumentLimit) and the watch daemon's run activity share: a start is its
 * own run; a descriptor, stop, resource or stream_resource names its run_start; an event,
 * event_page or stream_datum belongs to the run of its descriptor, a datum or datum_page to the
 * run of its resource. Descriptors and resources are remembered when `own` is told their run,
 * and forgotten with it. Pure: no I/O, no policy (a legacy resource without run_start maps to
 * no run here; a caller that has a current run supplies it).
 */
import type { NamedDocument } from './models.js';

export class RunOwners {
  /** Descriptor uid → its run's start uid. */
  readonly #byDescriptor = new Map<string, string>();
  /** Resource or stream_resource uid → its run's start uid. */
  readonly #byResource = new Map<string, string>();

  /** The run uid `named` names or refers to; undefined when it names none or refers to an unknown descriptor or resource. */
  runOf(named: NamedDocument): string | undefined {
    switch (named.name) {
      case 'start':
        return named.doc.uid;
      case 'descriptor':
      case 'stop':
      case 'resource':
      case 'stream_resource':
        return named.doc.run_start;
      case 'event':
      case 'event_page':
      case 'stream_datum':
        return this.#byDescriptor.get(named.doc.descriptor);
      case 'datum':
      case 'datum_page':
        return this.#byResource.get(named.doc.resource);
    }
  }

  /** Records run `uid` as the owner of a descriptor or (stream_)resource, so the documents referring to it map to that run; any other document is ignored. */
  own(named: NamedDocument, uid: string): void {
    switch (named.name) {
      case 'descriptor':
        if (typeof named.doc.uid === 'string') this.#byDescriptor.set(named.doc.uid, uid);
        break;
      case 'resource':
      case 'stream_resource':
        if (typeof named.doc.uid === 'string') this.#byResource.set(named.doc.uid, uid);
        break;
      default:
        break;
    }
  }

  /** Forgets the descriptors and resources of run `uid` (a late document referring to them maps to no run). */
  forget(uid: string): void {
    for (const map of [this.#byDescriptor, this.#byResource]) {
      for (const [key, owner] of map) if (owner === uid) map.delete(key);
    }
  }
}
