/**
 * The third limit on input: documents per run (an event_page counts as its events, a
 * datum_page as its datums). Runs span logs, so the reader of a whole set of logs holds one
 * RunDocumentLimit and passes every batch through it. Past the limit a document is dropped; the
 * first one dropped in a run is a located DOC_LIMIT error (later ones only counted, so that a
 * runaway run cannot flood the report); the run's stop still passes, and every other run goes on.
 * What it knows of a run is forgotten at its stop.
 */
import { diagnostic } from '../errors.js';
import { problem } from './document-shape.js';
import { resolveLimits, type DecodeLimits } from './limits.js';
import type { LogItem } from './models.js';
import { isPageColumn } from './pages.js';
import { RunOwners } from './run-owners.js';

interface RunCount {
  documents: number;
  dropped: number;
}

type DocumentItem = Extract<LogItem, { kind: 'document' }>;

export class RunDocumentLimit {
  readonly #max: number;
  readonly #runs = new Map<string, RunCount>();
  /** Which run a document belongs to (its descriptors and resources owned once kept). */
  readonly #owners = new RunOwners();

  constructor(limits?: Partial<DecodeLimits>) {
    this.#max = resolveLimits(limits).maxDocuments;
  }

  /** Runs the limit knows (started, not yet stopped). */
  get openRuns(): number {
    return this.#runs.size;
  }

  /** The items with the documents past their run's limit dropped (the first replaced by its error). */
  filter(items: LogItem[]): LogItem[] {
    let out: LogItem[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const verdict = item.kind === 'document' ? this.#check(item) : 'keep';
      if (verdict === 'keep') {
        out?.push(item);
        continue;
      }
      out ??= items.slice(0, i);
      if (verdict !== 'drop') out.push(verdict);
    }
    return out ?? items;
  }

  #check(item: DocumentItem): 'keep' | 'drop' | LogItem {
    const uid = this.#owners.runOf(item);
    if (typeof uid !== 'string') return 'keep'; // orphans are the router's to report
    let run = this.#runs.get(uid);
    if (item.name === 'start') {
      if (run === undefined) this.#runs.set(uid, (run = { documents: 0, dropped: 0 }));
    }
    if (run === undefined) return 'keep';
    if (item.name === 'stop') {
      this.#owners.forget(uid);
      this.#runs.delete(uid);
      return 'keep';
    }
    const n =
      item.name === 'event_page'
        ? lengthOf(item.doc.seq_num)
        : item.name === 'datum_page'
          ? lengthOf(item.doc.datum_id)
          : 1;
    if (run.documents + n <= this.#max) {
      run.documents += n;
      this.#owners.own(item, uid);
      return 'keep';
    }
    run.dropped += n;
    if (run.dropped > n) return 'drop';
    const at = item.at;
    return problem(
      diagnostic(
        'DOC_LIMIT',
        'error',
        `run ${uid} has more than ${this.#max} documents (events and datums counted one by one): this ${item.name} and every later document of the run but its stop are skipped`,
        {
          file: at.log,
          item: at.item,
          ...(at.line === undefined ? {} : { line: at.line }),
          offset: at.offset,
          run: uid,
        },
        'the run is written with its first documents only; if it is genuine, raise the limit with --max-documents and write it again',
      ),
    );
  }
}

function lengthOf(values: unknown): number {
  return isPageColumn(values) ? values.length : 1;
}
