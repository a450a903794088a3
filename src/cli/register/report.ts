/** `nxlayout report`'s options and help; the report (../commands/report.ts) is loaded only when the command runs. */
import { Option, type Command } from 'commander';
import { REPORT_FORMATS } from '../../report/models.js';
import type { Io } from '../io.js';
import type { ReportOptions } from '../commands/report.js';

export function registerReport(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('report')
    .description(
      'list the runs of a user directory from the NeXus files nxlayout wrote there: scan, title, sample, plan, start, end, duration, status, events per stream, file, size, run uid, template (html: with a thumbnail of each default plot)',
    )
    .argument('<dir>', 'the directory to list (searched recursively for .hdf, .h5, .nxs, .hdf5, .nx5 files)')
    .addOption(
      new Option(
        '-f, --format <format>',
        "csv (RFC 4180; sizes in bytes, durations in seconds), md (a Markdown table), json (snake_case keys, with the thumbnails' data) or html (a self-contained page, 1280 px wide, a thumbnail of each run's default plot)",
      )
        .choices([...REPORT_FORMATS])
        .default('md'),
    )
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .addHelpText(
      'after',
      [
        '',
        "Each file is read from its nxlayout_provenance group (the run's start and stop documents: scan, plan,",
        'times, status, events per stream), its /entry/title and /entry/sample/name, and its default plot',
        '(NeXus `default` → NXdata `signal`, downsampled); external links to detector data are never',
        'opened. The HTML page links each row to its file. HDF5 files nxlayout did not write (the',
        "detector's own files) are counted on stderr but not listed. Rows are sorted by scan number, then start time.",
        '',
        'Exit status: 0 when at least one run is listed, 1 when none is, 2 on bad usage or an unreadable directory.',
        '',
        'Examples:',
        '  nxlayout report /gdata/dm/8IDI/2025-1/A002_silica',
        '  nxlayout report /gdata/dm/8IDI/2025-1/A002_silica --format html -o A002_silica-runs.html',
      ].join('\n'),
    )
    .action(async (dir: string, opts: ReportOptions) => {
      const { reportCommand } = await import('../commands/report.js');
      setExit(await reportCommand(dir, opts, io));
    });
}
