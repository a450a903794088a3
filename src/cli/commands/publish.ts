/** `nxlayout publish LOG... --redis URL`: replays document logs onto the Redis Streams bus. */
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
    throw new NxlError(
      'CLI_USAGE',
      'publish needs --redis URL, the Redis the writers serve',
      {},
      { hint: 'e.g. nxlayout publish run.jsonl --redis redis://127.0.0.1:6379' },
    );
  }
  const url = options.redis;
  const client = connect(url);
  try {
    // A Redis that cannot be reached at all is an error, not an endless wait. The timer is cleared however
    // the race ends: left running, it kept the process alive 10 s after the documents were published.
    let timer: NodeJS.Timeout | undefined;
    const reachable = await Promise.race([
      client.ping().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
    ]).finally(() => clearTimeout(timer));
    if (!reachable) throw redisError(url, 'not reachable within 10 s', new Error('no connection'));
    const summary = await publishLogs(client, logs, {
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      onLog: (log, n) => {
        if (!options.json) io.out(`published ${log}: ${n} documents`);
      },
    });
    for (const d of summary.diagnostics) io.err(formatDiagnostic(d));
    if (options.json)
      io.out(
        JSON.stringify({
          runs: summary.runs,
          documents: summary.documents,
          skipped: summary.skipped,
          diagnostics: summary.diagnostics,
        }),
      );
    else
      io.out(
        `${summary.runs} runs, ${summary.documents} documents published${summary.skipped > 0 ? `; ${summary.skipped} documents of no run skipped` : ''}`,
      );
    return summary.runs === 0 || summary.diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
  } finally {
    client.disconnect();
  }
}
/** Its options and help live in ../register/publish.ts (loaded without this module's dependencies). */
