/** `nxlayout write LOG... --out ROOT`: one NeXus file per run. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { formatDiagnostic, NxlError, type Diagnostic } from '../../errors.js';
import { DECODE_THREADS_MIN_BYTES, defaultDecodeThreads } from '../../documents/jsonl-decode-pool.js';
import type { LogThread } from '../../documents/log-thread.js';
import type { RunResult } from '../../convert/index.js';
import { createDefaultRegistry } from '../../evaluate/index.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from '../io.js';
import { unreadablePaths } from '../inputs.js';
import { createProgress } from '../progress.js';
import {
  addCounts,
  hiddenWarningsText,
  runDiagnosticsToShow,
  summaryText,
  warningCountsText,
} from '../reporters/diagnostics.js';
import { formatPlan } from '../reporters/plan.js';
import { diagnosticJson, runResultJson } from '../reporters/json-output.js';
import { chooseTemplates } from '../templates.js';

export interface WriteOptions {
  out?: string;
  template?: string;
  templates?: string;
  dryRun?: boolean;
  overwrite?: boolean;
  strict?: boolean;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  decodeThreads?: number;
  projections?: string[];
}

function resultLine(r: RunResult, cwd: string): string {
  const file = r.file === undefined ? '(no file)' : path.relative(cwd, r.file) || r.file;
  const scan = r.scanId === undefined ? '' : `, scan ${r.scanId}`;
  const incomplete = r.incomplete
    ? ', INCOMPLETE: no stop document'
    : r.completeness === 'incomplete'
      ? ', INCOMPLETE: see nxlayout_provenance/problems'
      : r.completeness === 'partial'
        ? ', PARTIAL: see nxlayout_provenance/problems'
        : '';
  const fallback = r.fallbackFrom === undefined ? '' : ` (fallback: ${r.fallbackFrom} failed)`;
  switch (r.status) {
    case 'written':
      return `wrote ${file}  (run ${r.uid.slice(0, 8)}${scan}, ${r.layout}${fallback}, ${r.events} events, ${r.ms} ms${incomplete})`;
    case 'planned':
      return `plan for ${file}  (run ${r.uid.slice(0, 8)}${scan}, ${r.layout}${fallback}, ${r.events} events${incomplete})`;
    case 'failed':
      return `FAILED run ${r.uid.slice(0, 8)}${scan}: nothing written${r.file ? ` to ${file}` : ''}`;
  }
}

export async function writeCommand(logs: string[], options: WriteOptions, io: Io): Promise<number> {
  if (options.out === undefined && !options.dryRun) {
    throw new NxlError(
      'CLI_USAGE',
      'write needs --out ROOT, the directory the files are written under',
      {},
      { hint: 'e.g. nxlayout write run.jsonl --out /data/8idi (or --dry-run to only plan)' },
    );
  }
  const outRoot = path.resolve(options.out ?? '.');
  if (!options.dryRun) fs.mkdirSync(outRoot, { recursive: true });
  // Only before h5wasm's WebAssembly is compiled: a process that already runs it (a test calling
  // several commands) keeps the tiering it started with.
  const h5wasmLoaded = (globalThis as Record<symbol, unknown>)[Symbol.for('nxlayout.h5wasm-loaded')] === true;
  if (!h5wasmLoaded && wasmBaselineOnly(logs)) v8.setFlagsFromString('--liftoff-only');
  // The writer's modules load (h5wasm decodes and compiles its WebAssembly, the compiling off
  // the main thread) while the templates are read and checked.
  const logThread = await startLogThread(logs, options.decodeThreads);
  const converting = import('../../convert/index.js');
  converting.catch(() => undefined); // a failure is reported by the await below, not as an unhandled rejection first
  const chosen = await chooseTemplates({
    ...(options.template === undefined ? {} : { template: options.template }),
    ...(options.templates === undefined ? {} : { templates: options.templates }),
  });
  for (const d of chosen.diagnostics) io.err(formatDiagnostic(d));
  const progress = createProgress(io);
  const sizes = new Map<string, number | undefined>();
  const show: Shown = { verbose: options.verbose ?? false, quiet: options.quiet ?? false, warnings: new Map() };
  const cwd = process.cwd();
  const { convertLogs } = await converting;
  const { results, diagnostics } = await convertLogs(
    logs,
    {
      outRoot,
      layouts: chosen.layouts,
      ...(chosen.fallback === undefined ? {} : { fallback: chosen.fallback }),
      overwrite: options.overwrite ?? false,
      strict: options.strict ?? false,
      dryRun: options.dryRun ?? false,
      registry: createDefaultRegistry(),
      ...(options.projections === undefined ? {} : { projectionNames: options.projections }),
      ...(options.decodeThreads === undefined ? {} : { decodeThreads: options.decodeThreads }),
      ...(logThread === undefined ? {} : { logThread }),
    },
    {
      onProgress(p) {
        if (!sizes.has(p.log)) sizes.set(p.log, fileSize(p.log));
        const size = sizes.get(p.log);
        const gz = p.log.endsWith('.gz');
        progress.update(
          p.offset,
          gz ? undefined : size,
          `${path.basename(p.log)} (${p.logIndex + 1}/${p.logCount}): ${p.documents} documents`,
        );
      },
      onResult(r) {
        progress.done();
        reportRunDiagnostics(io, r, show);
        if (options.json || show.quiet) return;
        io.out(resultLine(r, cwd));
        if (options.dryRun && r.plan !== undefined) for (const line of formatPlan(r.plan)) io.out('  ' + line);
      },
    },
  );
  progress.done();
  // Problems of no run's file: the logs' own (unreadable items…), and documents met after their run's file was made.
  showDiagnostics(io, diagnostics, show);
  if (options.json) {
    // Every diagnostic printed on stderr is here: each run's under its run, the others under `diagnostics`.
    const runs = results.map((r) => runResultJson(r, options.dryRun ?? false));
    io.out(JSON.stringify({ runs, diagnostics: [...chosen.diagnostics, ...diagnostics].map(diagnosticJson) }, null, 2));
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  if (!options.json && !show.quiet) {
    const warnings = show.warnings.size === 0 ? '' : `; ${warningCountsText(show.warnings)}`;
    io.err(
      `${results.length - failed} of ${results.length} runs ${options.dryRun ? 'planned' : 'written'}${failed ? `, ${failed} failed` : ''}${warnings}`,
    );
  }
  // A log or folder given that cannot be read at all is an unreadable input (2), reported above as DOC_IO; the others were written.
  if (unreadablePaths(logs).length > 0) return EXIT_USAGE;
  return results.length === 0 || failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/**
 * Below this many bytes of logs, HDF5's WebAssembly runs on V8's baseline compiler only (Liftoff):
 * a short run spends more CPU compiling hot functions again with TurboFan, on a background thread,
 * than it gains from them. Measured whole-process, 1-event write: 0.79× the CPU, 0.72× the wall,
 * 96 vs 118 MB; S1 (60 MB) was a wash (CPU 0.98×), so bigger logs keep V8's default tiering.
 */
export const WASM_BASELINE_ONLY_BELOW_BYTES = 16 * 1024 * 1024;

/** True when every log is a file and together they are below WASM_BASELINE_ONLY_BELOW_BYTES. */
export function wasmBaselineOnly(logs: readonly string[]): boolean {
  let total = 0;
  for (const log of logs) {
    const size = fileSize(log, true);
    if (size === undefined) return false; // a folder of logs: its size is not known here
    total += size;
  }
  return total < WASM_BASELINE_ONLY_BELOW_BYTES;
}

/**
 * The first log's decoding thread, started before anything else loads, when the log gets one
 * thread (see convertLogs): it parses while the templates are read and h5wasm starts. Undefined:
 * the log is read when its turn comes.
 */
export async function startLogThread(
  logs: readonly string[],
  threads: number | undefined,
): Promise<LogThread | undefined> {
  const size = logs.length === 0 ? undefined : fileSize(logs[0], true);
  if (size === undefined || size < DECODE_THREADS_MIN_BYTES || (threads ?? defaultDecodeThreads(size)) !== 1)
    return undefined;
  const { LogThread } = await import('../../documents/log-thread.js');
  return new LogThread(path.resolve(logs[0]));
}

/** How much is printed, and the warnings only counted so far (for the final line). */
interface Shown {
  verbose: boolean;
  /** Errors only. */
  quiet: boolean;
  warnings: Map<string, number>;
}

function reportRunDiagnostics(io: Io, r: RunResult, show: Shown): void {
  const hidden = showDiagnostics(io, r.diagnostics, show);
  if (hidden.size > 0 && !show.quiet) io.err(hiddenWarningsText(r.uid, hidden));
}

/** Prints what is shown of `diagnostics` (one line per run and kind of data problem); returns the warnings only counted, by code. */
function showDiagnostics(io: Io, diagnostics: readonly Diagnostic[], show: Shown): Map<string, number> {
  const { shown, summaries, hiddenByCode } = runDiagnosticsToShow(diagnostics, show.verbose && !show.quiet);
  for (const d of shown) if (!show.quiet || d.severity === 'error') io.err(formatDiagnostic(d));
  for (const s of summaries) if (!show.quiet || s.first.severity === 'error') io.err(summaryText(s));
  addCounts(show.warnings, hiddenByCode);
  return hiddenByCode;
}

/** `fileOnly`: undefined for anything but a regular file. */
function fileSize(p: string, fileOnly = false): number | undefined {
  try {
    const info = fs.statSync(p);
    return fileOnly && !info.isFile() ? undefined : info.size;
  } catch {
    return undefined;
  }
}
