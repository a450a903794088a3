#!/usr/bin/env node
// The help texts of `nxlayout --help` and `nxlayout COMMAND --help`, as commander prints them at
// 80 columns, into dist/cli-help.json (run by `npm run build`, after tsc): bin.ts prints them
// without loading the command line (src/cli/help-cache.ts). The file records the size and mtime
// of every module the texts come from (main.js and what it imports statically, and commander),
// so a rebuilt module makes the cache stale rather than wrong.
//   node scripts/build-help.mjs [--out FILE]
import { spawnSync } from 'node:child_process';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const out = i >= 0 ? process.argv[i + 1] : join(repo, 'dist', 'cli-help.json');
const mainJs = join(repo, 'dist', 'src', 'cli', 'main.js');
const helpCacheJs = pathToFileURL(join(repo, 'dist', 'src', 'cli', 'help-cache.js')).href;
const WIDTH = 80;

/** main.js and every module it imports statically, by relative specifier (the help's sources). */
function staticGraph(entry) {
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|^\s*import\s+['"](\.[^'"]+)['"]/gm))
      queue.push(resolve(dirname(file), m[1] ?? m[2]));
  }
  return [...seen].sort();
}

// In a child whose stdout is a pipe: commander wraps at 80 columns there, whatever this terminal is.
const child = `
  const { buildProgram, main } = await import(${JSON.stringify(pathToFileURL(mainJs).href)});
  const { helpKeys } = await import(${JSON.stringify(helpCacheJs)});
  const none = { out() {}, err() {}, interactive: false };
  const commands = buildProgram(none, () => {}).commands.map((c) => c.name()).filter((n) => n !== 'help');
  const texts = {};
  for (const key of [...helpKeys(), ...commands.flatMap((c) => helpKeys(c))]) {
    let stdout = '', stderr = '';
    const io = {
      out: (t) => void (stdout += t.endsWith('\\n') ? t : t + '\\n'),
      err: (t) => void (stderr += t.endsWith('\\n') ? t : t + '\\n'),
      interactive: false,
    };
    const status = await main(key.split(' '), io);
    if (status === 0 && stderr === '' && stdout !== '') texts[key] = stdout;
  }
  process.stdout.write(JSON.stringify({ commands, texts }));`;
const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { cwd: repo, encoding: 'utf8' });
if (r.status !== 0) {
  console.error(`build-help: could not print the help texts (run tsc first):\n${r.stderr}`);
  process.exit(1);
}
const { commands, texts } = JSON.parse(r.stdout);
const missing = ['--help', ...commands.map((c) => `${c} --help`)].filter((k) => texts[k] === undefined);
if (missing.length > 0) {
  console.error(`build-help: no help text for ${missing.join(', ')}`);
  process.exit(1);
}
const sources = {};
const commander = dirname(fileURLToPath(import.meta.resolve('commander')));
for (const file of [...staticGraph(mainJs), ...['package.json', 'lib/help.js', 'lib/command.js'].map((f) => join(commander, f))]) {
  const st = statSync(file);
  sources[file] = [st.size, st.mtimeMs];
}
rmSync(`${out}.tmp`, { force: true });
writeFileSync(`${out}.tmp`, JSON.stringify({ width: WIDTH, sources, texts }));
renameSync(`${out}.tmp`, out);
console.log(
  `build-help: ${Object.keys(texts).length} help texts of ${commands.length} commands, ${Object.keys(sources).length} sources → ${out}`,
);
