/** validate/: every check of `nxlayout validate`, as findings. */
export type * from './models.js';
export { validateTemplate, validateLayout, locate, type ValidateOptions } from './validate-template.js';
export { lintLayout } from './lint-layout.js';
export { checkAgainstRuns, type AgainstOptions, type AgainstResult } from './against-runs.js';
export { checkDefinitions, type DefinitionsResult } from './check-definitions.js';
export { checkApplication } from './check-application.js';
export { checkBaseClasses } from './check-base.js';
export { shapeOfLayout, shapeOfPlan, type ShapeNode } from './shape-tree.js';
export { readDefinitionsDir, shippedDigest, expandDigest, SHIPPED_DIGEST } from './nxdl-load.js';
export { readDefinition } from './nxdl-read.js';
export { jsonPathProblem } from './jsonpath-syntax.js';
export { outputPathProblem } from './lint-file-path.js';
