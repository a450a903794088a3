/** `nxlayout import-layout LAYOUT.xml`: an areaDetector NDFileHDF5 layout → a JSON template. */
import { writeFile } from 'node:fs/promises';
import { formatDiagnostic, NxlError } from '../../errors.js';
import { importLayoutFile } from '../../import/index.js';
import { parseLayout } from '../../layout/index.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';

export interface ImportLayoutOptions {
  attributes?: string;
  output?: string;
  stream?: string;
  detectorField?: string;
  fieldPrefix?: string;
  name?: string;
}

export async function importLayoutCommand(layoutPath: string, options: ImportLayoutOptions, io: Io): Promise<number> {
  const { template, diagnostics } = await importLayoutFile(layoutPath, {
    ...(options.attributes === undefined ? {} : { attributesPath: options.attributes }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    ...(options.detectorField === undefined ? {} : { detectorField: options.detectorField }),
    ...(options.fieldPrefix === undefined ? {} : { fieldPrefix: options.fieldPrefix }),
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  const text = JSON.stringify(template, null, 2) + '\n';
  // The template must load as nxlayout reads it: a failure here is a bug of the import.
  const parsed = parseLayout(text, options.output ?? `${layoutPath}.json`);
  const all = [...diagnostics, ...parsed.diagnostics];
  for (const d of all) io.err(formatDiagnostic(d));
  if (all.some((d) => d.severity === 'error')) {
    io.err('no template written: fix the errors above');
    return EXIT_FINDINGS;
  }
  if (options.output === undefined) io.out(text.replace(/\n$/, ''));
  else {
    try {
      await writeFile(options.output, text);
    } catch (e) {
      throw new NxlError(
        'IMPORT_XML',
        `cannot write ${options.output}: ${(e as Error).message}`,
        { file: options.output },
        { hint: 'check the path and its permissions', cause: e },
      );
    }
    io.err(`wrote ${options.output}`);
  }
  return EXIT_OK;
}

/** Its options and help live in ../register/import-layout.ts (loaded without this module's dependencies). */
export { registerImportLayout } from '../register/import-layout.js';
