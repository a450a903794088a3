/** `nxlayout runs LOG|DIR...`: one line per run found. */
import { formatDiagnostic } from '../../errors.js';
import { readRuns, summarizeRun, type RunSummary } from '../../run/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from '../io.js';
import { unreadablePaths } from '../inputs.js';

export interface RunsOptions {
  json?: boolean;
  strict?: boolean;
}

function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${Math.round(seconds - m * 60)}s` : `${Math.floor(m / 60)}h${m % 60}m`;
}

function formatEvents(numEvents: Record<string, number>): string {
  const parts = Object.entries(numEvents).map(([stream, n]) => `${stream}:${n}`);
  return parts.length === 0 ? '-' : parts.join(',');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd(),
  );
}

function formatRunsTable(summaries: readonly RunSummary[]): string[] {
  const header = ['UID', 'SCAN', 'PLAN', 'START', 'DURATION', 'STATUS', 'EVENTS', 'LOG'];
  const rows = summaries.map((s) => [
    s.shortUid,
    s.scanId === undefined ? '-' : String(s.scanId),
    s.planName ?? '-',
    s.time,
    formatDuration(s.duration),
    s.exitStatus + (s.failed ? ' (failed)' : s.flagged ? ' (flagged)' : ''),
    formatEvents(s.numEvents),
    s.logs.join(','),
  ]);
  return table([header, ...rows]);
}

export async function runsCommand(paths: string[], options: RunsOptions, io: Io): Promise<number> {
  const { runs, diagnostics } = await readRuns(paths, { strict: options.strict ?? false });
  for (const d of diagnostics) io.err(formatDiagnostic(d));
  for (const run of runs) for (const d of run.diagnostics) io.err(formatDiagnostic(d));
  const summaries = runs.map((run) => summarizeRun(run));
  if (options.json) {
    const records = summaries.map((s) => ({
      uid: s.uid,
      scan_id: s.scanId ?? null,
      plan_name: s.planName ?? null,
      time: s.time,
      duration: s.duration ?? null,
      exit_status: s.exitStatus,
      num_events: s.numEvents,
      log: s.logs[0] ?? null,
      logs: s.logs,
      flagged: s.flagged,
      failed: s.failed,
      problems: s.problems,
    }));
    io.out(JSON.stringify(records, null, 2));
  } else if (summaries.length > 0) {
    for (const line of formatRunsTable(summaries)) io.out(line);
  }
  // Bad documents are reported above; the exit code fails only when nothing could be read.
  // A path given that cannot be read at all is an unreadable input: 2.
  if (unreadablePaths(paths).length > 0) return EXIT_USAGE;
  return runs.length === 0 ? EXIT_FINDINGS : EXIT_OK;
}
