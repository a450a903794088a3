/** `nxlayout publish LOG... --redis URL`: replays document logs onto the Redis Streams bus. */
import type { Command } from 'commander';
import { formatDiagnostic, NxlError } from '../../errors.js';
import { connect, publishLogs } from '../../bus/index.js';
import { redisError } from '../../bus/connect.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';

export interface PublishCommandOptions {
  redis?: string;
  prefix?: string;
  json?: boolean;
}

export async function publishCommand(logs: string[], options: PublishCommandOptions, io: Io): Promise<number> {
  if (options.redis === undefined) {
    throw new NxlError('CLI_USAGE', 'publish needs --redis URL, the Redis the writers serve', {}, { hint: 'e.g. nxlayout publish run.jsonl --redis redis://127.0.0.1:6379' });
  }
  const url = options.redis;
  const client = connect(url);
  // A Redis that cannot be reached at all is an error, not an endless wait.
  const reachable = await Promise.race([
    client.ping().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000)),
  ]);
  try {
    if (!reachable) throw redisError(url, 'not reachable within 10 s', new Error('no connection'));
    const summary = await publishLogs(client, logs, { ...(options.prefix === undefined ? {} : { prefix: options.prefix }), onLog: (log, n) => { if (!options.json) io.out(`published ${log}: ${n} documents`); } });
    for (const d of summary.diagnostics) io.err(formatDiagnostic(d));
    if (options.json) io.out(JSON.stringify({ runs: summary.runs, documents: summary.documents, skipped: summary.skipped, diagnostics: summary.diagnostics }));
    else io.out(`${summary.runs} runs, ${summary.documents} documents published${summary.skipped > 0 ? `; ${summary.skipped} documents of no run skipped` : ''}`);
    return summary.runs === 0 || summary.diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    client.disconnect();
  }
}

export function registerPublish(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('publish')
    .description('replay document logs onto a Redis Streams bus: each run\'s documents to {prefix}:run:{uid}, a job per run to {prefix}:runs (for `serve`)')
    .argument('<log...>', 'document logs or directories (every log under them)')
    .option('--redis <url>', 'redis://host:port[/db], rediss://… or unix:///path/to/redis.sock')
    .option('--prefix <prefix>', 'prefix of every key (default nxlayout)')
    .option('--json', 'print {runs, documents, skipped, diagnostics}')
    .addHelpText('after', '\nThe format is described in docs/bus.md. Exit status: 0 when runs were published, 1 when none was or a log had an error, 2 on bad usage or an unreachable Redis.')
    .action(async (logs: string[], opts: PublishCommandOptions) => setExit(await publishCommand(logs, opts, io)));
}
