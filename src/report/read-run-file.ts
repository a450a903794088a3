/**
 * A report row from a NeXus file written by nxlayout: its run from the
 * provenance group (the start and stop documents the file keeps), its title and
 * sample as written, and its default plot — all through nexus/'s readers, which
 * never open an external link.
 */
import { iso8601 } from '../evaluate/index.js';
import { openForReading, readPlotPreview, readRunInfo } from '../nexus/index.js';
import type { ReportRow } from './models.js';

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A sample written as the JSON of the start's `sample` object (`{"name": …}`) shows its name. */
function sampleName(written: string | undefined, start: Record<string, unknown>): string | undefined {
  const asObject = written?.startsWith('{') ? parse(written) : undefined;
  const sample = start.sample;
  return (
    text(asObject?.name) ??
    written ??
    text(start.sample_name) ??
    text(sample) ??
    (typeof sample === 'object' && sample !== null ? text((sample as Record<string, unknown>).name) : undefined)
  );
}

function eventCounts(stop: Record<string, unknown> | undefined): Record<string, number> | undefined {
  const n = stop?.num_events;
  if (typeof n !== 'object' || n === null) return undefined;
  const counts = Object.entries(n).filter((e): e is [string, number] => typeof e[1] === 'number');
  return Object.fromEntries(counts);
}

/**
 * The report row of `absPath` (shown as `file`, `size` bytes), or undefined
 * when it is an HDF5 file that records no run. NEXUS_READ when it is not HDF5.
 */
export function readRunFile(absPath: string, file: string, size: number): ReportRow | undefined {
  const h5 = openForReading(absPath);
  try {
    const info = readRunInfo(h5);
    if (info === undefined) return undefined;
    const p = info.provenance;
    const start = parse(p.start_document);
    const uid = p.run_uid ?? text(start?.uid);
    if (start === undefined || uid === undefined) return undefined;
    const stop = parse(p.stop_document);
    const row: ReportRow = { file, size, uid, status: text(stop?.exit_status) ?? 'no stop' };
    if (typeof start.scan_id === 'number') row.scanId = start.scan_id;
    const title = info.title ?? text(start.title);
    if (title !== undefined) row.title = title;
    const sample = sampleName(info.sampleName, start);
    if (sample !== undefined) row.sample = sample;
    const plan = text(start.plan_name);
    if (plan !== undefined) row.plan = plan;
    if (typeof start.time === 'number') row.start = iso8601(start.time);
    if (typeof stop?.time === 'number') row.end = iso8601(stop.time);
    if (typeof start.time === 'number' && typeof stop?.time === 'number')
      row.duration = Math.round((stop.time - start.time) * 1000) / 1000;
    const events = eventCounts(stop);
    if (events !== undefined) row.events = events;
    if (p.template_name !== undefined)
      row.template = p.template_version === undefined ? p.template_name : `${p.template_name}@${p.template_version}`;
    const plot = readPlotPreview(h5, info.entry);
    if (plot !== undefined) row.plot = plot;
    return row;
  } finally {
    h5.close();
  }
}
