/**
 * Runs the RunEngine did not finish still get a file, marked for what they
 * lack: no stop document (RUN_NO_STOP, reported where the run ends), no event
 * in any stream (RUN_NO_EVENTS), a detector declared with external data that
 * took no frame — neither a datum reference in an event nor a stream_datum
 * (RUN_NO_FRAMES). And what the file then is: complete, incomplete (the run
 * did not finish) or partial (documents or readings were dropped or replaced).
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { Run } from './models.js';

export type Completeness = 'complete' | 'incomplete' | 'partial';

/** Codes that say the run itself did not finish. */
const INCOMPLETE_CODES: ReadonlySet<string> = new Set(['RUN_NO_STOP', 'RUN_NO_EVENTS', 'RUN_NO_FRAMES']);

/** Problems of the input data: the documents and the run (what a file's problems record lists). */
export function isDataProblem(d: Diagnostic): boolean {
  return d.code.startsWith('DOC_') || d.code.startsWith('RUN_');
}

/** What the file of a run with these diagnostics is. A usable document outside the exact schema (a DOC_SCHEMA warning) loses nothing. */
export function completenessOf(diagnostics: readonly Diagnostic[]): Completeness {
  let partial = false;
  for (const d of diagnostics) {
    if (INCOMPLETE_CODES.has(d.code)) return 'incomplete';
    if (isDataProblem(d) && !(d.code === 'DOC_SCHEMA' && d.severity === 'warning') && d.severity !== 'info')
      partial = true;
  }
  return partial ? 'partial' : 'complete';
}

function framesOf(run: Run, stream: string, field: string, descriptorUids: ReadonlySet<string>): number {
  const ids = run.datumIds?.get(stream)?.get(field)?.length ?? 0;
  if (ids > 0) return ids;
  let frames = 0;
  for (const sd of run.streamDatums) {
    if (!descriptorUids.has(sd.descriptor)) continue;
    const sr = run.streamResources.get(sd.stream_resource);
    if (sr !== undefined && (sr.data_key === undefined || sr.data_key === field)) frames++;
  }
  return frames;
}

/** RUN_NO_EVENTS / RUN_NO_FRAMES for a run as it ends (nothing when it has events and frames). */
export function completenessProblems(run: Run): Diagnostic[] {
  const where = { run: run.uid, ...(run.source === undefined ? {} : { file: run.source.log }) };
  let events = 0;
  for (const stream of run.streams.values()) events += stream.length;
  if (events === 0 && run.streamDatums.length === 0) {
    const streams = [...run.streams.keys()];
    return [
      diagnostic(
        'RUN_NO_EVENTS',
        'warning',
        `run ${run.uid.slice(0, 8)} has no event in any stream${streams.length ? ` (streams declared: ${streams.join(', ')})` : ' (no stream declared)'}: written as incomplete`,
        where,
        'the run was stopped or failed before its first reading; the file holds its metadata only',
      ),
    ];
  }
  const problems: Diagnostic[] = [];
  for (const [name, stream] of run.streams) {
    const descriptorUids = new Set(stream.descriptors.map((d) => d.uid));
    for (const [field, key] of Object.entries(stream.dataKeys)) {
      if (typeof key.external !== 'string' || key.external === '') continue;
      if (framesOf(run, name, field, descriptorUids) > 0) continue;
      problems.push(
        diagnostic(
          'RUN_NO_FRAMES',
          'warning',
          `${name}/${field} is declared with external data (${key.external}) but the run took no frame of it (${stream.length} events, no datum): written as incomplete`,
          { ...where, stream: name, field },
          'the detector was armed but never triggered, or its data was lost; the file links no detector data for it',
        ),
      );
    }
  }
  return problems;
}
