/** Every check that needs no run, over a parsed template. Pure: diagnostics carry pointers, not positions. */
import type { Diagnostic } from '../errors.js';
import type { CalculationRegistry } from '../evaluate/registry.js';
import type { Layout } from '../layout/models.js';
import { lintCalculations } from './lint-calculations.js';
import { lintFilePath } from './lint-file-path.js';
import { lintHandlebars } from './lint-handlebars.js';
import { lintJsonPaths } from './lint-jsonpath.js';
import { lintLinks } from './lint-links.js';
import { lintNxClasses, lintNxdata, lintRootGroups } from './lint-nx.js';
import type { NxdlDigest } from './models.js';

export function lintLayout(layout: Layout, registry: CalculationRegistry, digest: NxdlDigest): Diagnostic[] {
  return [
    ...lintHandlebars(layout),
    ...lintJsonPaths(layout),
    ...lintCalculations(layout, registry),
    ...lintLinks(layout),
    ...lintNxClasses(layout, digest),
    ...lintNxdata(layout),
    ...lintRootGroups(layout),
    ...lintFilePath(layout),
  ];
}
