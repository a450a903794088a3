/**
 * One line per run for `nxlayout runs`: what a person scans a spool for.
 */
import type { Run, RunSummary } from './models.js';

export interface SummaryOptions {
  /** The run may still grow (a live log): a missing stop reads 'running', not 'no stop'. */
  live?: boolean;
}

/** Seconds since the epoch → ISO 8601 in UTC (`2019-05-02T22:48:30.322Z`). */
function isoTime(seconds: number): string {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : String(seconds);
}

export function summarizeRun(run: Run, options: SummaryOptions = {}): RunSummary {
  const { start, stop } = run;
  const numEvents: Record<string, number> = {};
  for (const [name, stream] of run.streams) numEvents[name] = stream.length;
  const summary: RunSummary = {
    uid: run.uid,
    shortUid: run.uid.slice(0, 8),
    time: isoTime(start.time),
    exitStatus: stop?.exit_status ?? (options.live ? 'running' : 'no stop'),
    numEvents,
    logs: [...run.logs],
    flagged: run.flagged,
    failed: run.failed === true,
    problems: run.diagnostics.length,
  };
  if (typeof start.scan_id === 'number') summary.scanId = start.scan_id;
  if (typeof start.plan_name === 'string') summary.planName = start.plan_name;
  if (stop !== undefined && typeof stop.time === 'number') summary.duration = stop.time - start.time;
  return summary;
}
