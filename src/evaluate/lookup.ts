/**
 * Finding a value in a document: a plain key first, then a JSONPath
 * (`$.sample.name`, evaluated by jsonpath-plus in its safe mode, never as
 * code), then a dotted path when no key of that exact name exists.
 */
import { JSONPath } from 'jsonpath-plus';
import { NxlError } from '../errors.js';

export type Found = { found: true; value: unknown } | { found: false };

const NOT_FOUND: Found = { found: false };

export function lookupField(doc: unknown, field: string): Found {
  if (isRecord(doc) && Object.hasOwn(doc, field)) return present(doc[field]);
  if (field.startsWith('$')) return queryPath(doc, field);
  if (field.includes('.')) return walkDotted(doc, field.split('.'));
  return NOT_FOUND;
}

/**
 * A JSONPath query. A definite path (no wildcard, filter, slice, union or
 * recursive descent) yields its one value; any other path yields the list
 * of matches (possibly empty, which counts as found).
 */
export function queryPath(json: unknown, path: string): Found {
  let results: unknown[];
  try {
    results = JSONPath({ path, json: json as object, eval: 'safe', wrap: true }) as unknown[];
  } catch (e) {
    throw new NxlError(
      'EVAL_PROJECTION',
      `JSONPath ${path} cannot be evaluated: ${(e as Error).message}`,
      {},
      {
        hint: 'JSONPath filters may use only comparisons and member access (safe evaluation)',
        cause: e,
      },
    );
  }
  if (isDefinite(path)) return results.length === 0 ? NOT_FOUND : present(results[0]);
  return { found: true, value: results };
}

function isDefinite(path: string): boolean {
  return JSONPath.toPathArray(path).every(
    (seg) =>
      seg !== '*' && seg !== '..' && !/^[?(]/.test(seg) && !seg.includes(',') && !/^-?\d*:-?\d*(:-?\d*)?$/.test(seg),
  );
}

function walkDotted(doc: unknown, parts: string[]): Found {
  let at: unknown = doc;
  for (const p of parts) {
    if (Array.isArray(at) && /^\d+$/.test(p) && Number(p) < at.length) at = at[Number(p)];
    else if (isRecord(at) && Object.hasOwn(at, p)) at = at[p];
    else return NOT_FOUND;
  }
  return present(at);
}

/** null counts as absent: HDF5 has no null, and a null metadata value is no value. */
function present(value: unknown): Found {
  return value === null || value === undefined ? NOT_FOUND : { found: true, value };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
