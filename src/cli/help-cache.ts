/**
 * `nxlayout --help` and `nxlayout COMMAND --help` without building the command line: the texts
 * commander prints at 80 columns (what a pipe or an 80-column terminal gets), written at build time
 * by scripts/build-help.mjs to dist/cli-help.json. bin.ts prints the text and loads nothing else
 * (no commander, no option module: ~0.05 s less per help). The file records the size and mtime of
 * every module the texts come from; when one differs (a `tsc` after the build) or the terminal is
 * not 80 columns wide, the help is built by commander as before.
 */
import * as fs from 'node:fs';

/** dist/cli-help.json, from dist/src/cli/. */
export const HELP_CACHE = new URL('../../cli-help.json', import.meta.url);

export interface HelpCache {
  /** The column width the texts were wrapped at. */
  width: number;
  /** Path (absolute) → [size, mtimeMs] of each module the texts depend on. */
  sources: Record<string, [number, number]>;
  /** argv joined by a space (`--help`, `write -h`, `help write`…) → what stdout gets. */
  texts: Record<string, string>;
}

/** The argv a help text answers: `--help`, `-h`, `help`, and the same for each command. */
export function helpKeys(command?: string): string[] {
  return command === undefined ? ['--help', '-h', 'help'] : [`${command} --help`, `${command} -h`, `help ${command}`];
}

function fresh(sources: HelpCache['sources']): boolean {
  for (const [file, [size, mtimeMs]] of Object.entries(sources)) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st === undefined || st.size !== size || st.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/**
 * The help text of `argv` from the cache, when it has one, it is current and stdout is `width`
 * columns wide (or not a terminal); else undefined (commander builds it).
 */
export function cachedHelp(
  argv: readonly string[],
  stdout: { isTTY?: boolean; columns?: number },
  file: URL | string = HELP_CACHE,
): string | undefined {
  if (argv.length === 0 || argv.length > 2) return undefined;
  let cache: HelpCache;
  try {
    cache = JSON.parse(fs.readFileSync(file, 'utf8')) as HelpCache;
  } catch {
    return undefined; // no cache (not built): commander
  }
  const text = cache.texts?.[argv.join(' ')];
  if (typeof text !== 'string') return undefined;
  if (stdout.isTTY === true && stdout.columns !== cache.width) return undefined;
  return fresh(cache.sources) ? text : undefined;
}
