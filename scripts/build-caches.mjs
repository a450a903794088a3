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
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importClosure, inputsDigest, stampSummary, upToDate, writeStamp } from './build-stamp.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--out');
const outDir = i >= 0 ? process.argv[i + 1] : join(repo, 'dist');
const cli = join(repo, 'dist', 'src', 'cli');
const url = (file) => JSON.stringify(pathToFileURL(file).href);
const WIDTH = 80;

/** The `entries` and every module they import statically (relative specifiers), the package.json of every package they import, and `extra`. */
const sources = (entries, extra = []) => [...new Set([...importClosure(entries), ...extra])].sort();

const commander = ['package.json', 'lib/help.js', 'lib/command.js', 'lib/option.js', 'lib/argument.js'];
const helpSources = sources(
  [join(cli, 'main.js')],
  commander.map((f) => `node_modules/commander/${f}`),
);
// templates.js imports the parser (layout/index.js) when it parses: a root of its own.
const templatesSources = sources(
  [join(cli, 'templates.js'), join(repo, 'dist', 'src', 'layout', 'index.js')],
  ['dist/validators/layout.cjs', 'dist/validators/formats.cjs'],
);
// Skipped when those sources, the shipped templates, this script and the two caches are unchanged since
// it last ran (scripts/build-stamp.mjs); else the child below computes the caches again (~0.7 s of CPU).
const templateFiles = readdirSync(join(repo, 'templates'), { withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.json'))
  .map((e) => `templates/${e.name}`);
const stampInputs = [
  ...helpSources,
  ...templatesSources,
  ...templateFiles,
  'dist/src/cli/build-cache.js',
  relative(repo, fileURLToPath(import.meta.url)),
];
const stamped = i < 0;
if (stamped && upToDate('build-caches', { inputs: stampInputs })) {
  console.log(`${stampSummary('build-caches')} (up to date)`);
  process.exit(0);
}
const digest = inputsDigest(stampInputs);

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
function write(file, list, data) {
  const cache = { sources: list, digest: sourcesDigest(list, repo), data };
  // Renamed into place: a start (or a second build running beside) reads a whole file or the previous one.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(cache));
  renameSync(tmp, file);
  return `${relative(repo, file)} (${list.length} sources)`;
}
const written = [
  write(cacheFiles.help, helpSources, { width: WIDTH, texts }),
  write(cacheFiles.templates, templatesSources, templates),
];
const summary = `build-caches: ${Object.keys(texts).length} help texts of ${commands.length} commands, ${templates.chosen.layouts.length + 1} shipped templates → ${written.join(', ')}`;
if (stamped)
  writeStamp(
    'build-caches',
    stampInputs,
    Object.values(cacheFiles).map((f) => relative(repo, f)),
    { summary, digest },
  );
console.log(summary);
