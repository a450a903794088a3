/** nexus/: plans → HDF5/NeXus files with h5wasm, and HDF5 files → trees for `inspect`. */
export type {
  ColumnHandle,
  ColumnSource,
  FormatTreeOptions,
  InspectedAttribute,
  InspectedNode,
  NexusSink,
  OpenOutputOptions,
  OutputFile,
  OutputHost,
  WritePlanOptions,
} from './models.js';
export { H5wasmSink, type H5wasmSinkOptions } from './h5wasm-sink.js';
export { MemorySink, type MemoryNode } from './memory-sink.js';
export { writePlan, NO_COLUMNS } from './write-plan.js';
export { diskOutput, openOutput, removeStaleTemps, resolveOutputPath, tempName } from './output-file.js';
export { isInside } from './output-path.js';
export { readTree, PREVIEW_ELEMENTS } from './read-tree.js';
export { formatTree } from './format-tree.js';
export { columnChunks, MIN_CHUNK_BYTES, MAX_CHUNK_BYTES } from './chunking.js';
export { summarizeHdf5Error } from './h5-errors.js';
export { readColumnRows } from './read-rows.js';
export type { RunFileInfo, PlotPreview, LinePreview, ImagePreview, ExternalPreview } from './read-models.js';
export { openForReading, readRunInfo, PROVENANCE } from './read-run.js';
export { readPlotPreview, minMaxIndices, blockMeans, LINE_BUCKETS, IMAGE_CELLS } from './read-plot.js';
