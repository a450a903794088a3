/** `nxlayout serve`'s options and help; the writer (../commands/serve.ts) is loaded only when the command runs. */
import { Option, type Command } from 'commander';
import type { Io } from '../io.js';
import { parseProjectionNames, PROJECTIONS_HELP } from '../projections.js';
import type { ServeCommandOptions } from '../commands/serve.js';

export function registerServe(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('serve')
    .description(
      "a writer of a group sharing the runs published on a Redis Streams bus: each run's file written as its documents arrive, exactly once",
    )
    .option('--redis <url>', 'redis://host:port[/db], rediss://… or unix:///path/to/redis.sock')
    .option('-o, --out <root>', 'output root: an existing, writable directory every file is written under')
    .option('--prefix <prefix>', 'prefix of every key (default nxlayout)')
    .option('--group <group>', 'consumer group the writers share (default nxlayout)')
    .option('--name <name>', "this writer's name in the group (default HOST-PID; give a stable one to a service)")
    .addOption(
      new Option('-t, --template <file>', 'use this template for every run (reloaded when it changes)').conflicts(
        'templates',
      ),
    )
    .option(
      '-T, --templates <dir>',
      "choose each run's template among DIR/*.json by their `match` (reloaded when they change; default: the shipped templates)",
    )
    .option('--claim-after <duration>', 'take over a run whose writer has been silent this long (default 30s)')
    .option(
      '--finalize-after <duration>',
      'write a run without stop document as incomplete once its stream has not grown for DURATION (default: never)',
    )
    .option(
      '--trim-written',
      'after a run is written and acknowledged, trim its stream to nothing (XTRIM MAXLEN 0); default: nothing is deleted',
    )
    .option('--strict', "hold documents to event-model's schema exactly: a document outside it fails its run")
    .option('--projections <names>', PROJECTIONS_HELP, parseProjectionNames)
    .option(
      '--metrics <[host:]port>',
      'serve Prometheus metrics at http://HOST:PORT/metrics and a health check at /healthz',
    )
    .addOption(
      new Option('--log-format <format>', 'log lines as text or one JSON object per line')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      [
        '',
        'A job is acknowledged once its file is in place; a writer that dies leaves it pending and another takes it',
        'after --claim-after, replaying the run from its stream. A run whose file is already in place with the same run uid',
        "and template (read from the file's provenance) is acknowledged without writing. Redis going away: reconnect with back-off.",
        'SIGINT/SIGTERM: stop reading, abandon the run in progress (no partial file; its job stays pending), exit 0.',
        'Exit status: 0 after a signal, 2 on bad usage or when ROOT, Redis or a template fails the start-up checks. See docs/bus.md.',
      ].join('\n'),
    )
    .action(async (opts: ServeCommandOptions) => {
      const { serveCommand } = await import('../commands/serve.js');
      setExit(await serveCommand(opts, io));
    });
}
