/** evaluate/: the pure evaluator, (Layout, Run) → NexusPlan. */
export type * from './models.js';
export { evaluateLayout, type EvaluateOptions } from './evaluate-layout.js';
export { renderFilePath } from './file-path.js';
export { renderText, missingPaths, isTemplateText } from './text.js';
export { buildContext, type RunContext, type StreamContext, type Bindings } from './context.js';
export { CalculationRegistry, createDefaultRegistry } from './registry.js';
export { isColumnSummary } from './calc-math.js';
export { formatText } from './calc-text.js';
export { nexusAxes, nexusSignal } from './calc-nexus.js';
export { iso8601 } from './iso-time.js';
export { normaliseDType, dtypeFromDataKey, inferDType, DTYPE_NAMES } from './dtype.js';
export { toInline, shapeOf, type InlineData } from './values.js';
export { safeNodeName } from './names.js';
export { PROVENANCE_GROUP } from './provenance.js';
export { addProblemsRecord, MAX_PROBLEM_LINES, type ProblemsRecord } from './problems-record.js';
export { addTriedTemplate, type TriedTemplate } from './provenance-fallback.js';
export { groupClassFor, NX_BASE_CLASSES } from './nx-base-classes.js';
export type { ExternalResolver } from './env.js';
