/** layout/: template text → validated tree, and which template a run gets. */
export type * from './models.js';
export { DEFAULT_PROJECTION_NAMES } from './models.js';
export { parseLayout, sha256 } from './parse.js';
export { loadLayout, loadLayouts, type LoadedLayouts } from './load.js';
export { selectLayout, rankLayouts, layoutMatches, matchHolds, conditionHolds, valueAtDottedPath, type MatchContext } from './match.js';
export { positionOf, offsetToPosition, type TextPosition } from './json-pointer.js';
export { escapePointerSegment, unescapePointerSegment, joinPointer, splitPointer } from '../json-pointer.js';
export { layoutSchema } from './schema.js';
export { isTemplateText, PROJECTION_KEYS, DEFAULT_COMPRESSION } from './build-nodes.js';
export { checkProjection } from './check-projection.js';
