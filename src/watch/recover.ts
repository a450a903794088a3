/**
 * A crash between a file's rename into place and its journal record leaves a
 * finished file the journal does not know. When the restarted daemon meets it
 * (NEXUS_EXISTS), the file's provenance says whether it is this run's file.
 * (`serve` asks the same of a run claimed from a dead writer, also requiring the same template.)
 */
import type { RunResult } from '../convert/models.js';
import { readTree, type InspectedNode } from '../nexus/index.js';

const PROVENANCE = /\/nxlayout_provenance\/(run_uid|template_sha256)$/;

/** What a file's provenance says of its run and template. */
interface FileProvenance {
  runUid?: string;
  templateSha256?: string;
}

function collect(node: InspectedNode, found: FileProvenance): void {
  const m = node.kind === 'dataset' ? PROVENANCE.exec(node.path) : null;
  if (node.kind === 'dataset' && m !== null) {
    const v = Array.isArray(node.preview) ? node.preview[0] : node.preview;
    const key = m[1] === 'run_uid' ? 'runUid' : 'templateSha256';
    if (typeof v === 'string' && found[key] === undefined) found[key] = v;
    return;
  }
  if (node.kind === 'group') for (const child of node.children) collect(child, found);
}

/** The run uid and template sha256 recorded in a file's provenance (empty if unreadable or absent). */
function provenanceOf(file: string): FileProvenance {
  const found: FileProvenance = {};
  try {
    collect(readTree(file), found);
  } catch {
    // unreadable: nothing known
  }
  return found;
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
    if (found.runUid !== result.uid) continue;
    if (options.sameTemplate === true && found.templateSha256 !== result.layoutSha256) continue;
    return d.location.file;
  }
  return undefined;
}
