/**
 * HDF5 failures as NxlErrors: the HDF5 path, the API call that failed and the innermost
 * cause, parsed out of the HDF5-DIAG stack (the original error is kept as `cause`).
 */
import { NxlError, type ErrorCode } from '../errors.js';

/** One frame of an HDF5-DIAG stack: `#003: file.c line 12 in H5Dcreate2(): unable to create dataset`. */
const FRAME = /#\d+:.* in ([A-Za-z0-9_]+\(\)): (.*)$/;

/** `H5Gcreate2(): unable to synchronously create group: name already exists`, or the text unchanged. */
export function summarizeHdf5Error(text: string): string {
  const frames: { fn: string; message: string }[] = [];
  for (const line of text.split('\n')) {
    const m = FRAME.exec(line.trim());
    if (m) frames.push({ fn: m[1], message: m[2].trim() });
  }
  if (frames.length === 0) return text.trim();
  const outer = frames[0];
  const inner = frames[frames.length - 1];
  return inner === outer ? `${outer.fn} ${outer.message}` : `${outer.fn} ${outer.message}: ${inner.message}`;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function hintFor(summary: string): string | undefined {
  if (/already exists/.test(summary))
    return 'two nodes of the plan write the same HDF5 path: rename one of them in the template';
  if (/(object|component) not found|doesn't exist/.test(summary))
    return 'the parent group or link target does not exist: check the path in the template';
  return undefined;
}

/** Operating-system conditions an operator can act on, told apart from the file's own problems. */
export type ResourceProblem = 'disk-full' | 'too-many-files';

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
const TOO_MANY_FILES_CODES = new Set(['EMFILE', 'ENFILE']);

/**
 * Whether `e` (a Node error with an errno code, or an HDF5 error whose text names the C error)
 * is a full disk or an exhausted descriptor table.
 */
export function resourceProblem(e: unknown): ResourceProblem | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DISK_FULL_CODES.has(code)) return 'disk-full';
  if (typeof code === 'string' && TOO_MANY_FILES_CODES.has(code)) return 'too-many-files';
  const text = e instanceof Error ? `${e.message}\n${e.cause instanceof Error ? e.cause.message : ''}` : String(e);
  if (/No space left on device|Disk quota exceeded/i.test(text)) return 'disk-full';
  if (/Too many open files|No file descriptors available/i.test(text)) return 'too-many-files';
  return undefined;
}

/** The NxlError for a full disk or too many open files while `doing` (e.g. "writing /entry/data"). */
export function resourceError(
  problem: ResourceProblem,
  doing: string,
  file: string | undefined,
  cause: unknown,
): NxlError {
  const location = file === undefined ? {} : { file };
  if (problem === 'disk-full') {
    return new NxlError('NEXUS_DISK_FULL', `disk full: no space left on the device while ${doing}`, location, {
      cause,
      hint: 'free space on the output file system (or raise the quota); nothing partial was kept, and the daemon writes the run again when space returns (`write`: run it again)',
    });
  }
  return new NxlError(
    'NEXUS_TOO_MANY_FILES',
    `too many open files: the process reached its limit of open file descriptors while ${doing}`,
    location,
    {
      cause,
      hint: 'raise the limit (ulimit -n, or LimitNOFILE= in the systemd unit; 4096 or more for a large spool), then run again',
    },
  );
}

/** Wrap anything thrown while `action` (e.g. "cannot create group") on `nexusPath`. NxlErrors pass through. */
export function wrapH5Error(
  e: unknown,
  action: string,
  nexusPath: string,
  code: ErrorCode = 'NEXUS_WRITE',
  file?: string,
): NxlError {
  if (e instanceof NxlError) return e;
  const problem = resourceProblem(e);
  if (problem !== undefined)
    return resourceError(
      problem,
      `${action.replace(/^cannot /, '')} ${nexusPath}${file === undefined ? '' : ` in ${file}`}`,
      file,
      e,
    );
  const summary = summarizeHdf5Error(messageOf(e));
  const hint = hintFor(summary);
  const location = file === undefined ? { nexusPath } : { file, nexusPath };
  return new NxlError(
    code,
    `${action} ${nexusPath}: ${summary}`,
    location,
    hint === undefined ? { cause: e } : { cause: e, hint },
  );
}
