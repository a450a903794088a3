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
  if (/already exists/.test(summary)) return 'two nodes of the plan write the same HDF5 path: rename one of them in the template';
  if (/(object|component) not found|doesn't exist/.test(summary)) return 'the parent group or link target does not exist: check the path in the template';
  return undefined;
}

/** Wrap anything thrown while `action` (e.g. "cannot create group") on `nexusPath`. NxlErrors pass through. */
export function wrapH5Error(e: unknown, action: string, nexusPath: string, code: ErrorCode = 'NEXUS_WRITE', file?: string): NxlError {
  if (e instanceof NxlError) return e;
  const summary = summarizeHdf5Error(messageOf(e));
  const hint = hintFor(summary);
  const location = file === undefined ? { nexusPath } : { file, nexusPath };
  return new NxlError(code, `${action} ${nexusPath}: ${summary}`, location, hint === undefined ? { cause: e } : { cause: e, hint });
}
