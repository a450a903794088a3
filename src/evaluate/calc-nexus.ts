/**
 * NeXus helpers for templates that do not know the run's devices in advance
 * (the default template): which field is the NXdata signal, which are its axes.
 * Arguments: [startDocument, streamName, dataKeys of that stream].
 */
import { NxlError } from '../errors.js';
import { isRecord } from './lookup.js';
import type { CalculationSpec } from './models.js';

type DataKeys = Record<string, { object_name?: unknown }>;

function args(name: string, [start, stream, keys]: unknown[]): { start: Record<string, unknown>; stream: string; keys: DataKeys } {
  if (!isRecord(start) || typeof stream !== 'string' || !isRecord(keys)) {
    throw new NxlError('EVAL_CALCULATION', `${name} takes (start document, stream name, data keys)`, {}, {
      hint: `e.g. "args": ["$.start", "primary", "$.streams.primary.data_keys"]`,
    });
  }
  return { start, stream, keys: keys as DataKeys };
}

function names(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The data keys a device produced: its own name, keys it owns (object_name), keys prefixed with `device_`. */
function fieldsOf(device: string, keys: DataKeys): string[] {
  return Object.keys(keys).filter((k) => k === device || keys[k]?.object_name === device || k.startsWith(`${device}_`));
}

/** `hints`: the descriptor's hints (`{device: {fields: [...]}}`): a detector's hinted fields come first. */
export function nexusSignal(startDoc: Record<string, unknown>, keys: DataKeys, hints: unknown = {}): string {
  for (const det of names(startDoc.detectors)) {
    const hinted = isRecord(hints) && isRecord(hints[det]) ? names(hints[det].fields) : [];
    const found = [...hinted.filter((f) => Object.hasOwn(keys, f)), ...fieldsOf(det, keys)];
    if (found.length > 0) return found[0] as string;
  }
  const motorFields = new Set(names(startDoc.motors).flatMap((m) => fieldsOf(m, keys)));
  const other = Object.keys(keys).find((k) => !motorFields.has(k));
  if (other === undefined) {
    throw new NxlError('EVAL_CALCULATION', 'nexus_signal: no detector field and no non-motor field in the stream', {}, {
      hint: `data keys: ${Object.keys(keys).join(', ') || 'none'}`,
    });
  }
  return other;
}

export function nexusAxes(startDoc: Record<string, unknown>, stream: string, keys: DataKeys): string[] {
  const hints = isRecord(startDoc.hints) ? startDoc.hints : {};
  const dims = Array.isArray(hints.dimensions) ? hints.dimensions : [];
  const fromHints: string[] = [];
  for (const dim of dims) {
    if (!Array.isArray(dim) || dim[1] !== stream) continue;
    for (const f of names(dim[0])) if (Object.hasOwn(keys, f) && !fromHints.includes(f)) fromHints.push(f);
  }
  if (fromHints.length > 0) return fromHints;
  const fromMotors: string[] = [];
  for (const m of names(startDoc.motors)) {
    const f = Object.hasOwn(keys, m) ? m : fieldsOf(m, keys)[0];
    if (f !== undefined && !fromMotors.includes(f)) fromMotors.push(f);
  }
  // NeXus: "." marks a signal dimension without an axis
  return fromMotors.length > 0 ? fromMotors : ['.'];
}

export const NEXUS_CALCULATIONS: Record<string, CalculationSpec> = {
  nexus_signal: {
    minArgs: 3,
    maxArgs: 4,
    mayBeMissing: 3,
    description: 'nexus_signal(start, stream, data_keys, hints?): the first (hinted) field of start.detectors in the stream, else the first non-motor field',
    fn: (a) => {
      const { start, keys } = args('nexus_signal', a);
      return nexusSignal(start, keys, a[3]);
    },
  },
  nexus_axes: {
    minArgs: 3,
    maxArgs: 3,
    description: 'nexus_axes(start, stream, data_keys): hints.dimensions fields of the stream, else start.motors fields, else ["."]',
    fn: (a) => {
      const { start, stream, keys } = args('nexus_axes', a);
      return nexusAxes(start, stream, keys);
    },
  },
};
