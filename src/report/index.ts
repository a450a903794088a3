/** report/: the runs of a user directory, from the files nxlayout wrote there. */
export type * from './models.js';
export { buildReport } from './build-report.js';
export { findHdf5Files, HDF5_EXTENSIONS } from './find-files.js';
export { formatReport, csvCell } from './format.js';
export { thumbnail } from './thumbnail.js';
