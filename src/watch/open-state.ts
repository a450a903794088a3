/**
 * The daemon's start, before it watches anything: the preflight checks (output
 * root, spool, one outside the other), the templates, the state directory's
 * lock, the journal, and the stale temporary files of a crashed writer removed.
 * Throws NxlError (and holds nothing) when one of them fails.
 */
import * as path from 'node:path';
import { removeStaleTemps } from '../nexus/index.js';
import { StateJournal } from './journal.js';
import { lockStateDir } from './lock.js';
import type { TemplateSet, WatchEvent, WatchOptions } from './models.js';
import { checkOutputRoot, checkSpool, checkSpoolOutsideOutput } from './preflight.js';
import { templateNames } from './work-queue.js';

const DEFAULT_STATE_DIR = '.nxlayout-state';

export interface OpenedState {
  outRoot: string;
  spool: string;
  stateDir: string;
  templates: TemplateSet;
  journal: StateJournal;
  /** Releases the state directory's lock. */
  unlock: () => void;
}

/** Checks and opens everything the daemon needs; emits the journal's diagnostics and `started`. */
export async function openState(options: WatchOptions, emit: (e: WatchEvent) => void): Promise<OpenedState> {
  const outRoot = path.resolve(options.outRoot);
  const spool = path.resolve(options.spool);
  checkOutputRoot(outRoot);
  checkSpool(spool);
  checkSpoolOutsideOutput(spool, outRoot);
  const templates = await options.loadTemplates();
  const stateDir = path.resolve(options.stateDir ?? path.join(outRoot, DEFAULT_STATE_DIR));
  const unlock = lockStateDir(stateDir);
  let opened: ReturnType<typeof StateJournal.open>;
  try {
    opened = StateJournal.open(stateDir);
  } catch (e) {
    unlock();
    throw e;
  }
  const journal = opened.journal;
  for (const d of opened.diagnostics) emit({ kind: 'diagnostic', diagnostic: d });
  const staleTempsRemoved = removeStaleTemps(outRoot);
  emit({
    kind: 'started',
    spool,
    outRoot,
    stateDir,
    journalRecords: journal.size,
    finishedRuns: journal.finishedCount,
    staleTempsRemoved,
    templates: templateNames(templates),
  });
  return { outRoot, spool, stateDir, templates, journal, unlock };
}
