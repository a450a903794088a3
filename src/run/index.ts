export type { Column, Run, RunSummary } from './models.js';
export { drainColumn } from './column.js';
export { resolveExternal } from './external.js';
export { RunRouter } from './router.js';
export { completenessOf, completenessProblems, isDataProblem } from './completeness.js';
export { expandLogPaths, readRuns } from './read-runs.js';
export { summarizeRun } from './summary.js';
