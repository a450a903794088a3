/** `nxlayout watch SPOOL --out ROOT`: the spool daemon (signals live here; its log lines in ../reporters/watch-log.ts). */
import { NxlError } from '../../errors.js';
import { createDefaultRegistry } from '../../evaluate/index.js';
import { parseDuration, startWatch, type WatchHandle, type WatchOptions } from '../../watch/index.js';
import { watchLogger } from '../reporters/watch-log.js';
import { onStopSignals } from '../signals.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';
import { reloadableTemplates } from '../templates.js';
import { applyLimitOptions } from '../limit-options.js';
import { parseMetricsAddress, WatchMetrics, type MetricsServer } from '../../watch/metrics.js';

export interface WatchCommandOptions {
  out?: string;
  template?: string;
  templates?: string;
  state?: string;
  finalizeAfter?: string;
  statusInterval?: string;
  pollInterval?: string;
  logFormat?: 'text' | 'json';
  once?: boolean;
  strict?: boolean;
  polling?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  projections?: string[];
  maxLineBytes?: number;
  maxDepth?: number;
  maxDocuments?: number;
  metrics?: string;
  diskFullRetry?: string;
}

function durationOrOff(text: string): number {
  return /^\s*(0|off)\s*$/i.test(text) ? 0 : parseDuration(text);
}

export async function watchCommand(spool: string, options: WatchCommandOptions, io: Io): Promise<number> {
  if (options.out === undefined) {
    throw new NxlError(
      'CLI_USAGE',
      'watch needs --out ROOT, the existing directory the files are written under',
      {},
      { hint: 'e.g. nxlayout watch /spool --out /data/8idi' },
    );
  }
  applyLimitOptions(options);
  const watchOptions: WatchOptions = {
    spool,
    outRoot: options.out,
    ...reloadableTemplates(options),
    statusIntervalMs: durationOrOff(options.statusInterval ?? '60s'),
    pollIntervalMs: parseDuration(options.pollInterval ?? '5s'),
    once: options.once ?? false,
    strict: options.strict ?? false,
    usePolling: options.polling ?? false,
    registry: createDefaultRegistry(),
    ...(options.projections === undefined ? {} : { projectionNames: options.projections }),
  };
  if (options.state !== undefined) watchOptions.stateDir = options.state;
  if (options.finalizeAfter !== undefined) watchOptions.finalizeAfterMs = parseDuration(options.finalizeAfter);
  if (options.diskFullRetry !== undefined) watchOptions.diskFullRetryMs = parseDuration(options.diskFullRetry);

  const metricsAddress = options.metrics === undefined ? undefined : parseMetricsAddress(options.metrics);
  const metrics = metricsAddress === undefined ? undefined : new WatchMetrics();
  const log = watchLogger(io, options.logFormat ?? 'text', options.verbose ?? false, options.quiet ?? false);
  let server: MetricsServer | undefined;

  // Handlers go in before start-up: a signal during the checks stops the daemon as soon as it exists.
  let handle: WatchHandle | undefined;
  const signals = onStopSignals();
  try {
    handle = await startWatch(watchOptions, {
      onEvent: (e) => {
        log(e);
        metrics?.onEvent(e);
      },
      ...(metrics === undefined ? {} : { onItems: (l, items) => metrics.onItems(l, items) }),
    });
    const h = handle;
    signals.stopWith((reason) => h.stop(reason));
    if (metrics !== undefined && metricsAddress !== undefined) {
      metrics.setStatusSource(() => h.status());
      server = await metrics.listen(metricsAddress);
      const text = `metrics served at ${server.url}/metrics, health at ${server.url}/healthz`;
      io.out(
        options.logFormat === 'json'
          ? JSON.stringify({
              time: new Date().toISOString(),
              level: 'info',
              event: 'metrics',
              message: text,
              url: server.url,
            })
          : `${new Date().toISOString()} ${text}`,
      );
    }
    const summary = await handle.done;
    if (summary.error !== undefined) return EXIT_FINDINGS;
    return options.once && summary.runsFailed > 0 ? EXIT_FINDINGS : EXIT_OK;
  } catch (e) {
    await handle?.stop('metrics could not be served');
    throw e;
  } finally {
    await server?.close();
    signals.dispose();
  }
}
/** Its options and help live in ../register/watch.ts (loaded without this module's dependencies). */
