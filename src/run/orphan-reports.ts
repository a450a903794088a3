/**
 * The router's reports of documents whose run is unknown (RUN_UNKNOWN_START,
 * RUN_UNKNOWN_DESCRIPTOR, RUN_UNKNOWN_RESOURCE): one per missing reference,
 * not one per event that refers to it.
 */
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import { rejected } from './document-diagnostic.js';

export class OrphanReports {
  /** Unknown references already reported. */
  readonly #reported = new Set<string>();

  /** The problem of a document whose run is unknown; undefined when its missing reference was reported already. */
  problem(named: NamedDocument, at: DocumentSource | undefined): Diagnostic | undefined {
    const doc = named.doc as unknown as Record<string, unknown>;
    let code: 'RUN_UNKNOWN_START' | 'RUN_UNKNOWN_DESCRIPTOR' | 'RUN_UNKNOWN_RESOURCE';
    let key: string;
    let pointer: string;
    switch (named.name) {
      case 'event':
      case 'event_page':
      case 'stream_datum':
        [code, key, pointer] = ['RUN_UNKNOWN_DESCRIPTOR', String(doc.descriptor), '/descriptor'];
        break;
      case 'datum':
      case 'datum_page':
        [code, key, pointer] = ['RUN_UNKNOWN_RESOURCE', String(doc.resource), '/resource'];
        break;
      default:
        [code, key, pointer] = ['RUN_UNKNOWN_START', String(doc.run_start), '/run_start'];
        break;
    }
    if (this.#reported.has(`${code}:${key}`)) return undefined;
    this.#reported.add(`${code}:${key}`);
    const what = code === 'RUN_UNKNOWN_START' ? 'run_start' : pointer.slice(1);
    // A legacy document may lack the reference altogether: say so, never "refers to run_start undefined".
    const named_ =
      (doc as Record<string, unknown>)[pointer.slice(1)] === undefined
        ? `${named.name} has no ${what}, so no run read so far can take it (later such documents are skipped silently)`
        : `${named.name} refers to ${what} ${key}, which no run read so far has (later documents referring to it are skipped silently)`;
    return rejected(code, named_, named, at, undefined, pointer);
  }
}
