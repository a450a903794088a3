/**
 * nxlayout's core API (`import … from 'nxlayout'`): no file system, no
 * threads, no `node:` module — it runs in Node and in a browser (files go to
 * h5wasm's in-memory file system there). Reading logs from files, writing
 * files atomically to disk, watching a spool: `nxlayout/node` (src/node.ts).
 */

import { Ajv } from 'ajv';
import { setAjvFactory } from './documents/ajv-factory.js';

// Schemas compiled at run time (no precompiled validators in a bundle) use the ajv bundled with the core.
setAjvFactory((options) => new Ajv(options));

// Templates: parse and check one (schema, handlebars, projections); which one a run gets.
export { parseLayout } from './layout/parse.js';
export { selectLayout } from './layout/match.js';
export type { Layout, LayoutResult } from './layout/models.js';

// Conversion: push a run's documents, get its file when its stop arrives.
export { ConversionSession, type ConversionHooks } from './convert/session.js';
export type { ConvertOptions, RunResult, RunStatus } from './convert/models.js';
export type { DocName, DocumentSource, NamedDocument } from './documents/models.js';

// Where the files go.
export { h5wasmOutput, outputBytes } from './nexus/h5wasm-output.js';
export type { ColumnHandle, NexusSink, OpenOutputOptions, OutputFile, OutputHost } from './nexus/models.js';

// Calculations a template may name: registered from code, never from documents.
export { CalculationRegistry, createDefaultRegistry } from './evaluate/registry.js';
export type { CalculationFn, CalculationSpec, ColumnSummary, DType } from './evaluate/models.js';

// Errors and version.
export { formatDiagnostic, isNxlError, NxlError } from './errors.js';
export type { Diagnostic, ErrorCode, Location, Severity } from './errors.js';
export { NXLAYOUT_VERSION } from './version.js';
