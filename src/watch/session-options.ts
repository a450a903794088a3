/**
 * The conversion options of the daemon's session (and of its disk-full
 * retries): one object, which the session reads whenever a run starts, so a
 * template reload swaps the layouts and fallback in it. A run the journal
 * records as finished is skipped (and counted).
 */
import type { ConvertOptions } from '../convert/models.js';
import type { TemplateSet, WatchOptions } from './models.js';

export function sessionOptions(
  outRoot: string,
  templates: TemplateSet,
  options: WatchOptions,
  skip: (uid: string) => boolean,
): ConvertOptions {
  return {
    outRoot,
    layouts: templates.layouts,
    ...(templates.fallback === undefined ? {} : { fallback: templates.fallback }),
    overwrite: false,
    strict: options.strict ?? false,
    longRunning: true,
    ...(options.registry === undefined ? {} : { registry: options.registry }),
    ...(options.projectionNames === undefined ? {} : { projectionNames: options.projectionNames }),
    skip,
  };
}
