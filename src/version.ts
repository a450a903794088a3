/**
 * nxlayout's own version. A constant, so the core needs no file system to know
 * it; test/browser/core-boundary.test.ts checks it equals package.json's.
 */
export const NXLAYOUT_VERSION: string = '0.1.0';
