#!/usr/bin/env node
// What every start would otherwise compute again, computed once (run by `npm run build`, after
// tsc and build-validators):
//   dist/cli-help.json        the help texts of `nxlayout --help` and `nxlayout COMMAND --help`,
//                             as commander prints them at 80 columns (src/cli/help-cache.ts)
//   dist/templates-cache.json the shipped templates parsed and checked, as `write`/`watch`
//                             without --template(s) choose them (src/cli/templates-cache.ts)
// Each records the modules its data comes from (the static import graph of the module that
// computes it, and the package.json of each dependency it imports) and a digest of their
// contents (src/cli/build-cache.ts): a module changed since makes the cache stale, never wrong.
//   node scripts/build-caches.mjs [--out DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const outDir = i >= 0 ? process.argv[i + 1] : join(repo, 'dist');
const cli = join(repo, 'dist', 'src', 'cli');
const url = (file) => JSON.stringify(pathToFileURL(file).href);
const WIDTH = 80;

/** The `entries` and every module they import statically (relative specifiers), and the package.json of every package they import. */
function sources(entries, extra = []) {
  const seen = new Set();
  const packages = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]/gm)) {
      const spec = m[1];
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:') && !spec.startsWith('#')) {
        const name = spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/');
        packages.add(join(repo, 'node_modules', name, 'package.json'));
      }
    }
  }
  const files = [...seen, ...packages, ...extra.map((f) => join(repo, f))];
  for (const f of files) if (!existsSync(f)) throw new Error(`build-caches: ${f} (a source) does not exist`);
  return files.map((f) => relative(repo, f)).sort();
}

// In a child whose stdout is a pipe (commander wraps at 80 columns there, whatever this terminal
// is). Neither main() nor shippedTemplatesNow() reads a cache: the data is computed, not copied.
const cacheFiles = { help: join(outDir, 'cli-help.json'), templates: join(outDir, 'templates-cache.json') };
const child = `
  const { buildProgram, main } = await import(${url(join(cli, 'main.js'))});
  const { helpKeys } = await import(${url(join(cli, 'help-cache.js'))});
  const { shippedTemplatesNow } = await import(${url(join(cli, 'templates.js'))});
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
  const templates = await shippedTemplatesNow();
  process.stdout.write(JSON.stringify({ commands, texts, templates }));`;
const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], {
  cwd: repo,
  encoding: 'utf8',
  maxBuffer: 64 << 20,
});
if (r.status !== 0) {
  console.error(`build-caches: could not compute the caches (run tsc first):\n${r.stderr}`);
  process.exit(1);
}
const { commands, texts, templates } = JSON.parse(r.stdout);
const missing = ['--help', ...commands.map((c) => `${c} --help`)].filter((k) => texts[k] === undefined);
if (missing.length > 0) {
  console.error(`build-caches: no help text for ${missing.join(', ')}`);
  process.exit(1);
}

const { sourcesDigest } = await import(pathToFileURL(join(cli, 'build-cache.js')).href);
function write(file, entries, extra, data) {
  const list = sources(entries, extra);
  const cache = { sources: list, digest: sourcesDigest(list, repo), data };
  // Renamed into place: a start (or a second build running beside) reads a whole file or the previous one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, file);
  return `${relative(repo, file)} (${list.length} sources)`;
}
const commander = ['package.json', 'lib/help.js', 'lib/command.js', 'lib/option.js', 'lib/argument.js'];
const written = [
  write(
    cacheFiles.help,
    [join(cli, 'main.js')],
    commander.map((f) => `node_modules/commander/${f}`),
    { width: WIDTH, texts },
  ),
  write(
    cacheFiles.templates,
    // templates.js imports the parser (layout/index.js) when it parses: a root of its own.
    [join(cli, 'templates.js'), join(repo, 'dist', 'src', 'layout', 'index.js')],
    ['dist/validators/layout.cjs', 'dist/validators/formats.cjs'],
    templates,
  ),
];
console.log(
  `build-caches: ${Object.keys(texts).length} help texts of ${commands.length} commands, ${templates.chosen.layouts.length + 1} shipped templates → ${written.join(', ')}`,
);
