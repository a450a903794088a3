/** `nxlayout watch`'s options and help; the daemon itself (../commands/watch.ts) is loaded only when the command runs. */
import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import { addLimitOptions } from '../limit-options.js';
import { parseProjectionNames, PROJECTIONS_HELP } from '../projections.js';
import type { WatchCommandOptions } from '../commands/watch.js';

export function registerWatch(program: Command, io: Io, setExit: (code: number) => void): void {
  addLimitOptions(program.command('watch'))
    .description(
      "the spool daemon: follow every document log under SPOOL as it grows and write each run's NeXus file when its stop document arrives, exactly once",
    )
    .argument(
      '<spool>',
      'directory where the runs are logged (searched recursively for *.jsonl, *.msgpack, *.json, maybe .gz)',
    )
    .option('-o, --out <root>', 'output root: an existing, writable directory every file is written under')
    .addOption(
      new Option('-t, --template <file>', 'use this template for every run (reloaded when it changes)').conflicts(
        'templates',
      ),
    )
    .option(
      '-T, --templates <dir>',
      "choose each run's template among DIR/*.json by their `match`, falling back to the shipped default (reloaded when they change; default: the shipped templates)",
    )
    .option(
      '--state <dir>',
      'state directory: the journal of finished runs and the daemon lock (default ROOT/.nxlayout-state)',
    )
    .option(
      '--finalize-after <duration>',
      'write a run without stop document as incomplete once its log has not grown for DURATION (e.g. 30s, 5m, 1h; default: never)',
    )
    .option('--status-interval <duration>', 'period of the status line (default 60s; 0 = never)')
    .option(
      '--poll-interval <duration>',
      'safety-net re-read of every followed log, in case a change event is missed (default 5s)',
    )
    .addOption(
      new Option('--log-format <format>', 'log lines as text or one JSON object per line')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--once', 'read every log present, write the runs that ended, then exit (for cron and CI)')
    .option(
      '--strict',
      "hold documents to event-model's schema exactly: a document outside it (even a usable one, e.g. with a legacy key) fails its run",
    )
    .option('--projections <names>', PROJECTIONS_HELP, parseProjectionNames)
    .option('--polling', 'poll the file system instead of using change notifications (network file systems)')
    .addOption(
      new Option(
        '-v, --verbose',
        'list every warning of each run written (by default one line per run counts them by code; errors are always listed)',
      ).conflicts('quiet'),
    )
    .option(
      '-q, --quiet',
      "log errors only (a failed run, a rejected log, a run's errors): no line per run written, no status or summary line",
    )
    .option(
      '--disk-full-retry <duration>',
      'how often a run whose file met a full disk is tried again once the output file system has free space (default 30s); such a run is never recorded as failed',
    )
    .option(
      '--metrics <[host:]port>',
      'serve Prometheus metrics at http://HOST:PORT/metrics and a health check at /healthz (host default 127.0.0.1: localhost only)',
    )
    .addHelpText(
      'after',
      [
        '',
        'At start ROOT must exist and be writable, SPOOL readable and every template valid, or the daemon exits with the reason.',
        'Runs recorded in the state journal are never written again; unfinished ones are redone from their logs after a restart,',
        'and temporary files left by a crash are removed. Logs are only read: never modified, moved or deleted.',
        'A log that cannot be read or is not a document log is reported, recorded and skipped; the others are served.',
        'Symbolic links to folders are not followed (a loop cannot hang it); FIFOs, sockets and devices are skipped with a warning.',
        'SPOOL must not be ROOT or inside it. A run that meets a full disk (or too many open files) is not recorded as failed:',
        'it is written again once there is room (--disk-full-retry).',
        'SIGINT/SIGTERM: stop reading, finish the batch in progress, abandon unfinished runs (no partial file), exit 0.',
        '',
        'Exit status: 0 after a signal (or --once with no failed run), 1 when --once met a failed run or the journal cannot be written,',
        '2 on bad usage or when ROOT, SPOOL or a template fails the start-up checks.',
        'See docs/watch.md.',
      ].join('\n'),
    )
    .action(async (spool: string, opts: WatchCommandOptions) => {
      const { watchCommand } = await import('../commands/watch.js');
      setExit(await watchCommand(spool, opts, io));
    });
}
