/** `nxlayout publish`'s options and help; the publisher (../commands/publish.ts) is loaded only when the command runs. */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { PublishCommandOptions } from '../commands/publish.js';

export function registerPublish(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description(
      "replay document logs onto a Redis Streams bus: each run's documents to {prefix}:run:{uid}, a job per run to {prefix}:runs (for `serve`)",
    )
    .argument('<log...>', 'document logs or directories (every log under them)')
    .option('--redis <url>', 'redis://host:port[/db], rediss://… or unix:///path/to/redis.sock')
    .option('--prefix <prefix>', 'prefix of every key (default nxlayout)')
    .option('--json', 'print {runs, documents, skipped, diagnostics}')
    .addHelpText(
      'after',
      '\nThe format is described in docs/bus.md. Exit status: 0 when runs were published, 1 when none was or a log had an error, 2 on bad usage or an unreachable Redis.',
    )
    .action(async (logs: string[], opts: PublishCommandOptions) => {
      const { publishCommand } = await import('../commands/publish.js');
      setExit(await publishCommand(logs, opts, io));
    });
}
