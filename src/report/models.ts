/** What `nxlayout report` lists: one row per run file of a directory. */
import type { Diagnostic } from '../errors.js';
import type { PlotPreview } from '../nexus/index.js';

export type ReportFormat = 'csv' | 'md' | 'html' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'md', 'html', 'json'];

/** One NeXus file that records a run (it holds nxlayout's provenance). */
export interface ReportRow {
  /** Path relative to the reported directory, `/`-separated. */
  file: string;
  /** Size in bytes. */
  size: number;
  uid: string;
  scanId?: number;
  plan?: string;
  /** `<entry>/sample/name` of the file (else the start document's sample). */
  sample?: string;
  /** `<entry>/title` of the file (else the start document's title). */
  title?: string;
  /** Start and end times, ISO 8601 with their time zone (`…Z`). */
  start?: string;
  end?: string;
  /** Seconds from start to stop. */
  duration?: number;
  /** The stop document's exit_status, or `no stop` (the file was written without one). */
  status: string;
  /** Events per stream, from the stop document the file keeps (absent without a stop). */
  events?: Record<string, number>;
  /** `name@version` of the template that wrote the file. */
  template?: string;
  /** The file's default plot, downsampled for a thumbnail. */
  plot?: PlotPreview;
}

export interface Report {
  /** The directory as given. */
  dir: string;
  rows: ReportRow[];
  /** HDF5 files that record no run (detector files…), relative paths. */
  skipped: string[];
  diagnostics: Diagnostic[];
}

/** Where the HTML report's rows link to. */
export interface ReportLinks {
  /** The file itself (default: its path relative to the reported directory). */
  file?: (row: ReportRow) => string;
  /** The file in `nxlayout view` (only when the report is served by it). */
  view?: (row: ReportRow) => string;
}
