/**
 * databroker's `root_map`: a resource's `root` as it was at the beamline,
 * mapped to where the files are now. databroker-pack writes it into the
 * `catalog.yml` beside the packed documents (`root_map: {ROOT: external_files/ROOT}`,
 * relative to that file): it is looked for in the log's folder and the two
 * above it, read once per folder.
 */
import { dirname, isAbsolute, join, resolve } from '../paths.js';
import { fileHost } from './file-host.js';

const cache = new Map<string, ReadonlyMap<string, string>>();

/** The `root_map` entries of a catalog.yml (only that mapping is read: `key: value` lines indented under it). */
export function parseRootMap(yaml: string, baseDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = yaml.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)root_map:\s*$/.exec(lines[i] ?? '');
    if (head === null) continue;
    const indent = (head[1] ?? '').length;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] ?? '';
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const entry = /^(\s*)(['"]?)([^'":]+)\2:\s*(['"]?)(.*?)\4\s*$/.exec(line);
      if (entry === null || (entry[1] ?? '').length <= indent) break;
      const to = entry[5] ?? '';
      out.set(entry[3] ?? '', isAbsolute(to) ? to : resolve(baseDir, to));
    }
  }
  return out;
}

function catalogRootMap(dir: string): ReadonlyMap<string, string> {
  let found = cache.get(dir);
  if (found !== undefined) return found;
  found = new Map();
  for (let d = dir, up = 0; up < 3; up++, d = dirname(d)) {
    const file = join(d, 'catalog.yml');
    const text = fileHost().readText(file);
    if (text !== undefined) {
      found = parseRootMap(text, d);
      break;
    }
    if (dirname(d) === d) break;
  }
  cache.set(dir, found);
  return found;
}

/** `root` as the root_map beside `log` maps it, or unchanged. */
export function mapRoot(root: string, log: string | undefined): string {
  if (log === undefined || root === '') return root;
  return catalogRootMap(dirname(resolve(log))).get(root.replace(/\/+$/, '')) ?? root;
}
