/**
 * `nxlayout --help` and `nxlayout COMMAND --help` without building the command line: the texts
 * commander prints at 80 columns (what a pipe or an 80-column terminal gets), computed at build
 * time by scripts/build-caches.mjs into dist/cli-help.json (see build-cache.ts). bin.ts prints the
 * text and loads no other module (no commander, no option module). When a source module changed
 * since the build, the terminal is not 80 columns wide or the argv is another, commander builds
 * the help as before.
 */
import { PACKAGE_ROOT, readBuildCache } from './build-cache.js';

/** dist/cli-help.json. */
export const HELP_CACHE = `${PACKAGE_ROOT}dist/cli-help.json`;

export interface HelpTexts {
  /** The column width the texts were wrapped at. */
  width: number;
  /** argv joined by a space (`--help`, `write -h`, `help write`…) → what stdout gets. */
  texts: Record<string, string>;
}

/** The argv a help text answers: `--help`, `-h`, `help`, and the same for each command. */
export function helpKeys(command?: string): string[] {
  return command === undefined ? ['--help', '-h', 'help'] : [`${command} --help`, `${command} -h`, `help ${command}`];
}

/**
 * The help text of `argv` from the cache, when it has one, it is current and stdout is `width`
 * columns wide (or not a terminal); else undefined (commander builds it).
 */
export function cachedHelp(
  argv: readonly string[],
  stdout: { isTTY?: boolean; columns?: number },
  file = HELP_CACHE,
  root = PACKAGE_ROOT,
): string | undefined {
  if (argv.length === 0 || argv.length > 2) return undefined;
  const cache = readBuildCache<HelpTexts>(file, root);
  const text = cache?.texts?.[argv.join(' ')];
  if (typeof text !== 'string') return undefined;
  return stdout.isTTY === true && stdout.columns !== cache!.width ? undefined : text;
}
