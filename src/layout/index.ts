/** layout/: template text → validated tree, and which template a run gets. */
import '../documents/precompiled-node.js';
export type * from './models.js';
export { parseLayout } from './parse.js';
export { loadLayout, loadLayouts } from './load.js';
export { selectLayout, rankLayouts, conditionHolds, valueAtDottedPath } from './match.js';
export { positionOf, offsetToPosition } from './json-pointer.js';
export { escapePointerSegment, unescapePointerSegment, joinPointer, splitPointer } from '../json-pointer.js';
export { checkProjection } from './lint/projection.js';
