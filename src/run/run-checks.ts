/**
 * The document-level run checks: what rejects a document before it is added
 * to its run (unknown run_start, descriptor or resource, a repeated uid,
 * anything after the stop, event_page arrays of different lengths).
 */
import type { DatumPage, DocumentSource, NamedDocument } from '../documents/models.js';
import type { Diagnostic } from '../errors.js';
import { rejected } from './document-diagnostic.js';
import { pageLengthProblem } from './stream-builder.js';

/** What a run already holds, as the checks need to know it. */
export interface RunIndex {
  uid: string;
  stopped(): boolean;
  /** uids of the documents kept whole (events are only counted: they would grow with the run). */
  hasUid(uid: string): boolean;
  hasDescriptor(uid: string): boolean;
  hasResource(uid: string): boolean;
  hasStreamResource(uid: string): boolean;
  hasDatum(id: string): boolean;
}

/**
 * The document-level run checks: run_start, descriptor and resource known,
 * uid not repeated, nothing after the stop, event_page arrays of one length.
 * Returns the problems that reject the document (none: it may be added).
 */
export function checkDocument(named: NamedDocument, at: DocumentSource | undefined, run: RunIndex): Diagnostic[] {
  const uid = run.uid;
  if (run.stopped()) {
    if (named.name === 'start' && named.doc.uid === uid) {
      return [
        rejected(
          'RUN_REPLAYED',
          `run ${uid} is replayed: its start document appears again after its stop`,
          named,
          at,
          uid,
          '/uid',
        ),
      ];
    }
    return [rejected('RUN_AFTER_STOP', `${named.name} document after the stop of run ${uid}`, named, at, uid)];
  }
  const problems: Diagnostic[] = [];
  switch (named.name) {
    case 'start':
      problems.push(
        named.doc.uid === uid
          ? rejected('RUN_DUPLICATE_UID', `run ${uid} started twice`, named, at, uid, '/uid')
          : rejected(
              'RUN_UNKNOWN_START',
              `start document of run ${named.doc.uid} given to run ${uid}`,
              named,
              at,
              uid,
              '/uid',
            ),
      );
      break;
    case 'descriptor':
    case 'stop':
    case 'resource':
    case 'stream_resource': {
      const runStart = named.doc.run_start;
      // Legacy resources carry no run_start; they belong to the run they arrive in.
      if (
        runStart !== uid &&
        !(runStart === undefined && (named.name === 'resource' || named.name === 'stream_resource'))
      ) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_START',
            `${named.name} refers to run_start ${String(runStart)}, not to run ${uid}`,
            named,
            at,
            uid,
            '/run_start',
          ),
        );
      } else if (run.hasUid(named.doc.uid)) {
        problems.push(
          rejected(
            'RUN_DUPLICATE_UID',
            `${named.name} uid ${named.doc.uid} was already seen in run ${uid}`,
            named,
            at,
            uid,
            '/uid',
          ),
        );
      }
      break;
    }
    case 'event':
    case 'event_page':
      if (!run.hasDescriptor(named.doc.descriptor)) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_DESCRIPTOR',
            `${named.name} refers to descriptor ${named.doc.descriptor}, unknown in run ${uid}`,
            named,
            at,
            uid,
            '/descriptor',
          ),
        );
      } else if (named.name === 'event_page') {
        const bad = pageLengthProblem(named.doc);
        if (bad !== undefined) {
          problems.push(
            rejected(
              'RUN_EVENT_SHAPE',
              `event_page arrays differ in length: ${bad} does not have ${named.doc.seq_num.length} entries like seq_num`,
              named,
              at,
              uid,
              bad,
            ),
          );
        }
      }
      break;
    case 'datum':
      if (!run.hasResource(named.doc.resource)) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_RESOURCE',
            `datum refers to resource ${named.doc.resource}, unknown in run ${uid}`,
            named,
            at,
            uid,
            '/resource',
          ),
        );
      } else if (run.hasDatum(named.doc.datum_id)) {
        problems.push(
          rejected(
            'RUN_DUPLICATE_UID',
            `datum_id ${named.doc.datum_id} was already seen in run ${uid}`,
            named,
            at,
            uid,
            '/datum_id',
          ),
        );
      }
      break;
    case 'datum_page':
      if (!run.hasResource(named.doc.resource)) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_RESOURCE',
            `datum_page refers to resource ${named.doc.resource}, unknown in run ${uid}`,
            named,
            at,
            uid,
            '/resource',
          ),
        );
      } else {
        const dup = duplicateIn(named.doc, run);
        if (dup !== undefined) {
          problems.push(
            rejected(
              'RUN_DUPLICATE_UID',
              `datum_id ${named.doc.datum_id[dup]} was already seen in run ${uid}`,
              named,
              at,
              uid,
              `/datum_id/${dup}`,
            ),
          );
        }
      }
      break;
    case 'stream_datum':
      if (!run.hasStreamResource(named.doc.stream_resource)) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_RESOURCE',
            `stream_datum refers to stream_resource ${named.doc.stream_resource}, unknown in run ${uid}`,
            named,
            at,
            uid,
            '/stream_resource',
          ),
        );
      } else if (!run.hasDescriptor(named.doc.descriptor)) {
        problems.push(
          rejected(
            'RUN_UNKNOWN_DESCRIPTOR',
            `stream_datum refers to descriptor ${named.doc.descriptor}, unknown in run ${uid}`,
            named,
            at,
            uid,
            '/descriptor',
          ),
        );
      } else if (run.hasUid(named.doc.uid)) {
        problems.push(
          rejected(
            'RUN_DUPLICATE_UID',
            `stream_datum uid ${named.doc.uid} was already seen in run ${uid}`,
            named,
            at,
            uid,
            '/uid',
          ),
        );
      }
      break;
  }
  return problems;
}

function duplicateIn(page: DatumPage, run: RunIndex): number | undefined {
  const seen = new Set<string>();
  for (let i = 0; i < page.datum_id.length; i++) {
    const id = page.datum_id[i];
    if (run.hasDatum(id) || seen.has(id)) return i;
    seen.add(id);
  }
  return undefined;
}
