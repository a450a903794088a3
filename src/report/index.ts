/** report/: the runs of a user directory, from the files nxlayout wrote there. */
export type * from './models.js';
export { REPORT_FORMATS } from './models.js';
export { buildReport } from './build-report.js';
export { findHdf5Files, HDF5_EXTENSIONS } from './find-files.js';
export { readRunFile } from './read-run-file.js';
export { formatReport, formatCsv, formatMarkdown, formatJson, jsonRow, csvCell, mdCell, htmlEscape } from './format.js';
export { formatHtml } from './format-html.js';
export { thumbnail, rampColor, THUMB_WIDTH, THUMB_HEIGHT } from './thumbnail.js';
export { COLUMNS, humanSize, humanDuration } from './columns.js';
