/**
 * The smallest whole run a command can write: one start, one `primary` descriptor (`x`, a
 * number), one event (x = 2.5) and the stop, as `DIR/run.jsonl`. Only node: imports, so a test
 * that checks which modules a process loads can use it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes the log into `dir` and returns its path. */
export function writeOneEventLog(dir: string): string {
  const log = path.join(dir, 'run.jsonl');
  const uid = '00000001-0001-4000-8000-000000000000';
  const desc = '00000001-0002-4000-8000-000000000000';
  fs.writeFileSync(
    log,
    [
      `["start", {"uid": "${uid}", "time": 1, "scan_id": 1}]`,
      `["descriptor", {"uid": "${desc}", "run_start": "${uid}", "time": 1, "name": "primary", "data_keys": {"x": {"dtype": "number", "shape": [], "source": "s"}}}]`,
      `["event", {"uid": "00000001-0003-4000-8000-000000000000", "descriptor": "${desc}", "seq_num": 1, "time": 2, "data": {"x": 2.5}, "timestamps": {"x": 2}}]`,
      `["stop", {"uid": "00000001-0004-4000-8000-000000000000", "run_start": "${uid}", "time": 3, "exit_status": "success", "num_events": {"primary": 1}}]`,
    ].join('\n') + '\n',
  );
  return log;
}
