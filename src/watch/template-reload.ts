/**
 * Hot reload: the template files (or directory) are watched; after a change
 * settles, the templates are loaded again. A set that validates replaces the
 * one in service (runs started from then on use it); one that does not is
 * reported and the previous set stays in service.
 */
import { watch, type FSWatcher } from 'chokidar';
import type { ConvertOptions } from '../convert/models.js';
import { toDiagnostic, type Diagnostic } from '../errors.js';
import type { TemplateSet } from './models.js';
import { templateNames } from './work-queue.js';

/** Editors save in several steps (truncate, write, rename): wait for quiet before reloading. */
const SETTLE_MS = 150;

export interface TemplateReloadHooks {
  load: () => Promise<TemplateSet>;
  onLoaded: (set: TemplateSet) => void;
  onRejected: (diagnostics: Diagnostic[]) => void;
}

export class TemplateReloader {
  readonly #watcher: FSWatcher;
  readonly #hooks: TemplateReloadHooks;
  #timer: NodeJS.Timeout | undefined;
  #loading: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(paths: string[], hooks: TemplateReloadHooks, usePolling = false) {
    this.#hooks = hooks;
    this.#watcher = watch(paths, { ignoreInitial: true, persistent: true, usePolling, interval: 200, atomic: true });
    this.#watcher.on('all', () => this.#schedule());
  }

  /** Resolves once the watcher has scanned its paths. */
  ready(): Promise<void> {
    return new Promise((resolve) => this.#watcher.once('ready', () => resolve()));
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#watcher.close();
    await this.#loading;
  }

  #schedule(): void {
    if (this.#closed) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#loading = this.#loading.then(() => this.#reload());
    }, SETTLE_MS);
  }

  async #reload(): Promise<void> {
    if (this.#closed) return;
    let set: TemplateSet;
    try {
      set = await this.#hooks.load();
    } catch (e) {
      this.#hooks.onRejected([toDiagnostic(e)]);
      return;
    }
    const errors = set.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) this.#hooks.onRejected(errors);
    else if (!this.#closed) this.#hooks.onLoaded(set);
  }
}

/** The options each new run reads its templates from: a reload swaps them here. */
type TemplatesInService = Pick<ConvertOptions, 'layouts' | 'fallback'>;

/** What a reload reports, in the events of `watch` and `serve` alike. */
type ReloadEvent =
  | { kind: 'templates-reloaded'; templates: string[] }
  | { kind: 'templates-rejected'; diagnostics: Diagnostic[] };

/**
 * Watch `paths` and reload the templates after each change: a set that validates goes into
 * `inService` (runs started from then on use it), one that does not is reported and the previous
 * set stays. Resolves once the watcher is ready; the daemon and `serve` close it when they stop.
 */
export async function startTemplateReload(
  paths: string[],
  load: () => Promise<TemplateSet>,
  inService: TemplatesInService,
  emit: (event: ReloadEvent) => void,
  usePolling = false,
): Promise<TemplateReloader> {
  const reloader = new TemplateReloader(
    paths,
    {
      load,
      onLoaded: (set) => {
        inService.layouts = set.layouts;
        if (set.fallback !== undefined) inService.fallback = set.fallback;
        emit({ kind: 'templates-reloaded', templates: templateNames(set) });
      },
      onRejected: (diagnostics) => emit({ kind: 'templates-rejected', diagnostics }),
    },
    usePolling,
  );
  await reloader.ready();
  return reloader;
}
