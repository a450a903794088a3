/**
 * The shared error vocabulary of nxlayout.
 *
 * `NxlError` is thrown for conditions that stop the current run (or command);
 * `Diagnostic` is reported and continued past. Both carry a stage-prefixed
 * `code`, a `Location` filled in by whichever stage knows it, and a `hint`
 * that says what to do next. Library code never prints: only `cli/` does.
 */

export type Severity = 'error' | 'warning' | 'info';

export type ErrorCode =
  // documents/: bytes → documents
  | 'DOC_IO'
  | 'DOC_EMPTY'
  | 'DOC_FORMAT'
  | 'DOC_PARSE'
  | 'DOC_TRUNCATED'
  | 'DOC_SHAPE'
  | 'DOC_SCHEMA'
  | 'DOC_SKIPPED'
  | 'DOC_LIMIT'
  // run/: documents → runs
  | 'RUN_UNKNOWN_START'
  | 'RUN_UNKNOWN_DESCRIPTOR'
  | 'RUN_UNKNOWN_RESOURCE'
  | 'RUN_DUPLICATE_UID'
  | 'RUN_AFTER_STOP'
  | 'RUN_NO_STOP'
  | 'RUN_EVENT_SHAPE'
  | 'RUN_REPLAYED'
  | 'RUN_NUM_EVENTS'
  | 'RUN_READING_TYPE'
  | 'RUN_NO_EVENTS'
  | 'RUN_NO_FRAMES'
  // layout/: template text → tree
  | 'LAYOUT_IO'
  | 'LAYOUT_JSON'
  | 'LAYOUT_SCHEMA'
  | 'LAYOUT_NAME'
  | 'LAYOUT_HANDLEBARS'
  | 'LAYOUT_JSONPATH'
  | 'LAYOUT_CALCULATION'
  | 'LAYOUT_LINK_TARGET'
  | 'LAYOUT_NX_CLASS'
  | 'LAYOUT_NXDATA'
  | 'LAYOUT_FILE_PATH'
  | 'LAYOUT_NO_MATCH'
  | 'LAYOUT_FALLBACK'
  // evaluate/: template × run → plan
  | 'EVAL_STREAM_MISSING'
  | 'EVAL_FIELD_MISSING'
  | 'EVAL_CONFIG_MISSING'
  | 'EVAL_INDEX_MISSING'
  | 'EVAL_START_MISSING'
  | 'EVAL_DOCUMENT_MISSING'
  | 'EVAL_SHAPE_MISMATCH'
  | 'EVAL_TYPE_MISMATCH'
  | 'EVAL_UNKNOWN_CALCULATION'
  | 'EVAL_CALCULATION'
  | 'EVAL_TEMPLATE_TEXT'
  | 'EVAL_EXTERNAL'
  | 'EVAL_PROJECTION'
  | 'EVAL_NAME'
  | 'EVAL_LINK_TARGET'
  | 'EVAL_CONVENTION'
  | 'EVAL_START_PROJECTIONS'
  | 'EVAL_PYTHON_CALLABLE'
  // nexus/: plan → file
  | 'NEXUS_WRITE'
  | 'NEXUS_READ'
  | 'NEXUS_PATH_ESCAPE'
  | 'NEXUS_EXISTS'
  | 'NEXUS_DISK_FULL'
  | 'NEXUS_TOO_MANY_FILES'
  // NeXus definitions (validate)
  | 'NXDL_REQUIRED'
  | 'NXDL_TYPE'
  | 'NXDL_ENUM'
  | 'NXDL_UNKNOWN'
  | 'NXDL_DEFINITION'
  | 'NXDL_ROOT'
  // import/: areaDetector layout.xml → template; report/: output files → run list
  | 'IMPORT_XML'
  | 'IMPORT_LAYOUT'
  | 'REPORT_IO'
  | 'VIEW_IO'
  // watch/ and cli/
  | 'WATCH_IO'
  | 'WATCH_STATE'
  | 'WATCH_TEMPLATE'
  // bus/: publish and serve over Redis Streams
  | 'BUS_REDIS'
  | 'BUS_ENTRY'
  | 'CLI_USAGE'
  | 'INTERNAL';

/** Where a problem is. Every part is optional; each stage fills in what it knows. */
export interface Location {
  /** A file: document log, template, or output file. */
  file?: string;
  /** 1-based line in `file` (text formats). */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** 1-based item number in a log (line for jsonl, item for msgpack / JSON arrays). */
  item?: number;
  /** Byte offset in the (decompressed) log. */
  offset?: number;
  /** JSON Pointer into the template or into a document. */
  pointer?: string;
  /** HDF5 path in the output file. */
  nexusPath?: string;
  /** The document concerned. */
  document?: { name: string; uid?: string };
  /** Run uid. */
  run?: string;
  stream?: string;
  field?: string;
}

export interface Diagnostic {
  code: ErrorCode;
  severity: Severity;
  message: string;
  location: Location;
  hint?: string;
}

export class NxlError extends Error {
  readonly code: ErrorCode;
  readonly location: Location;
  readonly hint?: string;

  constructor(
    code: ErrorCode,
    message: string,
    location: Location = {},
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NxlError';
    this.code = code;
    this.location = location;
    if (options.hint !== undefined) this.hint = options.hint;
  }

  toDiagnostic(severity: Severity = 'error'): Diagnostic {
    return diagnostic(this.code, severity, this.message, this.location, this.hint);
  }
}

export function diagnostic(
  code: ErrorCode,
  severity: Severity,
  message: string,
  location: Location = {},
  hint?: string,
): Diagnostic {
  return hint === undefined ? { code, severity, message, location } : { code, severity, message, location, hint };
}

export function isNxlError(e: unknown): e is NxlError {
  return e instanceof NxlError;
}

/** Any thrown value as a Diagnostic (unknown errors become INTERNAL). */
export function toDiagnostic(e: unknown, location: Location = {}): Diagnostic {
  if (isNxlError(e)) return e.toDiagnostic();
  const message = e instanceof Error ? e.message : String(e);
  return diagnostic(
    'INTERNAL',
    'error',
    message,
    location,
    'this is a bug in nxlayout: please report it with the input that caused it',
  );
}

/**
 * How a Diagnostic reads as one line (the one formatter of nxlayout):
 * - `log` (the default: what the commands print to stderr and what journals and files record):
 *   `LOCATION: severity CODE: message — hint`, LOCATION being `file:line:column` (or `file item N`),
 *   the document, `run …`, `stream …`, `field …`, `at POINTER`, `(HDF5 path)`;
 * - `editor` (`validate`'s text, which editors and CI logs turn into links):
 *   `FILE:LINE:COLUMN: severity CODE: message (POINTER) [run …, stream …, field …, HDF5 path] — hint`;
 * - `annotation`: the editor style's `message (POINTER) […] — hint` alone, for outputs that carry the
 *   place, severity and code apart (GitHub workflow commands).
 */
export type DiagnosticStyle = 'log' | 'editor' | 'annotation';

function pointerText(pointer: string): string {
  return pointer === '' ? '/' : pointer;
}

/** `file:line:column`, `file item N`, or `file` (empty without a file). */
function fileText(loc: Location, column: (loc: Location) => number | undefined): string {
  if (loc.file === undefined) return '';
  if (loc.line !== undefined) {
    const c = column(loc);
    return `${loc.file}:${loc.line}${c === undefined ? '' : `:${c}`}`;
  }
  return loc.item === undefined ? loc.file : `${loc.file} item ${loc.item}`;
}

/** The log style's place: the file, the document, run, stream, field, pointer and HDF5 path. */
function logLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(fileText(loc, (l) => l.column));
  else if (loc.item !== undefined) parts.push(`item ${loc.item}`);
  if (loc.document !== undefined)
    parts.push(loc.document.uid ? `${loc.document.name} ${loc.document.uid}` : loc.document.name);
  if (loc.run !== undefined) parts.push(`run ${loc.run.slice(0, 8)}`);
  if (loc.stream !== undefined) parts.push(`stream ${loc.stream}`);
  if (loc.field !== undefined) parts.push(`field ${loc.field}`);
  if (loc.pointer !== undefined) parts.push(`at ${pointerText(loc.pointer)}`);
  if (loc.nexusPath !== undefined) parts.push(`(${loc.nexusPath})`);
  return parts.join(' ');
}

/** The editor style's tail after the message: `(POINTER) [run …, stream …, field …, HDF5 path]`. */
function editorContext(loc: Location): string {
  const at = loc.pointer === undefined ? '' : ` (${pointerText(loc.pointer)})`;
  const parts = [
    loc.run === undefined ? '' : `run ${loc.run.slice(0, 8)}`,
    loc.stream === undefined ? '' : `stream ${loc.stream}`,
    loc.field === undefined ? '' : `field ${loc.field}`,
    loc.nexusPath ?? '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? at : `${at} [${parts.join(', ')}]`;
}

/** One line for a person; see DiagnosticStyle. */
export function formatDiagnostic(d: Diagnostic, style: DiagnosticStyle = 'log'): string {
  const hint = d.hint ? ` — ${d.hint}` : '';
  // Anything but 'editor' or 'annotation' is the log style: `diagnostics.map(formatDiagnostic)` passes an index here.
  if (style !== 'editor' && style !== 'annotation') {
    const where = logLocation(d.location);
    return `${where ? `${where}: ` : ''}${d.severity} ${d.code}: ${d.message}${hint}`;
  }
  const body = `${d.message}${editorContext(d.location)}${hint}`;
  if (style === 'annotation') return body;
  // editors want a column with a line: the line's start when the finding has none
  const where = fileText(d.location, (l) => l.column ?? 1);
  return `${where ? `${where}: ` : ''}${d.severity} ${d.code}: ${body}`;
}
