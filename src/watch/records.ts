/** Journal records made from run results and rejected logs. */
import { formatDiagnostic, type Diagnostic } from '../errors.js';
import type { RunResult } from '../convert/models.js';
import type { JournalRecord } from './models.js';

function now(): string {
  return new Date().toISOString();
}

/** The first error of a failed run, as one line. */
function failureReason(result: RunResult): string {
  const first = result.diagnostics.find((d) => d.severity === 'error');
  return first === undefined ? 'the run failed' : `${first.code}: ${first.message}`;
}

function base(result: RunResult): Omit<JournalRecord, 'status' | 'time'> {
  const record: Omit<JournalRecord, 'status' | 'time'> = { uid: result.uid, log: result.logs[0] ?? '' };
  if (result.logs.length > 1) record.logs = [...result.logs];
  // A failed run's file was never written: the record must not name it.
  if (result.file !== undefined && result.status !== 'failed') record.file = result.file;
  if (result.layout !== undefined) record.template = result.layout;
  if (result.layoutSha256 !== undefined) record.templateSha256 = result.layoutSha256;
  record.events = result.events;
  return record;
}

/** written / incomplete / failed, from what the session reported. */
export function runRecord(result: RunResult): JournalRecord {
  if (result.status === 'failed')
    return { ...base(result), status: 'failed', reason: failureReason(result), time: now() };
  return { ...base(result), status: result.incomplete ? 'incomplete' : 'written', time: now() };
}

/** The run's own file was already in place (written before a crash cut the journal record). */
export function recoveredRecord(result: RunResult, file: string): JournalRecord {
  return {
    ...base(result),
    file,
    status: result.incomplete ? 'incomplete' : 'written',
    reason:
      "recovered: the file was already in place with this run's uid in its provenance (a crash came between its rename and its journal record)",
    time: now(),
  };
}

export function rejectedLogRecord(log: string, why: Diagnostic): JournalRecord {
  return { status: 'rejected-log', log, reason: formatDiagnostic(why), time: now() };
}
