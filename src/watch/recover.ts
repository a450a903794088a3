/**
 * A crash between a file's rename into place and its journal record leaves a
 * finished file the journal does not know. When the restarted daemon meets it
 * (NEXUS_EXISTS), the file's provenance says whether it is this run's file.
 * (`serve` asks the same of a run claimed from a dead writer, also requiring the same template.)
 */
import type { RunResult } from '../convert/models.js';
import { openForReading, readRunInfo } from '../nexus/index.js';

/** The provenance a file records (run_uid, template_sha256 …): empty when unreadable or absent. */
function provenanceOf(file: string): Record<string, string> {
  try {
    const h5 = openForReading(file);
    try {
      return readRunInfo(h5)?.provenance ?? {};
    } finally {
      h5.close();
    }
  } catch {
    return {}; // unreadable: nothing known
  }
}

/**
 * The file a failed result found in its way, when that file is this run's own earlier output
 * (`sameTemplate`: and written with the template the result used, by its sha256).
 */
export function ownExistingFile(result: RunResult, options: { sameTemplate?: boolean } = {}): string | undefined {
  if (result.status !== 'failed') return undefined;
  for (const d of result.diagnostics) {
    if (d.code !== 'NEXUS_EXISTS' || d.location.file === undefined) continue;
    const found = provenanceOf(d.location.file);
    if (found.run_uid !== result.uid) continue;
    if (options.sameTemplate === true && found.template_sha256 !== result.layoutSha256) continue;
    return d.location.file;
  }
  return undefined;
}
