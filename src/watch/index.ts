/** watch/: the spool daemon — logs followed as they grow, each run written once. */
export type * from './models.js';
export { startWatch } from './daemon.js';
export { formatDuration, parseDuration } from './duration.js';
export { StateJournal, parseJournal, isFinished, JOURNAL_FILE } from './journal.js';
export { checkOutputRoot, checkSpool } from './preflight.js';
