/** `nxlayout report DIR`: the runs of a user directory, for the users at the end of a beamtime. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { formatDiagnostic, NxlError } from '../../errors.js';
import { buildReport, formatReport, REPORT_FORMATS, type ReportFormat, type ReportLinks } from '../../report/index.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';

interface ReportOptions {
  format?: ReportFormat;
  output?: string;
}

async function reportCommand(dir: string, options: ReportOptions, io: Io): Promise<number> {
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
      throw new NxlError('REPORT_IO', `cannot write ${options.output}: ${(e as Error).message}`, { file: options.output }, { hint: 'check the path and its permissions', cause: e });
    }
  }
  const skipped = report.skipped.length === 0 ? '' : `; ${report.skipped.length} other HDF5 file(s) record no run (detector data…)`;
  io.err(`${report.rows.length} run file(s) under ${dir}${skipped}${options.output === undefined ? '' : `; wrote ${options.output}`}`);
  return report.rows.length === 0 ? EXIT_FINDINGS : EXIT_OK;
}

export function registerReport(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('report')
    .description('list the runs of a user directory from the NeXus files nxlayout wrote there: scan, title, sample, plan, start, end, duration, status, events per stream, file, size, run uid, template (html: with a thumbnail of each default plot)')
    .argument('<dir>', 'the directory to list (searched recursively for .hdf, .h5, .nxs, .hdf5, .nx5 files)')
    .addOption(new Option('-f, --format <format>', 'csv (RFC 4180; sizes in bytes, durations in seconds), md (a Markdown table), json (snake_case keys, with the thumbnails\' data) or html (a self-contained page, 1280 px wide, a thumbnail of each run\'s default plot)').choices([...REPORT_FORMATS]).default('md'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addHelpText('after', [
      '',
      'Each file is read from its nxlayout_provenance group (the run\'s start and stop documents: scan, plan,',
      'times, status, events per stream), its /entry/title and /entry/sample/name, and its default plot',
      '(NeXus `default` → NXdata `signal`, downsampled); external links to detector data are never',
      'opened. The HTML page links each row to its file. HDF5 files nxlayout did not write (the',
      'detector\'s own files) are counted on stderr but not listed. Rows are sorted by scan number, then start time.',
      '',
      'Exit status: 0 when at least one run is listed, 1 when none is, 2 on bad usage or an unreadable directory.',
      '',
      'Examples:',
      '  nxlayout report /gdata/dm/8IDI/2025-1/A002_silica',
      '  nxlayout report /gdata/dm/8IDI/2025-1/A002_silica --format html -o A002_silica-runs.html',
    ].join('\n'))
    .action(async (dir: string, opts: ReportOptions) => setExit(await reportCommand(dir, opts, io)));
}
