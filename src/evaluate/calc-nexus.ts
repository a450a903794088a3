/**
 * NeXus helpers for templates that do not know the run's devices in advance
 * (the default template): which field is the NXdata signal, which are its axes.
 * Arguments: [startDocument, stream] where stream is the run context's stream
 * (`$.streams['primary']`: name, data_keys, descriptors, length), or the older
 * form [startDocument, streamName, dataKeys, hints?].
 */
import { NxlError } from '../errors.js';
import { isRecord } from './lookup.js';
import type { CalculationSpec } from './models.js';
import { eventAxes, signalCandidates, type DataKeys, type StreamInfo } from './plot-choice.js';

const USAGE = 'e.g. "args": ["$.start", "$.streams[\'primary\']"]';

function args(name: string, a: unknown[]): { start: Record<string, unknown>; stream: StreamInfo } {
  const [start, stream, keys, hints] = a;
  if (isRecord(start) && isRecord(stream) && isRecord(stream.data_keys)) {
    const descriptors = Array.isArray(stream.descriptors) ? stream.descriptors : [];
    const first: unknown = descriptors[0];
    return {
      start,
      stream: {
        name: typeof stream.name === 'string' ? stream.name : '',
        dataKeys: stream.data_keys as DataKeys,
        hints: isRecord(first) ? first.hints : undefined,
        ...(typeof stream.length === 'number' ? { length: stream.length } : {}),
      },
    };
  }
  if (!isRecord(start) || typeof stream !== 'string' || !isRecord(keys)) {
    throw new NxlError(
      'EVAL_CALCULATION',
      `${name} takes (start document, stream) or (start document, stream name, data keys, hints?)`,
      {},
      { hint: USAGE },
    );
  }
  return { start, stream: { name: stream, dataKeys: keys as DataKeys, hints } };
}

/** The field to plot (see signalCandidates); an error when the stream has none, so an optional @signal is left out. */
function nexusSignal(start: Record<string, unknown>, stream: StreamInfo): string {
  const [first] = signalCandidates(start, stream);
  if (first === undefined) {
    const why =
      stream.length === 0
        ? `stream ${stream.name} has no events`
        : `stream ${stream.name} has no numeric field that is not a motor or an axis`;
    throw new NxlError(
      'EVAL_CALCULATION',
      `nexus_signal: no field to plot: ${why}`,
      { stream: stream.name },
      {
        hint: `data keys: ${Object.keys(stream.dataKeys).join(', ') || 'none'}; the file gets no default plot`,
      },
    );
  }
  return first;
}

/**
 * The axis of the signal's first (event) dimension, or "." when none applies.
 * NeXus wants one @axes entry per dimension: the conventions pad the others
 * with "." once the signal's rank is known, and give every other motor of
 * that dimension `@NAME_indices = 0`.
 */
function nexusAxes(start: Record<string, unknown>, stream: StreamInfo): string[] {
  // no signal, no axes: an NXdata without a plot carries neither
  const signal = nexusSignal(start, stream);
  return [eventAxes(start, stream, signal)[0] ?? '.'];
}

export const NEXUS_CALCULATIONS: Record<string, CalculationSpec> = {
  nexus_signal: {
    minArgs: 2,
    maxArgs: 4,
    mayBeMissing: 3,
    description:
      'nexus_signal(start, stream): the hinted fields of start.detectors first, never a motor, an axis, text or a stream without events',
    fn: (a) => {
      const { start, stream } = args('nexus_signal', a);
      return nexusSignal(start, stream);
    },
  },
  nexus_axes: {
    minArgs: 2,
    maxArgs: 4,
    mayBeMissing: 3,
    description:
      'nexus_axes(start, stream): [the first hints.dimensions field of the stream, else the first motor, else "."] for the event dimension',
    fn: (a) => {
      const { start, stream } = args('nexus_axes', a);
      return nexusAxes(start, stream);
    },
  },
};
