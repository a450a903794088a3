/**
 * (Layout, Run) → NexusPlan, purely: no I/O, no clock, no randomness, so one
 * run and one template always give the same plan. Data problems become
 * diagnostics in the plan; nothing is thrown for them.
 */
import type { Diagnostic } from '../errors.js';
import type { Layout } from '../layout/models.js';
import { resolveExternal } from '../run/external.js';
import type { Run } from '../run/models.js';
import { applyConventions } from './conventions.js';
import { buildContext } from './context.js';
import type { EvalEnv, ExternalResolver } from './env.js';
import { renderFilePath } from './file-path.js';
import { checkLinks } from './links.js';
import { mergeStartProjections } from './merge-projections.js';
import type { NexusPlan, Provenance } from './models.js';
import { planGroup } from './plan-tree.js';
import { addProvenance } from './provenance.js';
import { createDefaultRegistry, type CalculationRegistry } from './registry.js';

export interface EvaluateOptions {
  /** Default: createDefaultRegistry(). */
  registry?: CalculationRegistry;
  provenance?: Provenance;
  /** Where external fields live; default run/'s resolveExternal (tests may stub it). */
  resolveExternal?: ExternalResolver;
  /**
   * Start-document projection names applied (the command line's `--projections`);
   * default: the template's `start_projections.names`, else DEFAULT_PROJECTION_NAMES.
   */
  projectionNames?: readonly string[];
}

let defaultRegistry: CalculationRegistry | undefined;

export function evaluateLayout(layout: Layout, run: Run, options: EvaluateOptions = {}): NexusPlan {
  const version = options.provenance?.nxlayoutVersion ?? 'unknown';
  const diagnostics: Diagnostic[] = [];
  const file = renderFilePath(layout, run, version);
  diagnostics.push(...file.diagnostics);
  const registry = options.registry ?? (defaultRegistry ??= createDefaultRegistry());
  const names = options.projectionNames ?? layout.startProjections?.names;
  const root = mergeStartProjections(layout.root, run.start, diagnostics, {
    ...(names === undefined ? {} : { names }),
    ...(layout.startProjections?.callables === undefined ? {} : { callables: layout.startProjections.callables }),
    registered: (name) => registry.has(name),
  });
  const env: EvalEnv = {
    run,
    registry,
    resolveExternal: options.resolveExternal ?? resolveExternal,
    context: buildContext(run, {}, version),
    bindings: {},
    at: { run: run.uid },
    diagnostics,
    optionalLinks: new Set(),
    readColumns: new Map(),
  };
  let tree = planGroup(root, '/', env);
  tree = checkLinks(tree, env.optionalLinks, diagnostics);
  tree = addProvenance(tree, layout, run, version);
  tree = applyConventions(tree, { run, file: file.path ?? '', version }, diagnostics);
  return { file: file.path ?? '', root: tree, diagnostics, readColumns: [...env.readColumns.values()] };
}
