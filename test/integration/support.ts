/** Shared by the integration tests that write with hand-made templates: templates from text, files under a root. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunResult } from '../../src/convert/index.js';
import { parseLayout } from '../../src/layout/index.js';
import type { Layout } from '../../src/layout/models.js';
import { FIXTURES } from './paths.js';

export function layoutFrom(text: string, name: string): Layout {
  const { layout, diagnostics } = parseLayout(text, name);
  assert.ok(layout, `template ${name} parses: ${JSON.stringify(diagnostics.filter((d) => d.severity === 'error'))}`);
  return layout;
}

export const EVERY_CONSTRUCT = path.join(FIXTURES, 'every-construct.json');
export const everyConstructLayout = (): Layout => layoutFrom(fs.readFileSync(EVERY_CONSTRUCT, 'utf8'), EVERY_CONSTRUCT);

/** Every file under `root` (recursive, symlinks not followed). */
export function listFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((p) => !fs.lstatSync(path.join(root, p)).isDirectory())
    .sort();
}

export const temps = (root: string): string[] => listFiles(root).filter((p) => p.includes('nxlayout-tmp'));
export const errorCodes = (r: RunResult): string[] =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
