/** `nxlayout import-layout LAYOUT.xml`: an areaDetector NDFileHDF5 layout → a JSON template. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatDiagnostic, NxlError } from '../../errors.js';
import { importLayoutFile } from '../../import/index.js';
import { parseLayout } from '../../layout/index.js';
import { EXIT_FINDINGS, EXIT_OK, type Io } from '../io.js';

interface ImportLayoutOptions {
  attributes?: string;
  output?: string;
  stream?: string;
  detectorField?: string;
  fieldPrefix?: string;
  name?: string;
}

async function importLayoutCommand(layoutPath: string, options: ImportLayoutOptions, io: Io): Promise<number> {
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
      throw new NxlError('IMPORT_XML', `cannot write ${options.output}: ${(e as Error).message}`, { file: options.output }, { hint: 'check the path and its permissions', cause: e });
    }
    io.err(`wrote ${options.output}`);
  }
  return EXIT_OK;
}

export function registerImportLayout(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('import-layout')
    .description('turn an areaDetector NDFileHDF5 XML layout into a JSON layout template with the same tree')
    .argument('<layout>', 'the NDFileHDF5 XML layout file (hdf5_xml_layout_schema.xsd)')
    .option('-a, --attributes <file>', 'the NDAttributes XML file: gives each ndattribute source its data type, description, source and units (NAME_EGU)')
    .option('-o, --output <file>', 'write the template to FILE instead of stdout')
    .option('--stream <name>', 'the stream whose events carry the detector\'s readings', 'primary')
    .option('--detector-field <key>', 'the data key of the detector\'s image in that stream', 'image')
    .option('--field-prefix <prefix>', 'prepended to each NDAttribute name to give its data key (ophyd names readings DETECTOR_NAME, e.g. --field-prefix eiger4M_)')
    .option('--name <name>', 'template name (default: ad-LAYOUT, from the file name)')
    .addHelpText('after', [
      '',
      'Mapping: <group> → group (its NX_class attribute, else NXcollection); <dataset source="detector"> → the',
      'detector field, written as an external link to the detector\'s file; source="ndattribute" → that NDAttribute\'s',
      'event field (whole column; when="OnFileOpen"/"OnFileClose" → first/last reading), optional; source="constant" →',
      'a static value of its type (int, float, string; comma-separated lists become arrays); <attribute> → attribute;',
      '<hardlink> → hard link (soft when it points at the detector data, which lives in another file).',
      'The group with ndattr_default="true" receives every NDAttribute of --attributes not placed elsewhere.',
      '',
      'Exit status: 0 when the template was written, 1 when the layout cannot be turned into a valid template,',
      '2 on bad usage or a file that is not well-formed XML.',
      '',
      'Examples:',
      '  nxlayout import-layout hdf5_layout_nexus.xml -o templates/ad-nexus.json',
      '  nxlayout import-layout layout.xml --attributes attributes.xml --detector-field eiger4M_image --field-prefix eiger4M_',
    ].join('\n'))
    .action(async (layout: string, opts: ImportLayoutOptions) => setExit(await importLayoutCommand(layout, opts, io)));
}
