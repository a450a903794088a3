/** A directory's run files → report rows, sorted by scan, then start time, then file. */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { toDiagnostic } from '../errors.js';
import { findHdf5Files } from './find-files.js';
import type { Report, ReportRow } from './models.js';
import { readRunFile } from './read-run-file.js';

function compare(a: ReportRow, b: ReportRow): number {
  const scan = (a.scanId ?? Number.POSITIVE_INFINITY) - (b.scanId ?? Number.POSITIVE_INFINITY);
  if (scan !== 0 && !Number.isNaN(scan)) return scan;
  const time = (a.start ?? '').localeCompare(b.start ?? '');
  return time !== 0 ? time : a.file.localeCompare(b.file);
}

export async function buildReport(dir: string): Promise<Report> {
  const report: Report = { dir, rows: [], skipped: [], diagnostics: [] };
  for (const abs of await findHdf5Files(dir)) {
    const file = path.relative(dir, abs).split(path.sep).join('/');
    try {
      const { size } = await stat(abs);
      const row = readRunFile(abs, file, size);
      if (row === undefined) report.skipped.push(file);
      else report.rows.push(row);
    } catch (e) {
      report.diagnostics.push({ ...toDiagnostic(e, { file: abs }), severity: 'warning' });
    }
  }
  report.rows.sort(compare);
  return report;
}
