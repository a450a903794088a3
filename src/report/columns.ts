/** The report's columns, in order, shared by every format. */
import type { ReportRow } from './models.js';

export interface Column {
  /** CSV header (machine-friendly). */
  readonly key: string;
  /** Heading for people (Markdown, HTML). */
  readonly title: string;
  /** The cell for CSV: exact values (bytes, seconds). */
  readonly raw: (row: ReportRow) => string;
  /** The cell for people: sizes and durations made readable. */
  readonly pretty: (row: ReportRow) => string;
}

function opt(v: string | number | undefined): string {
  return v === undefined ? '' : String(v);
}

/** 1234567 → "1.2 MB" (decimal units, as file browsers show them). */
export function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** 83.5 → "1 min 23.5 s". */
function humanDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  if (seconds < 60) return `${Number(seconds.toFixed(1))} s`;
  const m = Math.floor(seconds / 60);
  const s = Number((seconds - m * 60).toFixed(1));
  return m < 60 ? `${m} min ${s} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const same = (f: (row: ReportRow) => string) => ({ raw: f, pretty: f });

/** `primary: 11, baseline: 2` (people) / `primary=11;baseline=2` (CSV). */
function events(row: ReportRow, pretty: boolean): string {
  return Object.entries(row.events ?? {})
    .map(([s, n]) => (pretty ? `${s}: ${n}` : `${s}=${n}`))
    .join(pretty ? ', ' : ';');
}

export const COLUMNS: readonly Column[] = [
  { key: 'scan', title: 'Scan', ...same((r) => opt(r.scanId)) },
  { key: 'title', title: 'Title', ...same((r) => opt(r.title)) },
  { key: 'sample', title: 'Sample', ...same((r) => opt(r.sample)) },
  { key: 'plan', title: 'Plan', ...same((r) => opt(r.plan)) },
  { key: 'start', title: 'Start', ...same((r) => opt(r.start)) },
  { key: 'end', title: 'End', ...same((r) => opt(r.end)) },
  { key: 'duration_s', title: 'Duration', raw: (r) => opt(r.duration), pretty: (r) => humanDuration(r.duration) },
  { key: 'status', title: 'Status', ...same((r) => r.status) },
  { key: 'events', title: 'Events', raw: (r) => events(r, false), pretty: (r) => events(r, true) },
  { key: 'file', title: 'File', ...same((r) => r.file) },
  { key: 'size_bytes', title: 'Size', raw: (r) => String(r.size), pretty: (r) => humanSize(r.size) },
  { key: 'uid', title: 'Run uid', ...same((r) => r.uid) },
  { key: 'template', title: 'Template', ...same((r) => opt(r.template)) },
];
