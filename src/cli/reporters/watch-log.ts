/** `nxlayout watch`'s log lines: each WatchEvent as a line of text or JSON. */
import { formatDiagnostic } from '../../errors.js';
import type { WatchEvent, WatchStatus } from '../../watch/index.js';
import type { Io } from '../io.js';
import { hiddenWarningsText, runDiagnosticsToShow, summaryText } from './diagnostics.js';
import { describeSharedEvent, type LogLine } from './service-events.js';

/** One log line per event: `[level, text, fields]`. */
function describe(e: WatchEvent): LogLine {
  switch (e.kind) {
    case 'started':
      return [
        'info',
        `watching ${e.spool} → ${e.outRoot} (state ${e.stateDir}: ${e.finishedRuns} runs already written; templates ${e.templates.join(', ')}${e.staleTempsRemoved.length ? `; removed ${e.staleTempsRemoved.length} temporary files left by a crash` : ''})`,
        {
          spool: e.spool,
          out: e.outRoot,
          state: e.stateDir,
          journal_records: e.journalRecords,
          finished_runs: e.finishedRuns,
          stale_temps_removed: e.staleTempsRemoved,
          templates: e.templates,
        },
      ];
    case 'run': {
      const r = e.record;
      const fields = {
        uid: r.uid,
        status: r.status,
        file: r.file,
        events: r.events,
        ms: e.result.ms,
        template: r.template,
        template_sha256: r.templateSha256,
        log: r.log,
        logs: r.logs,
        reason: r.reason,
      };
      if (r.status === 'failed') return ['error', `FAILED run ${r.uid}: ${r.reason} (log ${r.log})`, fields];
      const incomplete = r.status === 'incomplete' ? ', INCOMPLETE: no stop document' : '';
      return [
        'info',
        `wrote ${r.file} (run ${r.uid}, ${r.events} events, ${e.result.ms} ms, ${r.template}${incomplete})`,
        fields,
      ];
    }
    case 'recovered':
      return [
        'warning',
        `recorded run ${e.record.uid} as written: ${e.record.file} was already in place from before a crash`,
        { uid: e.record.uid, status: e.record.status, file: e.record.file, reason: e.record.reason },
      ];
    case 'log-rejected':
      return [
        'error',
        `skipped log ${e.record.log}: ${formatDiagnostic(e.diagnostic)}`,
        { log: e.record.log, reason: e.record.reason, code: e.diagnostic.code },
      ];
    case 'log-replaced':
      return [
        'warning',
        `log ${e.log} was replaced (${e.reason}): read from its start as a new log`,
        { log: e.log, reason: e.reason },
      ];
    case 'diagnostic':
    case 'templates-reloaded':
    case 'templates-rejected':
      return describeSharedEvent(e);
    case 'status': {
      const s = e.status;
      return ['info', `status: ${statusText(s)}`, statusFields(s)];
    }
    case 'summary': {
      const s = e.summary;
      const byCode = (m: Record<string, number>): string =>
        Object.entries(m)
          .map(([code, n]) => `${code} ×${n}`)
          .join(', ') || 'none';
      return [
        'info',
        `summary: ${statusText(s)}; warnings: ${byCode(s.warningsByCode)}; errors: ${byCode(s.errorsByCode)}`,
        {
          ...statusFields(s),
          abandoned: s.abandoned.length,
          warnings_by_code: s.warningsByCode,
          errors_by_code: s.errorsByCode,
        },
      ];
    }
    case 'stopping':
      return [
        'info',
        `stopped (${e.reason})${e.abandoned.length ? `; ${e.abandoned.length} unfinished runs abandoned, to be redone from their logs on the next start: ${e.abandoned.join(', ')}` : ''}`,
        { reason: e.reason, abandoned: e.abandoned },
      ];
  }
}

function statusText(s: WatchStatus): string {
  return (
    `${s.runsWritten} runs written, ${s.runsIncomplete} incomplete, ${s.runsFailed} failed, ${s.runsSkipped} skipped (already written), ${s.runsOpen} open; ` +
    `logs: ${s.logsFollowed} followed, ${s.logsDone} done, ${s.logsRejected} rejected, ${s.logsReplaced} replaced`
  );
}

function statusFields(s: WatchStatus): Record<string, number> {
  return {
    runs_written: s.runsWritten,
    runs_incomplete: s.runsIncomplete,
    runs_failed: s.runsFailed,
    runs_skipped: s.runsSkipped,
    runs_open: s.runsOpen,
    logs_followed: s.logsFollowed,
    logs_done: s.logsDone,
    logs_rejected: s.logsRejected,
    logs_replaced: s.logsReplaced,
  };
}

/**
 * The daemon's log: one line per event, text or JSON (problems on stderr, the
 * rest on stdout); a run's own problems follow its line (warnings counted
 * unless `verbose`); `quiet`: failed runs and errors only.
 */
export function watchLogger(io: Io, format: 'text' | 'json', verbose: boolean, quiet = false): (e: WatchEvent) => void {
  return (e) => {
    const [level, text, fields] = describe(e);
    if (quiet && level !== 'error' && e.kind !== 'run') return;
    if (quiet && e.kind === 'run') {
      // --quiet: a failed run and the run's errors only.
      if (level === 'error')
        io.err(
          format === 'json'
            ? JSON.stringify({ time: new Date().toISOString(), level, event: e.kind, message: text, ...fields })
            : `${new Date().toISOString()} ERROR ${text}`,
        );
      for (const d of e.result.diagnostics)
        if (d.severity === 'error') watchLogger(io, format, false, true)({ kind: 'diagnostic', diagnostic: d });
      return;
    }
    const line =
      format === 'json'
        ? JSON.stringify({ time: new Date().toISOString(), level, event: e.kind, message: text, ...fields })
        : `${new Date().toISOString()} ${level === 'info' ? '' : level.toUpperCase() + ' '}${text}`;
    // Problems on stderr, the rest on stdout; under systemd both reach the journal.
    if (level === 'info') io.out(line);
    else io.err(line);
    // A run's own problems (skipped documents, optional nodes missing…) follow its line.
    // Warnings (mostly optional values a run lacks) are counted unless --verbose: the errors must stand out.
    if (e.kind !== 'run') return;
    const { shown, summaries, hidden, hiddenByCode } = runDiagnosticsToShow(e.result.diagnostics, verbose);
    for (const d of shown) watchLogger(io, format, verbose)({ kind: 'diagnostic', diagnostic: d });
    for (const s of summaries) {
      const [kindLevel, , kindFields] = describe({ kind: 'diagnostic', diagnostic: s.first });
      const text = summaryText(s);
      io.err(
        format === 'json'
          ? JSON.stringify({
              time: new Date().toISOString(),
              level: kindLevel,
              event: 'diagnostics',
              message: text,
              uid: e.result.uid,
              count: s.count,
              ...kindFields,
            })
          : `${new Date().toISOString()} ${kindLevel.toUpperCase()} ${text}`,
      );
    }
    if (hidden > 0) {
      const text = hiddenWarningsText(e.result.uid, hiddenByCode);
      io.err(
        format === 'json'
          ? JSON.stringify({
              time: new Date().toISOString(),
              level: 'warning',
              event: 'warnings',
              message: text,
              uid: e.result.uid,
              warnings: hidden,
              warnings_by_code: Object.fromEntries(hiddenByCode),
            })
          : `${new Date().toISOString()} WARNING ${text}`,
      );
    }
  };
}
