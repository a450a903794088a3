/**
 * `nxlayout validate TEMPLATE...`: for CI. Schema and semantic checks of each
 * template, its NeXus application definition, and optionally the plan of
 * each run it is for (`--against LOG...`). Exit 0 clean, 1 findings at error
 * level (or warnings with --strict), 2 bad usage.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { formatDiagnostic, isNxlError, NxlError } from '../../errors.js';
import { createDefaultRegistry } from '../../evaluate/index.js';
import { readRuns } from '../../run/index.js';
import type { Run } from '../../run/models.js';
import {
  readDefinitionsDir,
  shippedDigest,
  validateTemplate,
  type Finding,
  type NxdlDigest,
} from '../../validate/index.js';
import { formatFindings, OUTPUT_FORMATS, type OutputFormat } from '../reporters/findings.js';
import { NXLAYOUT_VERSION } from '../../version.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type Io } from '../io.js';

export interface ValidateCommandOptions {
  against?: string[];
  definition?: string[];
  definitions?: string;
  format?: OutputFormat;
  strict?: boolean;
  verbose?: boolean;
}

/** Template files named by the arguments: a file as given, a directory as its *.json files. */
async function templateFiles(args: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(arg);
    } catch (e) {
      throw new NxlError(
        'CLI_USAGE',
        `cannot read template ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        { file: arg },
        { hint: 'check the path' },
      );
    }
    if (!info.isDirectory()) files.push(arg);
    else
      files.push(
        ...(await readdir(arg))
          .filter((n) => n.endsWith('.json'))
          .sort()
          .map((n) => path.join(arg, n)),
      );
  }
  if (files.length === 0)
    throw new NxlError(
      'CLI_USAGE',
      'no template to validate',
      {},
      { hint: 'name template files (templates/*.json) or a folder of them' },
    );
  return files;
}

async function loadRuns(logs: readonly string[], io: Io): Promise<Run[]> {
  const { runs, diagnostics } = await readRuns(logs);
  const unreadable = diagnostics.find((d) => d.code === 'DOC_IO');
  if (unreadable !== undefined)
    throw new NxlError('CLI_USAGE', unreadable.message, unreadable.location, {
      hint: '--against takes document logs or folders of them',
    });
  // problems of the logs themselves are not the template's: shown, not counted
  for (const d of [...diagnostics, ...runs.flatMap((r) => r.diagnostics)]) io.err(formatDiagnostic(d));
  if (runs.length === 0)
    throw new NxlError(
      'CLI_USAGE',
      `no run found in ${logs.join(', ')}`,
      {},
      { hint: 'check the logs with `nxlayout runs LOG`' },
    );
  return runs;
}

function summary(findings: readonly Finding[], templates: number, runs: number): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const against = runs > 0 ? ` against ${runs} run(s)` : '';
  return `${templates} template(s)${against}: ${count('error')} error(s), ${count('warning')} warning(s)`;
}

export async function validateCommand(args: string[], options: ValidateCommandOptions, io: Io): Promise<number> {
  const format = options.format ?? 'text';
  let files: string[];
  let digest: NxdlDigest;
  let runs: Run[] | undefined;
  try {
    if (!OUTPUT_FORMATS.includes(format))
      throw new NxlError(
        'CLI_USAGE',
        `unknown format ${format}`,
        {},
        { hint: `formats: ${OUTPUT_FORMATS.join(', ')}` },
      );
    files = await templateFiles(args);
    digest = options.definitions === undefined ? shippedDigest() : await readDefinitionsDir(options.definitions);
    runs = options.against === undefined ? undefined : await loadRuns(options.against, io);
  } catch (e) {
    if (!isNxlError(e)) throw e;
    io.err(formatDiagnostic(e.toDiagnostic()));
    return EXIT_USAGE;
  }
  const registry = createDefaultRegistry();
  const findings: Finding[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      io.err(
        formatDiagnostic(
          new NxlError('CLI_USAGE', `cannot read template ${file}: ${(e as Error).message}`, { file }).toDiagnostic(),
        ),
      );
      return EXIT_USAGE;
    }
    findings.push(
      ...validateTemplate(text, file, {
        registry,
        digest,
        version: NXLAYOUT_VERSION,
        unknownNames: options.verbose === true,
        ...(options.definition === undefined ? {} : { definitions: options.definition }),
        ...(runs === undefined ? {} : { runs }),
      }),
    );
  }
  for (const line of formatFindings(findings, format)) io.out(line);
  if (format === 'text') io.err(summary(findings, files.length, runs?.length ?? 0));
  const failing = findings.some((f) => f.severity === 'error' || (options.strict === true && f.severity === 'warning'));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

/** Its options and help live in ../register/validate.ts (loaded without this module's dependencies). */
export { registerValidate } from '../register/validate.js';
