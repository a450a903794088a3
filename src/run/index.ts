import './file-host-node.js';
export type { RunSummary } from './models.js';
export { resolveExternal } from './external.js';
export { RunRouter } from './router.js';
export { expandLogPaths, readRuns } from './read-runs.js';
export { summarizeRun } from './summary.js';
