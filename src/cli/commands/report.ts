/** `nxlayout report DIR`: the runs of a user directory, for the users at the end of a beamtime. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { formatDiagnostic, NxlError } from '../../errors.js';
import { buildReport, formatReport, type ReportFormat, type ReportLinks } from '../../report/index.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';

export interface ReportOptions {
  format?: ReportFormat;
  output?: string;
}

export async function reportCommand(dir: string, options: ReportOptions, io: Io): Promise<number> {
  const report = await buildReport(dir);
  for (const d of report.diagnostics) io.err(formatDiagnostic(d));
  // With -o the links lead from the page's folder to the files; on stdout, from the reported directory.
  const from = options.output === undefined ? dir : path.dirname(path.resolve(options.output));
  const links: ReportLinks = {
    file: (row) => path.relative(from, path.resolve(dir, row.file)).split(path.sep).map(encodeURIComponent).join('/'),
  };
  const text = formatReport(report, options.format ?? 'md', links);
  if (options.output === undefined) io.out(text.replace(/\r?\n$/, ''));
  else {
    try {
      await writeFile(options.output, text);
    } catch (e) {
      throw new NxlError(
        'REPORT_IO',
        `cannot write ${options.output}: ${(e as Error).message}`,
        { file: options.output },
        { hint: 'check the path and its permissions', cause: e },
      );
    }
  }
  const skipped =
    report.skipped.length === 0 ? '' : `; ${report.skipped.length} other HDF5 file(s) record no run (detector data…)`;
  io.err(
    `${report.rows.length} run file(s) under ${dir}${skipped}${options.output === undefined ? '' : `; wrote ${options.output}`}`,
  );
  return report.rows.length === 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** Its options and help live in ../register/report.ts (loaded without this module's dependencies). */
export { registerReport } from '../register/report.js';
