/** What `nxlayout report` lists: one row per run file of a directory. */
import type { Diagnostic } from '../errors.js';

export type ReportFormat = 'csv' | 'md' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'md', 'html'];

/** One NeXus file that records a run (it holds nxlayout's provenance). */
export interface ReportRow {
  /** Path relative to the reported directory, `/`-separated. */
  file: string;
  /** Size in bytes. */
  size: number;
  uid: string;
  scanId?: number;
  plan?: string;
  sample?: string;
  title?: string;
  /** Start and end times, ISO 8601 with their time zone (`…Z`). */
  start?: string;
  end?: string;
  /** Seconds from start to stop. */
  duration?: number;
  /** The stop document's exit_status, or `no stop` (the file was written without one). */
  status: string;
  /** `name@version` of the template that wrote the file. */
  template?: string;
}

export interface Report {
  /** The directory as given. */
  dir: string;
  rows: ReportRow[];
  /** HDF5 files that record no run (detector files…), relative paths. */
  skipped: string[];
  diagnostics: Diagnostic[];
}
