/**
 * The core runs in a browser: it is bundled with esbuild (platform browser:
 * `#h5wasm` resolves to h5wasm's browser build through package.json's imports) together with an example run of the repository and
 * the default template, and run in headless Chromium, where it writes the
 * run's NeXus file into h5wasm's in-memory file system and reads it back. The
 * file's bytes are also checked here with h5dump, a second HDF5 implementation.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { REPO } from './core-graph.js';
import { launchChromium } from './core-launch.js';

const RUN = path.join(REPO, 'examples/runs/scan-00001.jsonl');

/** The page's program: everything it needs is in the bundle (the run and the template too). */
const ENTRY = `
import { ConversionSession, CalculationRegistry, createDefaultRegistry, h5wasmOutput, outputBytes, parseLayout, NXLAYOUT_VERSION } from ${JSON.stringify(path.join(REPO, 'dist/src/index.js'))};
import h5wasm from 'h5wasm';
import runText from ${JSON.stringify(RUN)};
import templateText from './default-template.txt';

globalThis.nxlayoutCore = async () => {
  const parsed = parseLayout(templateText, 'templates/default.json');
  if (parsed.layout === undefined) return { error: parsed.diagnostics.map((d) => d.message) };
  const results = [];
  const session = new ConversionSession({ outRoot: '/out', layouts: [parsed.layout], output: h5wasmOutput, registry: createDefaultRegistry() }, { onResult: (r) => results.push(r) });
  for (const line of runText.split('\\n')) {
    if (line.trim() === '') continue;
    const [name, doc] = JSON.parse(line);
    session.push({ name, doc });
  }
  const result = results[0];
  const file = new h5wasm.File(result.file, 'r');
  const value = (p) => { const v = file.get(p).value; return ArrayBuffer.isView(v) || Array.isArray(v) ? Array.from(v, (x) => typeof x === 'bigint' ? Number(x) : x) : typeof v === 'bigint' ? Number(v) : v; };
  const out = {
    version: NXLAYOUT_VERSION,
    userAgent: navigator.userAgent,
    isNode: typeof process !== 'undefined',
    status: result.status, file: result.file, events: result.events, errors: result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    diode: value('/entry/data/diode'),
    sampleZ: value('/entry/data/sample_z'),
    title: value('/entry/title'),
    ringCurrent: value('/entry/instrument/bluesky/streams/baseline/ring_current/value'),
    nxClass: file.get('/entry').attrs.NX_class.value,
  };
  file.close();
  out.bytes = btoa(Array.from(outputBytes(result.file), (b) => String.fromCharCode(b)).join(''));
  return out;
};
`;

interface PageResult {
  error?: string[];
  version: string;
  userAgent: string;
  isNode: boolean;
  status: string;
  file: string;
  events: number;
  errors: string[];
  diode: number[];
  sampleZ: number[];
  title: string;
  ringCurrent: number[];
  nxClass: string;
  bytes: string;
}

/** The readings of `field` in `stream`'s events, from the log itself. */
function readings(stream: string, field: string): unknown[] {
  const lines = readFileSync(RUN, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as [string, Record<string, unknown> & { data: Record<string, unknown> }]);
  const descriptor = lines.find(([name, doc]) => name === 'descriptor' && doc.name === stream)![1].uid;
  return lines
    .filter(([name, doc]) => name === 'event' && doc.descriptor === descriptor)
    .map(([, doc]) => doc.data[field]);
}

test("the core, bundled for a browser, writes an example run into h5wasm's memory file system in headless Chromium", {
  timeout: 240_000,
}, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nxlayout-browser-'));
  const browser = await launchChromium();
  try {
    writeFileSync(path.join(dir, 'entry.mjs'), ENTRY);
    writeFileSync(path.join(dir, 'default-template.txt'), readFileSync(path.join(REPO, 'templates/default.json')));
    const bundle = await build({
      entryPoints: [path.join(dir, 'entry.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      // the run and the template as text (other .json files, ajv's, stay JSON)
      loader: { '.jsonl': 'text', '.txt': 'text' },
      nodePaths: [path.join(REPO, 'node_modules')],
    });
    const code = bundle.outputFiles[0]!.text;
    assert.equal(/from\s*["']node:|require\(["']node:/.test(code), false, 'the bundle asks for no node: module');
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.addScriptTag({ type: 'module', content: code });
    const failed = new Promise<never>((_, reject) => page.on('pageerror', (e) => reject(e)));
    await Promise.race([
      failed,
      page.waitForFunction(
        () => typeof (globalThis as { nxlayoutCore?: unknown }).nxlayoutCore === 'function',
        undefined,
        { timeout: 120_000 },
      ),
    ]);
    const out = (await page.evaluate(() =>
      (globalThis as unknown as { nxlayoutCore: () => Promise<unknown> }).nxlayoutCore(),
    )) as PageResult;
    assert.deepEqual(problems, []);
    assert.equal(out.error, undefined);
    assert.match(out.userAgent, /HeadlessChrome|Chrome/);
    assert.equal(out.isNode, false, 'ran in the browser, not in Node');
    assert.deepEqual(out.errors, []);
    assert.equal(out.status, 'written');
    assert.equal(out.file, '/out/00001_5c1a7e2d.nxs');
    assert.equal(out.events, 13);
    assert.deepEqual(out.diode, readings('primary', 'diode'));
    assert.deepEqual(out.sampleZ, readings('primary', 'sample_z'));
    assert.deepEqual(out.ringCurrent, readings('baseline', 'ring_current'));
    assert.equal(out.title, 'sample height scan');
    assert.equal(out.nxClass, 'NXentry');
    // The same bytes, read by the HDF5 C library's tools.
    const local = path.join(dir, 'browser.nxs');
    writeFileSync(local, Buffer.from(out.bytes, 'base64'));
    const dump = execFileSync('h5dump', ['-d', '/entry/data/diode', '-y', '-w', '0', local], { encoding: 'utf8' });
    const values = /DATA \{\s*([^}]*)\}/
      .exec(dump)![1]!
      .split(',')
      .map((s) => Number(s.trim()));
    assert.deepEqual(values, readings('primary', 'diode'));
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
