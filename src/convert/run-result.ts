/** A run writer's outcome as a RunResult. */
import type { Diagnostic } from '../errors.js';
import type { NexusPlan } from '../evaluate/models.js';
import type { Layout } from '../layout/models.js';
import { completenessOf } from '../run/completeness.js';
import type { Run } from '../run/models.js';
import type { RunResult, RunStatus } from './models.js';

export interface RunOutcome {
  readonly status: RunStatus;
  /** The template used, and the one tried first when the run fell back. */
  readonly layout: Layout;
  readonly tried?: Layout;
  /** The writer's own diagnostics (the run's are added). */
  readonly diagnostics: readonly Diagnostic[];
  readonly ms: number;
  readonly file?: string;
  /** Handed back for a dry run only: a daemon's results must not hold every file's tree. */
  readonly plan?: NexusPlan;
}

export function runResult(run: Run, outcome: RunOutcome): RunResult {
  let events = 0;
  for (const stream of run.streams.values()) events += stream.length;
  const { layout, tried } = outcome;
  const result: RunResult = {
    uid: run.uid,
    status: outcome.status,
    layout: `${layout.name}@${layout.version}`,
    layoutSha256: layout.sha256,
    ...(tried === undefined ? {} : { fallbackFrom: `${tried.name}@${tried.version}` }),
    events,
    ms: outcome.ms,
    incomplete: run.stop === undefined,
    completeness: completenessOf([...run.diagnostics, ...outcome.diagnostics]),
    logs: [...run.logs],
    diagnostics: [...run.diagnostics, ...outcome.diagnostics],
  };
  if (typeof run.start.scan_id === 'number') result.scanId = run.start.scan_id;
  if (outcome.file !== undefined) result.file = outcome.file;
  if (outcome.plan !== undefined) result.plan = outcome.plan;
  return result;
}
