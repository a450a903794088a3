/**
 * What the daemon does with a run the session finished: a run that met a full
 * disk (or no descriptor) is not recorded but tried again when space returns
 * (DiskFullRetry; under --once, at the next start); a run whose own file was
 * already in place (a crash between its rename and its record) is recorded as
 * recovered; any other is recorded as written, incomplete or failed.
 */
import type { RunResult } from '../convert/models.js';
import { DISK_FULL_RETRY_MS, diskFullNotice, failedForDiskFull, type DiskFullRetry } from './disk-full-retry.js';
import type { JournalRecord, WatchEvent } from './models.js';
import { recoveredRecord, runRecord } from './records.js';
import { ownExistingFile } from './recover.js';
import type { RunActivity } from './run-activity.js';
import type { Tally } from './tally.js';

export interface RunResultContext {
  activity: RunActivity;
  tally: Tally;
  emit: (e: WatchEvent) => void;
  /** Appends to the journal; false when it cannot be written (the daemon is stopping). */
  append: (record: JournalRecord) => boolean;
  /** The retry of runs that met a full disk (undefined with --once). */
  retry: () => DiskFullRetry | undefined;
  diskFullRetryMs?: number;
}

/** The session's `onResult` for the daemon. */
export function runResultHandler(c: RunResultContext): (result: RunResult) => void {
  return (result) => {
    c.activity.forget(result.uid);
    const retry = c.retry();
    if (failedForDiskFull(result)) {
      // Not recorded: written again when space returns (or on the next start after --once).
      retry?.add(result);
      if (retry === undefined) c.tally.failedUnrecorded();
      const retryMs = retry === undefined ? undefined : (c.diskFullRetryMs ?? DISK_FULL_RETRY_MS);
      c.emit({ kind: 'diagnostic', diagnostic: diskFullNotice(result, retryMs) });
      return;
    }
    const own = ownExistingFile(result);
    const record = own === undefined ? runRecord(result) : recoveredRecord(result, own);
    if (!c.append(record)) return;
    c.emit(own === undefined ? { kind: 'run', record, result } : { kind: 'recovered', record });
  };
}
