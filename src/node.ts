/**
 * nxlayout's Node shell (`import … from 'nxlayout/node'`): everything of the
 * core (`nxlayout`), plus what needs Node — logs read from files (worker
 * threads for big ones), files written to disk atomically, templates loaded
 * from files, the watch daemon, and the provenance of a written file.
 * Here a ConversionSession writes to disk unless told otherwise.
 */
import './documents/precompiled-node.js';
import './run/file-host-node.js';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ReportRow } from './report/models.js';
import { readRunFile } from './report/read-run-file.js';

export * from './index.js';
export { ConversionSession, convertLogs } from './convert/convert-logs.js';
export type { ConvertProgress } from './convert/models.js';
export { diskOutput } from './nexus/output-file.js';
export { loadLayout, loadLayouts, type LoadedLayouts } from './layout/load.js';
export { startWatch } from './watch/daemon.js';
export type {
  TemplateSet,
  WatchEvent,
  WatchHandle,
  WatchHooks,
  WatchOptions,
  WatchStatus,
  WatchSummary,
} from './watch/models.js';
export type { ReportRow as Provenance } from './report/models.js';

/**
 * What a NeXus file written by nxlayout records about its run (uid, scan,
 * plan, times, exit status, template), from its `nxlayout_provenance` group;
 * undefined when the HDF5 file records no run. NEXUS_READ when it is not HDF5.
 */
export async function readProvenance(file: string): Promise<ReportRow | undefined> {
  const { size } = await stat(file);
  return readRunFile(path.resolve(file), file, size);
}
