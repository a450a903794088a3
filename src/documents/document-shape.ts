import { diagnostic } from '../errors.js';
import type { Diagnostic, Location } from '../errors.js';
import { DOC_NAMES } from './models.js';
import type { DocName, DocumentSource, LogItem, NamedDocument } from './models.js';

const KNOWN = new Set<string>(DOC_NAMES);

export function isDocName(name: unknown): name is DocName {
  return typeof name === 'string' && KNOWN.has(name);
}

/** The Location of a problem found at `at` (a problem knows where, maybe not which document). */
export function sourceLocation(at: DocumentSource): Location {
  const loc: Location = { file: at.log, item: at.item, offset: at.offset };
  if (at.line !== undefined) loc.line = at.line;
  return loc;
}

export function problem(d: Diagnostic): LogItem {
  return { kind: 'problem', diagnostic: d };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * A parsed log item → a document (or a DOC_SHAPE problem). Both encodings in
 * the wild are accepted: `[name, doc]` (suitcase-jsonl/msgpack, databroker
 * exports) and `{"name": …, "doc": …}` (tiled and some JSON arrays).
 */
export function toLogItem(value: unknown, at: DocumentSource): LogItem {
  let name: unknown;
  let doc: unknown;
  if (Array.isArray(value) && value.length === 2) {
    [name, doc] = value;
  } else if (isPlainObject(value) && 'name' in value && 'doc' in value) {
    ({ name, doc } = value);
  } else {
    return problem(
      diagnostic(
        'DOC_SHAPE',
        'error',
        `item is ${describe(value)}, not a [name, document] pair`,
        sourceLocation(at),
        'each item of a document log must be ["name", {...}] or {"name": "...", "doc": {...}}',
      ),
    );
  }
  if (!isDocName(name)) {
    return problem(
      diagnostic(
        'DOC_SHAPE',
        'error',
        `unknown document name ${JSON.stringify(name)}`,
        sourceLocation(at),
        `the name must be one of ${DOC_NAMES.join(', ')}`,
      ),
    );
  }
  if (!isPlainObject(doc)) {
    return problem(
      diagnostic(
        'DOC_SHAPE',
        'error',
        `the ${name} document is ${describe(doc)}, not an object`,
        { ...sourceLocation(at), document: { name } },
        'the second element of each pair must be the document object',
      ),
    );
  }
  // The schema check (validateDocument) decides whether the fields are right; here only the envelope is.
  return { kind: 'document', at, ...({ name, doc } as NamedDocument) };
}
