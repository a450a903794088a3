/**
 * Diagnostics of the document-level run checks: every one names the log,
 * item/line, the document (type and uid), the run and a JSON pointer.
 */
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import { diagnostic } from '../errors.js';
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
