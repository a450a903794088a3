/**
 * A crash between a file's rename into place and its journal record leaves a
 * finished file the journal does not know. When the restarted daemon meets it
 * (NEXUS_EXISTS), the file's provenance says whether it is this run's file.
 */
import type { RunResult } from '../convert/models.js';
import { readTree, type InspectedNode } from '../nexus/index.js';

const RUN_UID = /\/nxlayout_provenance\/run_uid$/;

function findRunUid(node: InspectedNode): string | undefined {
  if (node.kind === 'dataset' && RUN_UID.test(node.path)) {
    const v = Array.isArray(node.preview) ? node.preview[0] : node.preview;
    return typeof v === 'string' ? v : undefined;
  }
  if (node.kind !== 'group') return undefined;
  for (const child of node.children) {
    const found = findRunUid(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The run uid recorded in a file's provenance (undefined if unreadable or absent). */
function provenanceRunUid(file: string): string | undefined {
  try {
    return findRunUid(readTree(file));
  } catch {
    return undefined;
  }
}

/** The file a failed result found in its way, when that file is this run's own earlier output. */
export function ownExistingFile(result: RunResult): string | undefined {
  if (result.status !== 'failed') return undefined;
  for (const d of result.diagnostics) {
    if (d.code !== 'NEXUS_EXISTS' || d.location.file === undefined) continue;
    if (provenanceRunUid(d.location.file) === result.uid) return d.location.file;
  }
  return undefined;
}
