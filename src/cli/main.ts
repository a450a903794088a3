/**
 * nxlayout's command line: argv → command → exit code. The only module that
 * exits the process; commands return their exit code. Only the options and help
 * are loaded up front: each command's implementation is imported when it runs
 * (`nxlayout --help` loads no HDF5, ajv or layout code).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { formatDiagnostic, isNxlError } from '../errors.js';
import { NXLAYOUT_VERSION } from '../version.js';
import { registerImportLayout } from './register/import-layout.js';
import { registerPublish } from './register/publish.js';
import { registerReport } from './register/report.js';
import { registerServe } from './register/serve.js';
import { registerValidate } from './register/validate.js';
import { registerView } from './register/view.js';
import { registerWatch } from './register/watch.js';
import { EXIT_USAGE, processIo, type Io } from './io.js';
import { parseProjectionNames, PROJECTIONS_HELP } from './projections.js';
import { addLimitOptions, applyLimitOptions, type LimitOptions } from './limit-options.js';
import { resolveLimits, setDefaultLimits } from '../documents/limits.js';
// The Node shell's validators (generated at build time) and its ajv, loaded only if a schema must be compiled.
import '../documents/precompiled-node.js';

function countInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected 0 or a positive integer');
  return n;
}

function positiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('nxlayout')
    .description('Write NeXus/HDF5 files from Bluesky runs, driven by JSON layout templates.')
    .version(NXLAYOUT_VERSION, '-V, --version')
    .option('--debug', 'print stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) })
    .exitOverride();

  addLimitOptions(program.command('runs'))
    .description(
      'list the runs found in document logs: uid, scan_id, plan, start time, duration, exit status, events per stream, log',
    )
    .argument('<log...>', 'document logs (jsonl, msgpack, JSON array; maybe .gz) or directories searched recursively')
    .option(
      '--json',
      'print a JSON array of runs (uid, scan_id, plan_name, time, duration, exit_status, num_events, log, …)',
    )
    .option(
      '--strict',
      "hold documents to event-model's schema exactly: a document outside it (even a usable one, e.g. with a legacy key) fails its whole run",
    )
    .addHelpText(
      'after',
      '\nExit status: 0 when at least one run was read, 1 when none could be, 2 on bad usage.\nBad documents are reported on stderr with the log, item/line and JSON pointer; other runs are still read.',
    )
    .action(async (logs: string[], opts: { json?: boolean; strict?: boolean } & LimitOptions) => {
      applyLimitOptions(opts);
      const { runsCommand } = await import('./commands/runs.js');
      setExit(await runsCommand(logs, opts, io));
    });

  addLimitOptions(program.command('write'))
    .description('write one NeXus file per run found in the logs')
    .argument('<log...>', 'document logs or directories (every log under them)')
    .option('-o, --out <root>', 'output root: every file is written under it (created if missing)')
    .addOption(new Option('-t, --template <file>', 'use this template for every run').conflicts('templates'))
    .option(
      '-T, --templates <dir>',
      "choose each run's template among DIR/*.json by their `match` (default: the shipped templates), falling back to the shipped default",
    )
    .option('-n, --dry-run', 'print the planned tree of each file (paths, dtypes, shapes, sources) and write nothing')
    .option('--overwrite', 'replace existing files (default: an existing file is left untouched and the run fails)')
    .option(
      '--strict',
      "hold documents to event-model's schema exactly: a document outside it (even a usable one, e.g. with a legacy key) fails its run",
    )
    .option(
      '--json',
      'print {"runs": [results: uid, status, file, events, ms, completeness, diagnostics], "diagnostics": [the problems of no run\'s file]}',
    )
    .addOption(
      new Option(
        '-v, --verbose',
        'list every warning (by default they are counted by code, per run and in the last line; errors always listed)',
      ).conflicts('quiet'),
    )
    .option('-q, --quiet', 'print errors only: no line per run, no warning, no summary')
    .option(
      '--decode-threads <n>',
      'worker threads that parse a log of 4 MiB or more beside the writing: 1 = the whole log (any format) on a thread of its own, the first log started before the templates and h5wasm load; 2 or more = a plain-jsonl log in parts; 0 = on the main thread (default: none on 2 cores or fewer, else one per core but the first, at most 4)',
      countInt,
    )
    .option('--projections <names>', PROJECTIONS_HELP, parseProjectionNames)
    .addHelpText(
      'after',
      '\nFiles are written under a temporary name and renamed into place when complete.\nExit status: 0 when every run was written, 1 when a run failed or none was found, 2 on bad usage or a broken template.',
    )
    .action(async (logs: string[], opts: Record<string, unknown>) => {
      applyLimitOptions(opts as LimitOptions);
      const { writeCommand } = await import('./commands/write.js');
      setExit(await writeCommand(logs, opts, io));
    });

  program
    .command('inspect')
    .description(
      'print the tree of an HDF5 file: groups, datasets (dtype, shape, chunks), attributes, links and a value preview',
    )
    .argument('<file>', 'an HDF5 / NeXus file')
    .option('--json', 'print the tree as JSON')
    .option('--width <n>', 'cut lines at N characters (default 120)', positiveInt)
    .action(async (file: string, opts: { json?: boolean; width?: number }) => {
      const { inspectCommand } = await import('./commands/inspect.js');
      setExit(await inspectCommand(file, opts, io));
    });

  registerWatch(program, io, setExit);
  registerPublish(program, io, setExit);
  registerServe(program, io, setExit);
  registerValidate(program, io, setExit);
  registerReport(program, io, setExit);
  registerImportLayout(program, io, setExit);
  registerView(program, io, setExit);

  return program;
}

/**
 * Runs the command line; resolves to the exit code. It neither exits nor sets process.exitCode
 * (bin.ts does), and what a command puts in force for the process (the decode limits of
 * --max-line-bytes, --max-depth, --max-documents) is restored when it returns: a second call in
 * the same process (a test, a library user) starts as a new process would. Calls must not overlap.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  const limits = resolveLimits(undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    if (isNxlError(e)) {
      io.err(formatDiagnostic(e.toDiagnostic()));
      if (program.opts().debug && e.stack) io.err(e.stack);
      return EXIT_USAGE;
    }
    // We should not get here: an unknown error is a bug, and it is shown whole.
    io.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    io.err('this is a bug in nxlayout: please report it with the command and input that caused it');
    return EXIT_USAGE;
  } finally {
    setDefaultLimits(limits);
  }
}
