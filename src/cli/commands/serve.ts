/** `nxlayout serve --redis URL --out ROOT`: one writer of a group sharing the runs of a Redis Streams bus. */

import { formatDiagnostic, NxlError } from '../../errors.js';
import { createDefaultRegistry } from '../../evaluate/index.js';
import { startServe, type ServeEvent, type ServeHandle, type ServeOptions } from '../../bus/index.js';
import { noteServeEvent, parseMetricsAddress, WatchMetrics, watchStatusOf } from '../../bus/metrics.js';
import type { MetricsServer } from '../../watch/metrics.js';
import { parseDuration } from '../../watch/index.js';
import { describeSharedEvent, type LogLine } from '../reporters/service-events.js';
import { onStopSignals } from '../signals.js';
import { EXIT_OK, type Io } from '../io.js';
import { reloadableTemplates } from '../templates.js';

export interface ServeCommandOptions {
  redis?: string;
  out?: string;
  prefix?: string;
  group?: string;
  name?: string;
  template?: string;
  templates?: string;
  claimAfter?: string;
  finalizeAfter?: string;
  trimWritten?: boolean;
  strict?: boolean;
  projections?: string[];
  metrics?: string;
  logFormat?: 'text' | 'json';
}

/** One log line per event (none for a batch read). */
function describe(e: ServeEvent): LogLine | undefined {
  switch (e.kind) {
    case 'started':
      return [
        'info',
        `serving ${e.url} as ${e.name} in group ${e.group} → ${e.outRoot} (templates ${e.templates.join(', ')}${e.staleTempsRemoved.length ? `; removed ${e.staleTempsRemoved.length} temporary files left by a crash` : ''})`,
        {
          url: e.url,
          group: e.group,
          name: e.name,
          out: e.outRoot,
          templates: e.templates,
          stale_temps_removed: e.staleTempsRemoved,
        },
      ];
    case 'job':
      return e.job.claimed
        ? [
            'warning',
            `claimed run ${e.job.uid} (job ${e.job.id}) from a writer silent too long: replaying its stream`,
            { uid: e.job.uid, job: e.job.id },
          ]
        : undefined;
    case 'read':
      return undefined;
    case 'run': {
      const fields = {
        uid: e.uid,
        outcome: e.outcome,
        file: e.file,
        events: e.result.events,
        ms: e.result.ms,
        stop_to_file_ms: e.stopToFileMs,
        template: e.result.layout,
        job: e.job.id,
      };
      if (e.outcome === 'exists')
        return [
          'info',
          `run ${e.uid}: ${e.file ?? 'its file'} already in place with this run and template: acknowledged, not written again`,
          fields,
        ];
      if (e.outcome === 'failed')
        return [
          'error',
          `FAILED run ${e.uid}: ${e.result.diagnostics
            .filter((d) => d.severity === 'error')
            .map((d) => formatDiagnostic(d))
            .join('; ')}`,
          fields,
        ];
      return [
        'info',
        `wrote ${e.file} (run ${e.uid}, ${e.result.events} events, ${e.result.ms} ms, ${e.result.layout}${e.outcome === 'incomplete' ? ', INCOMPLETE: no stop document' : ''})`,
        fields,
      ];
    }
    case 'failed':
      return [
        'error',
        `FAILED run ${e.uid}: ${formatDiagnostic(e.diagnostic)}`,
        { uid: e.uid, job: e.job.id, code: e.diagnostic.code },
      ];
    case 'redis-down':
      return [
        'warning',
        `Redis went away (${e.error}): reconnecting in ${e.retryMs} ms`,
        { error: e.error, retry_ms: e.retryMs },
      ];
    case 'redis-up':
      return ['info', 'Redis is back: serving again', {}];
    case 'diagnostic':
    case 'templates-reloaded':
    case 'templates-rejected':
      return describeSharedEvent(e);
    case 'stopping':
      return [
        'info',
        `stopped (${e.reason})${e.abandoned.length ? `; run ${e.abandoned.join(', ')} abandoned, its job left pending for another writer` : ''}`,
        { reason: e.reason, abandoned: e.abandoned },
      ];
  }
}

export async function serveCommand(options: ServeCommandOptions, io: Io): Promise<number> {
  if (options.redis === undefined || options.out === undefined) {
    throw new NxlError(
      'CLI_USAGE',
      'serve needs --redis URL and --out ROOT',
      {},
      { hint: 'e.g. nxlayout serve --redis redis://127.0.0.1:6379 --out /data/nexus' },
    );
  }
  const serveOptions: ServeOptions = {
    url: options.redis,
    outRoot: options.out,
    ...reloadableTemplates(options),
    strict: options.strict ?? false,
    trimWritten: options.trimWritten ?? false,
    registry: createDefaultRegistry(),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.group === undefined ? {} : { group: options.group }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.claimAfter === undefined ? {} : { claimAfterMs: parseDuration(options.claimAfter) }),
    ...(options.finalizeAfter === undefined ? {} : { finalizeAfterMs: parseDuration(options.finalizeAfter) }),
    ...(options.projections === undefined ? {} : { projectionNames: options.projections }),
  };
  const metricsAddress = options.metrics === undefined ? undefined : parseMetricsAddress(options.metrics);
  const metrics = metricsAddress === undefined ? undefined : new WatchMetrics();
  const json = options.logFormat === 'json';
  const log = (e: ServeEvent): void => {
    if (metrics !== undefined) noteServeEvent(metrics, e);
    const line = describe(e);
    if (line === undefined) return;
    const [level, text, fields] = line;
    const out = json
      ? JSON.stringify({ time: new Date().toISOString(), level, event: e.kind, message: text, ...fields })
      : `${new Date().toISOString()} ${level === 'info' ? '' : level.toUpperCase() + ' '}${text}`;
    if (level === 'info') io.out(out);
    else io.err(out);
  };
  let handle: ServeHandle | undefined;
  const signals = onStopSignals();
  let server: MetricsServer | undefined;
  try {
    handle = await startServe(serveOptions, { onEvent: log });
    const h = handle;
    signals.stopWith((reason) => h.stop(reason));
    if (metrics !== undefined && metricsAddress !== undefined) {
      metrics.setStatusSource(() => watchStatusOf(h.status()));
      server = await metrics.listen(metricsAddress);
      io.out(`${new Date().toISOString()} metrics served at ${server.url}/metrics, health at ${server.url}/healthz`);
    }
    await handle.done;
    return EXIT_OK;
  } catch (e) {
    await handle?.stop('start failed');
    throw e;
  } finally {
    await server?.close();
    signals.dispose();
  }
}
/** Its options and help live in ../register/serve.ts (loaded without this module's dependencies). */
