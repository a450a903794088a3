/**
 * Diagnostics of the document-level run checks: every one names the log,
 * item/line, the document (type and uid), the run and a JSON pointer.
 */
import type { DatumPage, DocumentSource, NamedDocument } from '../documents/models.js';
import { diagnostic } from '../errors.js';
import { pageLengthProblem } from './stream-builder.js';
import type { Diagnostic, ErrorCode, Location } from '../errors.js';

/** The uid a document is known by (datum_id for datums; pages have none of their own). */
function documentUid(named: NamedDocument): string | undefined {
  const doc = named.doc as unknown as Record<string, unknown>;
  if (named.name === 'datum') return typeof doc.datum_id === 'string' ? doc.datum_id : undefined;
  return typeof doc.uid === 'string' ? doc.uid : undefined;
}

export function documentLocation(
  named: NamedDocument,
  at: DocumentSource | undefined,
  run?: string,
  pointer?: string,
): Location {
  const loc: Location = {};
  if (at !== undefined) {
    loc.file = at.log;
    loc.item = at.item;
    if (at.line !== undefined) loc.line = at.line;
    loc.offset = at.offset;
  }
  const uid = documentUid(named);
  loc.document = uid === undefined ? { name: named.name } : { name: named.name, uid };
  if (run !== undefined) loc.run = run;
  if (pointer !== undefined) loc.pointer = pointer;
  return loc;
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  RUN_UNKNOWN_DESCRIPTOR:
    'a descriptor must come before the events that refer to it; check that the log is complete and in order',
  RUN_UNKNOWN_START:
    'the start document of this run is missing or came later; check that the log is complete and in order',
  RUN_UNKNOWN_RESOURCE: 'a resource / stream_resource must come before the datums that refer to it',
  RUN_DUPLICATE_UID: 'the same document was logged twice, or two documents share a uid; the second one was skipped',
  RUN_AFTER_STOP: "nothing may follow a run's stop document; the document was skipped",
  RUN_EVENT_SHAPE: 'every array of an event_page must have one entry per event (the length of seq_num)',
  RUN_REPLAYED:
    "the same run was logged twice (a log copied into another, a replay): the run is written once, from its first copy; the replay's documents are skipped",
};

/** A rejected document: the document is skipped and its run flagged. */
export function rejected(
  code: ErrorCode,
  message: string,
  named: NamedDocument,
  at: DocumentSource | undefined,
  run?: string,
  pointer?: string,
): Diagnostic {
  return diagnostic(code, 'error', message, documentLocation(named, at, run, pointer), HINTS[code]);
}

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

/**
 * The stop's `num_events` against the events read, per stream: one warning
 * naming every stream that disagrees (the file holds the events read).
 */
export function numEventsProblem(
  named: Extract<NamedDocument, { name: 'stop' }>,
  at: DocumentSource | undefined,
  uid: string,
  read: ReadonlyMap<string, readonly number[]>,
): Diagnostic | undefined {
  const claimed = named.doc.num_events;
  if (claimed === undefined || claimed === null || typeof claimed !== 'object') return undefined;
  const streams = new Set([...Object.keys(claimed), ...read.keys()]);
  const off: string[] = [];
  for (const stream of streams) {
    const said = (claimed as Record<string, unknown>)[stream];
    const got = read.get(stream) ?? [0];
    if (typeof said === 'number' ? !got.includes(said) : got[0] > 0)
      off.push(`${stream}: stop says ${typeof said === 'number' ? said : 'nothing'}, ${got[0]} read`);
  }
  if (off.length === 0) return undefined;
  return diagnostic(
    'RUN_NUM_EVENTS',
    'warning',
    `the stop's num_events disagrees with the events read (${off.join('; ')})`,
    documentLocation(named, at, uid, '/num_events'),
    'events were lost or repeated on the way to the log (the file holds the events read); check the log is complete',
  );
}
