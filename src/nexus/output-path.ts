/**
 * Where an output file may go: a relative path that stays inside the output root,
 * also after resolving the symlinks of directories that already exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../errors.js';

const HINT =
  'the template\'s `file` must render to a relative path inside the output root: check the run values it uses (a sample name with "/" or ".."?) or pass them through {{safe …}}';

function pathEscape(relative: string, root: string, why: string): NxlError {
  return new NxlError(
    'NEXUS_PATH_ESCAPE',
    `output path ${JSON.stringify(relative)} ${why} (output root ${root})`,
    { file: relative },
    { hint: HINT },
  );
}

/** True when `candidate` is `root` or under it (both resolved): only a `..` path segment leaves. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  // `.._etc` (a name made safe from `../etc`) is inside: only a `..` segment leaves.
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/** The deepest part of `p` that exists (the root at worst). */
function deepestExisting(p: string, root: string): string {
  let at = p;
  while (at !== root && !fs.existsSync(at)) at = path.dirname(at);
  return at;
}

/**
 * The absolute path of `relative` under `root`, or NEXUS_PATH_ESCAPE when it would land elsewhere.
 * `rootMayBeMissing` (planning only): a root that does not exist yet holds no symlinks, so the
 * lexical checks are the whole answer.
 */
export function resolveOutputPath(
  root: string,
  relative: string,
  options: { rootMayBeMissing?: boolean } = {},
): string {
  const absRoot = path.resolve(root);
  if (relative.includes('\0')) throw pathEscape(relative, absRoot, 'contains a NUL byte');
  if (relative.trim() === '') throw pathEscape(relative, absRoot, 'is empty');
  if (path.isAbsolute(relative) || /^[A-Za-z]:[\\/]/.test(relative)) throw pathEscape(relative, absRoot, 'is absolute');
  const target = path.resolve(absRoot, relative);
  if (target === absRoot || !isInside(absRoot, target)) throw pathEscape(relative, absRoot, 'leaves the output root');
  if (options.rootMayBeMissing === true && !fs.existsSync(absRoot)) return target;
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(absRoot);
  } catch (e) {
    throw new NxlError(
      'NEXUS_WRITE',
      `output root ${absRoot} does not exist`,
      { file: absRoot },
      { hint: 'create the output root or point the configuration at an existing directory', cause: e },
    );
  }
  // Existing directories (and an existing final file) may be symlinks: they must resolve inside the root too.
  const existing = deepestExisting(target, absRoot);
  if (!isInside(realRoot, fs.realpathSync(existing)))
    throw pathEscape(
      relative,
      absRoot,
      `goes through a symbolic link (${path.relative(absRoot, existing)}) that points outside the output root`,
    );
  if (existing !== target && isSymlink(target)) throw pathEscape(relative, absRoot, 'is a dangling symbolic link');
  return target;
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
