/**
 * The run context: what handlebars text, `file`, `match` and `$` JSONPaths see.
 * `{ start, stop, descriptors, streams: {NAME: {name, length, data_keys, descriptors,
 * configuration}}, run: {uid, short_uid, scan_id}, nxlayout: {version}, ...bindings }`.
 */
import type { Configuration, DataKey, EventDescriptor, RunStart, RunStop } from '../documents/models.js';
import type { Run } from '../run/models.js';

interface StreamContext {
  name: string;
  length: number;
  data_keys: Record<string, DataKey>;
  descriptors: readonly EventDescriptor[];
  /** The first descriptor's configuration, by device. */
  configuration: Record<string, Configuration>;
}

export interface RunContext {
  start: RunStart;
  stop?: RunStop;
  descriptors: readonly EventDescriptor[];
  streams: Record<string, StreamContext>;
  /** `main_stream`: the stream to plot — primary when present, else the first with events other than baseline. */
  run: { uid: string; short_uid: string; scan_id?: number; main_stream?: string };
  nxlayout: { version: string };
  [binding: string]: unknown;
}

/** Repeat bindings (`stream`, `field`, `data_key`, `key`, `value`) shadow nothing of the run's own names. */
export type Bindings = Readonly<Record<string, unknown>>;

const RESERVED = new Set(['start', 'stop', 'descriptors', 'streams', 'run', 'nxlayout']);

export function buildContext(run: Run, bindings: Bindings = {}, version = 'unknown'): RunContext {
  const streams: Record<string, StreamContext> = {};
  for (const [name, s] of run.streams) {
    streams[name] = {
      name,
      length: s.length,
      data_keys: s.dataKeys,
      descriptors: s.descriptors,
      configuration: s.descriptors[0]?.configuration ?? {},
    };
  }
  const base: RunContext = {
    start: run.start,
    descriptors: run.descriptors,
    streams,
    run: {
      uid: run.uid,
      short_uid: run.uid.slice(0, 8),
      ...(run.start.scan_id === undefined ? {} : { scan_id: run.start.scan_id }),
      ...(mainStream(run) === undefined ? {} : { main_stream: mainStream(run) }),
    },
    nxlayout: { version },
  };
  if (run.stop !== undefined) base.stop = run.stop;
  return withBindings(base, bindings);
}

export function withBindings(context: RunContext, bindings: Bindings): RunContext {
  const extra = Object.entries(bindings).filter(([k]) => !RESERVED.has(k));
  return extra.length === 0 ? context : { ...context, ...Object.fromEntries(extra) };
}

/** The stream a plot of the run shows: primary, else the first stream with events that is not the baseline. */
export function mainStream(run: Run): string | undefined {
  if (run.streams.has('primary')) return 'primary';
  for (const [name, stream] of run.streams) if (name !== 'baseline' && stream.length > 0) return name;
  return undefined;
}
