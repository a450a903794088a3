/** `nxlayout import-layout`'s options and help; the import (../commands/import-layout.ts) is loaded only when the command runs. */
import type { Command } from 'commander';
import type { Io } from '../io.js';
import type { ImportLayoutOptions } from '../commands/import-layout.js';

export function registerImportLayout(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('import-layout')
    .description('turn an areaDetector NDFileHDF5 XML layout into a JSON layout template with the same tree')
    .argument('<layout>', 'the NDFileHDF5 XML layout file (hdf5_xml_layout_schema.xsd)')
    .option(
      '-a, --attributes <file>',
      'the NDAttributes XML file: gives each ndattribute source its data type, description, source and units (NAME_EGU)',
    )
    .option('-o, --output <file>', 'write the template to FILE instead of stdout')
    .option('--stream <name>', "the stream whose events carry the detector's readings", 'primary')
    .option('--detector-field <key>', "the data key of the detector's image in that stream", 'image')
    .option(
      '--field-prefix <prefix>',
      'prepended to each NDAttribute name to give its data key (ophyd names readings DETECTOR_NAME, e.g. --field-prefix eiger4M_)',
    )
    .option('--name <name>', 'template name (default: ad-LAYOUT, from the file name)')
    .addHelpText(
      'after',
      [
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
      ].join('\n'),
    )
    .action(async (layout: string, opts: ImportLayoutOptions) => {
      const { importLayoutCommand } = await import('../commands/import-layout.js');
      setExit(await importLayoutCommand(layout, opts, io));
    });
}
