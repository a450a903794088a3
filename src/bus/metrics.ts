/**
 * `serve --metrics`: the watch daemon's metrics (watch/metrics.ts), fed from
 * the writer's events: runs by status, documents read, bytes written, seconds
 * from stop to file; the gauges read the writer's status (logs: none).
 */
import type { WatchMetrics } from '../watch/metrics.js';
import type { WatchStatus } from '../watch/models.js';
import type { ServeEvent, ServeStatus } from './models.js';

export function watchStatusOf(s: ServeStatus): WatchStatus {
  return {
    logsFollowed: 0,
    logsDone: 0,
    logsRejected: 0,
    logsReplaced: 0,
    pathsWatched: 0,
    runsOpen: s.runsOpen,
    runsWritten: s.runsWritten,
    runsIncomplete: s.runsIncomplete,
    runsFailed: s.runsFailed,
    runsSkipped: s.runsExisting,
  };
}

/** Feeds a serve event to the metrics. */
export function noteServeEvent(metrics: WatchMetrics, e: ServeEvent): void {
  if (e.kind === 'read') {
    metrics.documentsRead(e.documents);
    if (e.stop) metrics.stopRead(e.uid);
  } else if (e.kind === 'run') {
    if (e.outcome === 'exists') return;
    const status = e.outcome === 'failed' ? 'failed' : e.outcome;
    metrics.onEvent({
      kind: 'run',
      record: {
        status,
        uid: e.uid,
        log: e.job.stream,
        ...(e.file === undefined ? {} : { file: e.file }),
        time: new Date().toISOString(),
      },
      result: e.result,
    });
  } else if (e.kind === 'failed') {
    metrics.onEvent({
      kind: 'run',
      record: { status: 'failed', uid: e.uid, log: e.job.stream, time: new Date().toISOString() },
      result: {
        uid: e.uid,
        status: 'failed',
        events: 0,
        ms: 0,
        incomplete: true,
        logs: [],
        diagnostics: [e.diagnostic],
      },
    });
  } else if (e.kind === 'stopping') {
    metrics.onEvent({ kind: 'stopping', reason: e.reason, abandoned: e.abandoned });
  }
}

export { WatchMetrics, parseMetricsAddress } from '../watch/metrics.js';
