/** import/: an areaDetector NDFileHDF5 XML layout → a JSON layout template. */
import { readFile } from 'node:fs/promises';
import { NxlError } from '../errors.js';
import { readAdLayout } from './ad-layout.js';
import type { ImportOptions, ImportResult } from './models.js';
import { readNdAttributes } from './nd-attributes.js';
import { layoutToTemplate } from './to-template.js';
import { parseXml } from './xml.js';

export type * from './models.js';
export { parseXml } from './xml.js';
export { readAdLayout } from './ad-layout.js';

/** The template for a layout's text (and, optionally, its NDAttributes file's text). */
export function importLayout(
  layoutXml: string,
  options: ImportOptions & { attributesXml?: string; attributesPath?: string } = {},
): ImportResult {
  const { attributesXml, attributesPath, ...rest } = options;
  const layout = readAdLayout(parseXml(layoutXml, rest.sourcePath), rest.sourcePath);
  const ndAttributes =
    attributesXml === undefined
      ? rest.ndAttributes
      : readNdAttributes(parseXml(attributesXml, attributesPath), attributesPath);
  return layoutToTemplate(layout, { ...rest, ...(ndAttributes === undefined ? {} : { ndAttributes }) });
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new NxlError(
      'IMPORT_XML',
      `cannot read ${file}: ${(e as Error).message}`,
      { file },
      { hint: 'check the path and its permissions', cause: e },
    );
  }
}

/** Reads LAYOUT.xml (and ATTRIBUTES.xml) from disk and imports them. */
export async function importLayoutFile(
  layoutPath: string,
  options: Omit<ImportOptions, 'sourcePath' | 'ndAttributes'> & { attributesPath?: string } = {},
): Promise<ImportResult> {
  const { attributesPath, ...rest } = options;
  const layoutXml = await readText(layoutPath);
  const attributesXml = attributesPath === undefined ? undefined : await readText(attributesPath);
  return importLayout(layoutXml, {
    ...rest,
    sourcePath: layoutPath,
    ...(attributesXml === undefined ? {} : { attributesXml, attributesPath: attributesPath as string }),
  });
}
