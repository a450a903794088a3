/**
 * Where NeXus definitions come from: a definitions folder (`--definitions
 * DIR`: base_classes/, applications/, contributed_definitions/ of *.nxdl.xml)
 * or the digest shipped in schemas/nxdl-digest.json. The folder's only fs code.
 */
import { readFileSync, type Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NxlError } from '../errors.js';
import type { NxdlCategory, NxdlDefinition, NxdlDigest } from './models.js';
import { readDefinition } from './nxdl-read.js';
import { parseXml } from '../import/xml.js';

const DIGEST_FORMAT = 'nxlayout-nxdl-digest/1';
const DIGEST_LICENSE = 'derived from the NeXus definitions (LGPL-3.0-or-later); see schemas/NXDL-NOTICE.md';
/** dist/src/validate/ → the package root. */
const SHIPPED_DIGEST = fileURLToPath(new URL('../../../schemas/nxdl-digest.json', import.meta.url));

const FOLDERS: [string, NxdlCategory][] = [
  ['base_classes', 'base'],
  ['applications', 'application'],
  ['contributed_definitions', 'contributed'],
];

async function nxdlFilesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await nxdlFilesUnder(full)));
    else if (e.isFile() && e.name.endsWith('.nxdl.xml')) out.push(full);
  }
  return out;
}

function usage(message: string, dir: string, cause?: unknown): NxlError {
  return new NxlError(
    'NXDL_DEFINITION',
    message,
    { file: dir },
    {
      hint: 'point --definitions at a NeXus definitions checkout (base_classes/, applications/, contributed_definitions/), or leave it out to use the shipped digest',
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/**
 * Every definition under `dir`. A base class wins over a contributed one of
 * the same name (contributed folders sometimes hold drafts of standard classes).
 * Throws NxlError NXDL_DEFINITION when `dir` is not a definitions folder or a file does not parse.
 */
export async function readDefinitionsDir(dir: string): Promise<NxdlDigest> {
  try {
    if (!(await stat(dir)).isDirectory()) throw usage(`${dir} is not a directory`, dir);
  } catch (e) {
    if (e instanceof NxlError) throw e;
    throw usage(`cannot read NeXus definitions folder ${dir}: ${(e as Error).message}`, dir, e);
  }
  const definitions: Record<string, NxdlDefinition> = {};
  for (const [folder, category] of FOLDERS) {
    for (const file of await nxdlFilesUnder(path.join(dir, folder))) {
      let definition: NxdlDefinition;
      try {
        definition = readDefinition(parseXml(await readFile(file, 'utf8')), category);
      } catch (e) {
        throw usage(`cannot read ${file}: ${(e as Error).message}`, file, e);
      }
      if (definitions[definition.type] === undefined) definitions[definition.type] = definition;
    }
  }
  if (Object.keys(definitions).length === 0)
    throw usage(`no *.nxdl.xml under ${dir}/{${FOLDERS.map(([f]) => f).join(',')}}`, dir);
  let version = 'unknown';
  try {
    version = (await readFile(path.join(dir, 'NXDL_VERSION'), 'utf8')).trim();
  } catch {
    // an unversioned checkout is still usable
  }
  return { format: DIGEST_FORMAT, version, license: DIGEST_LICENSE, definitions };
}

let shipped: NxdlDigest | undefined;

/** The digest shipped with nxlayout (read once). */
export function shippedDigest(file = SHIPPED_DIGEST): NxdlDigest {
  if (shipped !== undefined && file === SHIPPED_DIGEST) return shipped;
  let digest: NxdlDigest;
  try {
    digest = expandDigest(JSON.parse(readFileSync(file, 'utf8')) as NxdlDigest);
  } catch (e) {
    throw new NxlError(
      'NXDL_DEFINITION',
      `cannot read the NeXus definitions digest ${file}: ${(e as Error).message}`,
      { file },
      {
        hint: 'rebuild it with `node scripts/build-nxdl-digest.mjs DIR`, or pass --definitions DIR',
        cause: e,
      },
    );
  }
  if (digest.format !== DIGEST_FORMAT) {
    throw new NxlError(
      'NXDL_DEFINITION',
      `${file} is not an nxlayout NXDL digest (format ${String(digest.format)})`,
      { file },
      {
        hint: 'rebuild it with `node scripts/build-nxdl-digest.mjs DIR`',
      },
    );
  }
  if (file === SHIPPED_DIGEST) shipped = digest;
  return digest;
}

type Loose = Record<string, unknown>;

/** The shipped digest leaves out empty lists and `"requirement": "optional"`: put them back. */
function expand(node: Loose, lists: readonly string[]): Loose {
  const out: Loose = { ...node, requirement: node.requirement ?? 'optional' };
  for (const key of lists) out[key] = ((node[key] as Loose[] | undefined) ?? []).map((c) => expandChild(key, c));
  return out;
}

function expandChild(key: string, child: Loose): Loose {
  if (key === 'groups') return expand(child, ['groups', 'fields', 'attributes', 'links']);
  if (key === 'fields') return expand(child, ['attributes']);
  return expand(child, []);
}

function expandDigest(digest: NxdlDigest): NxdlDigest {
  const definitions: Record<string, NxdlDefinition> = {};
  for (const [name, d] of Object.entries(digest.definitions)) {
    definitions[name] = expand(d as unknown as Loose, [
      'groups',
      'fields',
      'attributes',
      'links',
    ]) as unknown as NxdlDefinition;
  }
  return { ...digest, definitions };
}
