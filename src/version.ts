/** nxlayout's own version, read once from package.json (the single source of truth). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

export const NXLAYOUT_VERSION: string = readVersion();
