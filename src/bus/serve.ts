/**
 * `serve`: one writer of a group. It takes one job at a time (a job left
 * pending by a silent writer first), writes the run's file from the run's
 * stream (run-job.ts), then acknowledges the job with its outcome. No journal:
 * the bus is the state (a job is acknowledged only once its file is in
 * place, and a file already in place is recognised by its provenance).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConvertOptions } from '../convert/models.js';
import { formatDiagnostic, toDiagnostic } from '../errors.js';
import { removeStaleTemps } from '../nexus/index.js';
import { checkOutputRoot } from '../watch/preflight.js';
import { startTemplateReload, type TemplateReloader } from '../watch/template-reload.js';
import { templateNames } from '../watch/work-queue.js';
import type { Redis } from 'ioredis';
import { connect } from './connect.js';
import { acknowledge, joinGroup, keepAlive, nextJob, type JobsContext } from './jobs.js';
import { busKeys, DEFAULT_GROUP } from './keys.js';
import type { JobEntry, ServeEvent, ServeHandle, ServeHooks, ServeOptions, ServeStatus } from './models.js';
import { runJob } from './run-job.js';

const DEFAULT_CLAIM_AFTER_MS = 30_000;
const DEFAULT_BLOCK_MS = 500;

export async function startServe(options: ServeOptions, hooks: ServeHooks = {}): Promise<ServeHandle> {
  const emit = (e: ServeEvent): void => hooks.onEvent?.(e);
  const outRoot = path.resolve(options.outRoot);
  checkOutputRoot(outRoot);
  const templates = await options.loadTemplates();
  const c: JobsContext = {
    keys: busKeys(options.prefix),
    group: options.group ?? DEFAULT_GROUP,
    name: options.name ?? `${os.hostname()}-${process.pid}`,
    claimAfterMs: options.claimAfterMs ?? DEFAULT_CLAIM_AFTER_MS,
    blockMs: options.blockMs ?? DEFAULT_BLOCK_MS,
  };
  let started = false;
  const status: ServeStatus = {
    runsWritten: 0,
    runsIncomplete: 0,
    runsExisting: 0,
    runsFailed: 0,
    runsOpen: 0,
    jobsClaimed: 0,
    connected: false,
  };
  const client = connect(options.url, {
    onDown: (error, retryMs) => {
      status.connected = false;
      emit({ kind: 'redis-down', error, retryMs });
    },
    onUp: () => {
      if (!status.connected && started) emit({ kind: 'redis-up' });
      status.connected = true;
    },
  });
  // Blocking reads on their own connection: the acknowledgements and keep-alives do not wait behind them.
  const reader = connect(options.url);
  // Once each: ioredis arms a 2 s timer per disconnect() that a connection already closed never clears.
  const closed = new Set<Redis>();
  const disconnect = (r: Redis): void => {
    if (closed.has(r)) return;
    closed.add(r);
    r.disconnect();
  };
  const closeClients = (): void => {
    disconnect(client);
    disconnect(reader);
  };
  try {
    await joinGroup(client, c);
  } catch (e) {
    closeClients();
    throw e;
  }
  status.connected = true;
  started = true;

  // The session of each run reads the templates in service when the run starts: a reload swaps them here.
  const convertOptions: ConvertOptions = {
    outRoot,
    layouts: templates.layouts,
    ...(templates.fallback === undefined ? {} : { fallback: templates.fallback }),
    strict: options.strict ?? false,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.projectionNames === undefined ? {} : { projectionNames: options.projectionNames }),
  };
  let reloader: TemplateReloader | undefined;
  if (options.templatePaths !== undefined && options.templatePaths.length > 0) {
    reloader = await startTemplateReload(options.templatePaths, options.loadTemplates, convertOptions, emit);
  }
  const staleTempsRemoved = removeStaleTemps(outRoot);
  emit({
    kind: 'started',
    url: options.url,
    group: c.group,
    name: c.name,
    outRoot,
    templates: templateNames(templates),
    staleTempsRemoved,
  });

  let stopRequested = false;
  let current: JobEntry | undefined;
  const serveOne = async (job: JobEntry): Promise<void> => {
    current = job;
    status.runsOpen = 1;
    emit({ kind: 'job', job });
    if (job.claimed) {
      status.jobsClaimed++;
      // The writer that held it is gone: its temporary files with it.
      removeStaleTemps(outRoot);
    }
    const alive = setInterval(
      () => void keepAlive(client, c, job).catch(() => undefined),
      Math.max(50, Math.floor(c.claimAfterMs / 3)),
    );
    try {
      const run = await runJob(job, {
        reader,
        convertOptions: () => convertOptions,
        blockMs: c.blockMs,
        ...(options.finalizeAfterMs === undefined ? {} : { finalizeAfterMs: options.finalizeAfterMs }),
        stopping: () => stopRequested,
        onRead: (documents, stop) => emit({ kind: 'read', uid: job.uid, documents, stop }),
      });
      if (run.kind === 'abandoned') return;
      for (const d of run.diagnostics) emit({ kind: 'diagnostic', diagnostic: d });
      if (run.kind === 'failed') {
        status.runsFailed++;
        await acknowledge(client, c, job, 'failed', { reason: formatDiagnostic(run.diagnostic) }, false);
        emit({ kind: 'failed', uid: job.uid, job, diagnostic: run.diagnostic });
        return;
      }
      const { result, outcome, file } = run;
      const reason = outcome === 'failed' ? result.diagnostics.find((d) => d.severity === 'error') : undefined;
      await acknowledge(
        client,
        c,
        job,
        outcome,
        {
          ...(file === undefined ? {} : { file }),
          ...(reason === undefined ? {} : { reason: formatDiagnostic(reason) }),
        },
        options.trimWritten ?? false,
      );
      if (outcome === 'written') status.runsWritten++;
      else if (outcome === 'incomplete') status.runsIncomplete++;
      else if (outcome === 'exists') status.runsExisting++;
      else status.runsFailed++;
      emit({
        kind: 'run',
        uid: job.uid,
        outcome,
        result,
        job,
        ...(file === undefined ? {} : { file }),
        ...(run.stopToFileMs === undefined ? {} : { stopToFileMs: run.stopToFileMs }),
      });
    } finally {
      clearInterval(alive);
      current = undefined;
      status.runsOpen = 0;
    }
  };

  const loop = (async (): Promise<void> => {
    while (!stopRequested) {
      try {
        const job = await nextJob(client, reader, c, (d) => emit({ kind: 'diagnostic', diagnostic: d }));
        if (job !== undefined && !stopRequested) await serveOne(job);
      } catch (e) {
        if (stopRequested) return;
        emit({ kind: 'diagnostic', diagnostic: toDiagnostic(e, { file: options.url }) });
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();

  let stopping: Promise<ServeStatus> | undefined;
  let resolveDone!: (s: ServeStatus) => void;
  const done = new Promise<ServeStatus>((resolve) => (resolveDone = resolve));
  const handle: ServeHandle = {
    status: () => ({ ...status }),
    done,
    stop(reason = 'stop requested') {
      stopRequested = true;
      stopping ??= (async () => {
        const abandoned = current === undefined ? [] : [current.uid];
        // The blocking read in flight (a job, or the run's next entries) is cut now, not waited for: a job
        // delivered meanwhile stays pending, as does the run abandoned. Acknowledgements use `client`.
        disconnect(reader);
        // A command waiting for a Redis that is gone is cut off.
        const cut = setTimeout(closeClients, c.blockMs + 1000);
        await loop;
        clearTimeout(cut);
        await reloader?.close();
        closeClients();
        emit({ kind: 'stopping', reason, abandoned });
        const final = { ...status, runsOpen: 0 };
        resolveDone(final);
        return final;
      })();
      return stopping;
    },
  };
  return handle;
}
