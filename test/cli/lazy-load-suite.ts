/**
 * Start-up: `nxlayout --help` (and each command's --help) prints the text the
 * build wrote (dist/cli-help.json) and loads no command line at all; when
 * commander builds the help (here: after --debug, which the cache does not
 * answer) it loads only the options, never a command's implementation (HDF5,
 * ajv, templates, the daemon); a command loads its implementation when it runs. Modules loaded are recorded
 * by a module resolve hook in the child process.
 * `npm test` checks two of the help commands (lazy-load.test.ts); the slow
 * suite the other six, and every command runs its child process on its own
 * (lazy-load.slow.test.ts).
 */
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, REPO, tempDir } from './helpers.js';
import { writeOneEventLog } from './one-event-log.js';

/**
 * Runs the CLI with a hook that appends every resolved module URL to a file, and at exit the
 * CommonJS modules `require` loaded (ajv's runtime compiler would come that way); returns the URLs.
 */
function loadedModules(args: string[]): { status: number | null; urls: string[] } {
  const dir = tempDir('lazy');
  const record = path.join(dir, 'loaded.txt');
  const hooks = path.join(dir, 'hooks.mjs');
  fs.writeFileSync(
    hooks,
    [
      `import { appendFileSync } from 'node:fs';`,
      `export async function resolve(specifier, context, next) {`,
      `  const r = await next(specifier, context);`,
      `  appendFileSync(${JSON.stringify(record)}, r.url + '\\n');`,
      `  return r;`,
      `}`,
    ].join('\n'),
  );
  const register = path.join(dir, 'register.mjs');
  fs.writeFileSync(
    register,
    [
      `import { appendFileSync } from 'node:fs';`,
      `import { createRequire, register } from 'node:module';`,
      `import { pathToFileURL } from 'node:url';`,
      `register(${JSON.stringify(pathToFileURL(hooks).href)});`,
      `const cache = createRequire(import.meta.url).cache;`,
      `process.on('exit', () => appendFileSync(${JSON.stringify(record)}, Object.keys(cache).map((f) => pathToFileURL(f).href + '\\n').join('')));`,
    ].join('\n'),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, BIN, ...args], {
    cwd: REPO,
    env,
    encoding: 'utf8',
  });
  const urls = fs.existsSync(record)
    ? fs
        .readFileSync(record, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
    : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, urls };
}

const HEAVY = [
  /node_modules\/ajv\//,
  /\/(node_modules|dist)\/h5wasm\//,
  /node_modules\/chokidar\//,
  /node_modules\/handlebars\//,
  /node_modules\/prom-client\//,
  /\/dist\/src\/(nexus|evaluate|convert|watch|run|layout\/load|validate\/index|report\/index|import)\b/,
  /\/dist\/src\/cli\/commands\//,
];

function heavyIn(urls: readonly string[]): string[] {
  return urls.filter((u) => HEAVY.some((re) => re.test(u)));
}

/** The help commands checked: `nxlayout --help` and `write --help` in npm test, the others in the slow suite. */
const HELP_ARGS = [
  ['--help'],
  ['write', '--help'],
  ['watch', '--help'],
  ['validate', '--help'],
  ['report', '--help'],
  ['import-layout', '--help'],
  ['runs', '--help'],
  ['inspect', '--help'],
];
const SAMPLE = 2;

/** `sample`: the first two help commands, `write` and a command that runs (npm test); `rest`: the other help commands. */
export function lazyLoadSuite(which: 'sample' | 'rest'): void {
  describe('lazy loading of commands', () => {
    before(() => {
      // The help texts are the build's (dist/cli-help.json): current only after scripts/build-caches.mjs.
      const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-caches.mjs')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    });

    for (const args of which === 'sample' ? HELP_ARGS.slice(0, SAMPLE) : HELP_ARGS.slice(SAMPLE)) {
      test(`nxlayout ${args.join(' ')} prints the build's text and loads no command line`, () => {
        const r = loadedModules(args);
        assert.equal(r.status, 0);
        assert.ok(
          r.urls.some((u) => u.endsWith('/dist/src/cli/help-cache.js')),
          'the hook recorded the modules loaded',
        );
        assert.deepEqual(
          r.urls.filter((u) => /node_modules\/commander\/|\/dist\/src\/cli\/main\.js/.test(u)),
          [],
        );
      });

      test(`nxlayout --debug ${args.join(' ')} (commander's help) loads no command implementation`, () => {
        const r = loadedModules(['--debug', ...args]);
        assert.equal(r.status, 0);
        assert.ok(
          r.urls.some((u) => u.endsWith('/dist/src/cli/main.js')),
          'the hook recorded the modules loaded',
        );
        assert.deepEqual(heavyIn(r.urls), []);
      });
    }

    if (which === 'rest') return;

    test('write with the shipped templates reads them from the build and loads no template parser', () => {
      const dir = tempDir('lazy-write');
      try {
        const log = writeOneEventLog(dir);
        const out = path.join(dir, 'out');
        const r = loadedModules(['write', log, '--out', out, '-q']);
        assert.equal(r.status, 0);
        assert.ok(
          r.urls.some((u) => u.endsWith('/dist/src/cli/templates-cache.js')),
          r.urls.join('\n'),
        );
        assert.deepEqual(
          r.urls.filter((u) => /node_modules\/jsonc-parser\/|\/dist\/src\/layout\/(parse|load|schema)\.js$/.test(u)),
          [],
        );
        // The documents are validated by the validators generated at build time (CommonJS, loaded by require):
        // ajv itself is not loaded at all.
        assert.ok(
          r.urls.some((u) => u.endsWith('/dist/validators/event-model.cjs')),
          'the precompiled validators were loaded (recorded from require.cache)',
        );
        assert.deepEqual(
          r.urls.filter((u) => /node_modules\/ajv\//.test(u)),
          [],
        );
        const files = fs.readdirSync(out, { recursive: true }).map(String);
        assert.equal(files.filter((f) => f.endsWith('.nxs')).length, 1, files.join(', '));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a command loads its implementation when it runs', () => {
      const r = loadedModules(['inspect', path.join(REPO, 'no-such-file.nxs')]);
      assert.notEqual(r.status, 0);
      assert.ok(
        r.urls.some((u) => u.endsWith('/dist/src/cli/commands/inspect.js')),
        r.urls.join('\n'),
      );
      assert.ok(
        r.urls.some((u) => /\/(node_modules|dist)\/h5wasm\/hdf5_hl\.js$/.test(u)),
        'inspect loads h5wasm',
      );
    });
  });
}
