/**
 * The entries of the bus, to and from Redis stream fields. A run entry is
 * `name` (the document's name) and `doc` (the document as JSON text, with
 * NaN/Infinity/-Infinity as Python's json writes them); a publisher that read
 * the document from a log may add `at` (JSON: log, item, line, offset). A job
 * entry is `uid` and `stream`. Anything else is a located BUS_ENTRY error.
 */
import { randomBytes } from 'node:crypto';
import { diagnostic, type Diagnostic } from '../errors.js';
import { isDocName, parseJsonText } from '../documents/index.js';
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import type { JobEntry, RunEntry } from './models.js';

/** A raw stream entry as Redis returns it: id and flat [field, value, …]. */
export type RawEntry = [string, string[]];

/**
 * JSON text of `value`, non-finite numbers written as Python's json writes them
 * (JSON.stringify would make them null) and -0 as -0 (JSON.stringify writes 0).
 */
export function docText(value: unknown): string {
  let mark: string | undefined;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'number' || (Number.isFinite(v) && !Object.is(v, -0))) return v;
    mark ??= `\u0000nxl-${randomBytes(6).toString('hex')}:`;
    return `${mark}${Object.is(v, -0) ? '-0' : String(v)}`;
  });
  if (mark === undefined) return text;
  const escaped = JSON.stringify(mark).slice(1, -1);
  return text.replace(new RegExp(`"${escaped.replace(/\\/g, '\\\\')}(NaN|-?Infinity|-0)"`, 'g'), '$1');
}

/** The fields of a run entry. */
export function runEntryFields(named: NamedDocument, at?: DocumentSource): string[] {
  const fields = ['name', named.name, 'doc', docText(named.doc)];
  if (at !== undefined) fields.push('at', JSON.stringify(at));
  return fields;
}

function fieldMap(fields: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i], fields[i + 1]);
  return map;
}

function isSource(v: unknown): v is DocumentSource {
  const s = v as DocumentSource;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof s.log === 'string' &&
    typeof s.item === 'number' &&
    typeof s.offset === 'number'
  );
}

/** A run entry, or a BUS_ENTRY error located at the stream, the entry's number and id. */
export function parseRunEntry(stream: string, index: number, [id, fields]: RawEntry): RunEntry | Diagnostic {
  const map = fieldMap(fields);
  const where = { file: stream, item: index };
  const bad = (message: string, pointer: string, hint: string): Diagnostic =>
    diagnostic('BUS_ENTRY', 'error', `entry ${id}: ${message}`, { ...where, pointer }, hint);
  const name = map.get('name');
  if (!isDocName(name))
    return bad(
      `field name is ${JSON.stringify(name ?? null)}, not an event-model document name`,
      '/name',
      'each entry of a run stream is {name: start|descriptor|event|…, doc: JSON text}: fix the publisher',
    );
  const text = map.get('doc');
  if (text === undefined)
    return bad('no doc field', '/doc', 'each entry of a run stream carries its document as JSON text in the field doc');
  let doc: unknown;
  try {
    doc = parseJsonText(text);
  } catch (e) {
    return bad(
      `doc is not JSON: ${(e as Error).message}`,
      '/doc',
      'the doc field must be the document as JSON text (json.dumps in Python)',
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return bad('doc is not a JSON object', '/doc', 'the doc field must be one document, a JSON object');
  const entry: RunEntry = { id, named: { name, doc } as NamedDocument };
  const at = map.get('at');
  if (at !== undefined) {
    try {
      const parsed: unknown = JSON.parse(at);
      if (isSource(parsed)) entry.at = parsed;
    } catch {
      // `at` only locates messages: without it the stream entry is the location.
    }
  }
  return entry;
}

/** A job entry, or a BUS_ENTRY error. */
export function parseJobEntry(
  jobs: string,
  [id, fields]: RawEntry,
  runKey: (uid: string) => string,
  claimed: boolean,
): JobEntry | Diagnostic {
  const map = fieldMap(fields);
  const uid = map.get('uid');
  if (uid === undefined || uid === '') {
    return diagnostic(
      'BUS_ENTRY',
      'error',
      `job entry ${id} has no uid field`,
      { file: jobs, pointer: '/uid' },
      'each entry of the job stream is {uid: the run uid, stream: its run stream key}: fix the publisher',
    );
  }
  return { id, uid, stream: map.get('stream') ?? runKey(uid), claimed };
}
