/**
 * Which field of a stream a scientist expects to see plotted, and against
 * what, from what the run declares: the start document's `detectors`,
 * `motors` and `hints.dimensions`, and the descriptor's `hints`
 * (`{device: {fields: [...]}}`). Pure: no plan, no file.
 */
import { isRecord } from './lookup.js';

export type DataKeys = Record<
  string,
  { object_name?: unknown; dtype?: unknown; dtype_numpy?: unknown; shape?: unknown; external?: unknown }
>;

export interface StreamInfo {
  readonly name: string;
  readonly dataKeys: DataKeys;
  /** The stream's first descriptor's `hints`. */
  readonly hints?: unknown;
  /** Events read; 0 means every column has 0 rows. */
  readonly length?: number;
}

function names(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The data keys a device produced: its own name, keys it owns (object_name), keys prefixed with `device_`. */
function fieldsOf(device: string, keys: DataKeys): string[] {
  return Object.keys(keys).filter((k) => k === device || keys[k]?.object_name === device || k.startsWith(`${device}_`));
}

function hintedFields(hints: unknown, device: string): string[] {
  return isRecord(hints) && isRecord(hints[device]) ? names(hints[device].fields) : [];
}

/** Fields of `stream` that `hints.dimensions` of the start document names, in order, with each dimension's fields together. */
function dimensionFields(start: Record<string, unknown>, stream: string, keys: DataKeys): string[][] {
  const hints = isRecord(start.hints) ? start.hints : {};
  const dims = Array.isArray(hints.dimensions) ? hints.dimensions : [];
  const out: string[][] = [];
  for (const dim of dims) {
    if (!Array.isArray(dim) || (dim[1] !== undefined && dim[1] !== stream)) continue;
    const fields = names(dim[0]).filter((f) => Object.hasOwn(keys, f));
    if (fields.length > 0) out.push(fields);
  }
  return out;
}

/** The fields that position rather than measure: the motors' fields and those of each field hints.dimensions names (`m1`, `m1_user_setpoint`…). */
function axisFieldSet(start: Record<string, unknown>, stream: StreamInfo): Set<string> {
  const keys = stream.dataKeys;
  const axes = new Set<string>();
  for (const device of [...names(start.motors), ...dimensionFields(start, stream.name, keys).flat()]) {
    for (const f of fieldsOf(device, keys)) axes.add(f);
  }
  return axes;
}

/** A field that can be plotted: numbers (or booleans), never text or objects. */
function isPlottableKey(dk: DataKeys[string] | undefined): boolean {
  if (dk === undefined) return false;
  const numpy = typeof dk.dtype_numpy === 'string' ? dk.dtype_numpy : '';
  if (/^[<>|=]?[USOVM]/.test(numpy)) return false;
  return dk.dtype === 'number' || dk.dtype === 'integer' || dk.dtype === 'boolean' || dk.dtype === 'array';
}

/**
 * Candidate signals, best first: for each device of `start.detectors` its
 * hinted fields (the detector itself when it names a field); with no
 * detector declared, every hinted field of the descriptor; then the
 * detectors' other fields; then any other field. Axis fields, text and
 * object columns are never candidates; a stream without events has none.
 */
export function signalCandidates(start: Record<string, unknown>, stream: StreamInfo): string[] {
  if (stream.length === 0) return [];
  const keys = stream.dataKeys;
  const axes = axisFieldSet(start, stream);
  const out: string[] = [];
  const add = (fields: readonly string[]): void => {
    for (const f of fields)
      if (Object.hasOwn(keys, f) && !axes.has(f) && !out.includes(f) && isPlottableKey(keys[f])) out.push(f);
  };
  const detectors = names(start.detectors);
  for (const det of detectors) {
    if (isRecord(stream.hints) && isRecord(stream.hints[det])) add(hintedFields(stream.hints, det));
    else if (Object.hasOwn(keys, det)) add([det]);
  }
  if (detectors.length === 0 && isRecord(stream.hints))
    for (const device of Object.keys(stream.hints)) add(hintedFields(stream.hints, device));
  for (const det of detectors) add(fieldsOf(det, keys));
  add(Object.keys(keys));
  return out;
}

/**
 * The axes of the event dimension (dimension 0 of a column): the fields of
 * the stream's first `hints.dimensions` entry, else the motors' own fields.
 * The first is the one @axes names; the others are further coordinates of
 * the same dimension.
 */
export function eventAxes(start: Record<string, unknown>, stream: StreamInfo, signal?: string): string[] {
  const keys = stream.dataKeys;
  const out: string[] = [];
  const add = (f: string | undefined): void => {
    if (f !== undefined && f !== signal && !out.includes(f) && isPlottableKey(keys[f])) out.push(f);
  };
  for (const dim of dimensionFields(start, stream.name, keys)) dim.forEach(add);
  for (const m of names(start.motors)) add(Object.hasOwn(keys, m) ? m : fieldsOf(m, keys)[0]);
  return out;
}
