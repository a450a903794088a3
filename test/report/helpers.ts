/** Shared by the report, import and xpcs tests: runs → logs → files through the real pipeline. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertLogs, type RunResult } from '../../src/convert/index.js';
import type { Layout } from '../../src/layout/models.js';
import type { RunBuilder } from '../../src/run/testing.js';

/** The repository root, from dist/test/<folder>/. */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The builder's documents as a jsonl log (`[name, doc]` per line). */
export function writeLog(builder: RunBuilder, file: string): string {
  writeFileSync(
    file,
    builder
      .documents()
      .map((d) => JSON.stringify([d.name, d.doc]))
      .join('\n') + '\n',
  );
  return file;
}

/** Converts the logs with `layout` into `outRoot` (created, as `nxlayout write` does). */
export async function writeRuns(logs: string[], outRoot: string, layout: Layout): Promise<RunResult[]> {
  mkdirSync(outRoot, { recursive: true });
  const { results } = await convertLogs(logs, { outRoot, layouts: [layout] });
  return results;
}
