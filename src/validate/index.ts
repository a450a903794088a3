/** validate/: every check of `nxlayout validate`, as findings. */
export type * from './models.js';
export { validateTemplate } from './validate-template.js';
export { readDefinitionsDir, shippedDigest } from './nxdl-load.js';
