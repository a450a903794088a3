/** evaluate/: the pure evaluator, (Layout, Run) → NexusPlan. */
export type * from './models.js';
export { evaluateLayout, type EvaluateOptions } from './evaluate-layout.js';
export { renderFilePath } from './file-path.js';
export { renderText } from './text.js';
export { buildContext } from './context.js';
export { CalculationRegistry, createDefaultRegistry } from './registry.js';
export { iso8601 } from './iso-time.js';
export { normaliseDType, dtypeFromDataKey } from './dtype.js';
export { groupClassFor, NX_BASE_CLASSES } from './nx-base-classes.js';
export type { ExternalResolver } from './env.js';
