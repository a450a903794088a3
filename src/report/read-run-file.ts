/**
 * What a NeXus file written by nxlayout says about its run: its provenance (the raw start and stop
 * documents, the template), read by nexus/'s readProvenance, made into a report row.
 */
import { iso8601 } from '../evaluate/index.js';
import { readProvenance } from '../nexus/index.js';
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

/**
 * The report row of `absPath` (shown as `file`, `size` bytes), or undefined
 * when it is an HDF5 file that records no run. NEXUS_READ when it is not HDF5.
 */
export function readRunFile(absPath: string, file: string, size: number): ReportRow | undefined {
  const provenance = readProvenance(absPath, file);
  if (provenance === undefined) return undefined;
  const start = parse(provenance.startDocument);
  const uid = provenance.runUid ?? text(start?.uid);
  if (start === undefined || uid === undefined) return undefined;
  const stop = parse(provenance.stopDocument);
  const name = provenance.templateName;
  const version = provenance.templateVersion;
  const row: ReportRow = { file, size, uid, status: text(stop?.exit_status) ?? 'no stop' };
  if (typeof start.scan_id === 'number') row.scanId = start.scan_id;
  const plan = text(start.plan_name);
  if (plan !== undefined) row.plan = plan;
  const sample = text(start.sample_name) ?? text(start.sample);
  if (sample !== undefined) row.sample = sample;
  const title = text(start.title);
  if (title !== undefined) row.title = title;
  if (typeof start.time === 'number') row.start = iso8601(start.time);
  if (typeof stop?.time === 'number') row.end = iso8601(stop.time);
  if (typeof start.time === 'number' && typeof stop?.time === 'number') {
    row.duration = Math.round((stop.time - start.time) * 1000) / 1000;
  }
  if (name !== undefined) row.template = version === undefined ? name : `${name}@${version}`;
  return row;
}
