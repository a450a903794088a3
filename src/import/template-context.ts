/** The context of one layout's conversion to a template, shared by to-template.ts and template-values.ts. */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { AdDataset, AdGroup, AdHardlink, NdAttribute } from './models.js';
import type { GroupPlot } from './legacy-plot.js';

export type Json = Record<string, unknown>;

/** What the conversion of one layout reads (the options, the layout's paths and plots) and collects (its diagnostics). */
export interface Ctx {
  readonly stream: string;
  readonly detectorField: string;
  readonly prefix: string;
  readonly file: string;
  readonly nd: ReadonlyMap<string, NdAttribute> | undefined;
  /** HDF5 path → what the layout puts there. */
  readonly paths: ReadonlyMap<string, AdGroup | AdDataset | AdHardlink>;
  /** Group path → what the legacy `signal="1"` / `axes` attributes of its datasets say it plots. */
  readonly plots: ReadonlyMap<string, GroupPlot>;
  readonly diagnostics: Diagnostic[];
}

/** An IMPORT_LAYOUT diagnostic at `line` of the layout. */
export function note(
  ctx: Ctx,
  severity: 'error' | 'warning' | 'info',
  line: number,
  message: string,
  hint?: string,
): void {
  ctx.diagnostics.push(diagnostic('IMPORT_LAYOUT', severity, message, { file: ctx.file, line }, hint));
}
