/**
 * `npm run build` (scripts/build.mjs) in a fresh copy of the repository (its files as git sees them,
 * node_modules linked): the first build makes everything, a second one nothing, and a changed input
 * rebuilds what depends on it — a schema edited regenerates the validators (current for the new schema)
 * and the caches, a stylesheet edited the view bundle, a compiled module removed from dist/ is compiled
 * again. Slow suite: the fresh copy's full tsc is ~20 s of CPU.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const STEPS = ['build-h5wasm', 'precompiled validators', 'build-caches', 'bundle-view'];

/** Every file under `dir` (relative) → its mtime in ms. */
function mtimes(dir: string, base = dir, into = new Map<string, number>()): Map<string, number> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) mtimes(p, base, into);
    else into.set(path.relative(base, p), fs.statSync(p).mtimeMs);
  }
  return into;
}

describe('the incremental build', () => {
  let copy: string;
  const build = () => {
    const r = spawnSync(process.execPath, [path.join(copy, 'scripts/build.mjs')], { cwd: copy, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout + r.stderr;
  };
  /** The steps whose line in `out` says they did their work (not "(up to date)"). */
  const ran = (out: string) =>
    STEPS.filter((step) => {
      const line = out.split('\n').find((l) => l.startsWith(`${step}:`));
      assert.ok(line !== undefined, `${step} printed nothing:\n${out}`);
      return !line.endsWith('(up to date)');
    });

  before(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-build-'));
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: REPO,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f !== '' && f !== 'node_modules' && fs.existsSync(path.join(REPO, f)));
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
      fs.copyFileSync(path.join(REPO, f), path.join(copy, f));
    }
    fs.symlinkSync(fs.realpathSync(path.join(REPO, 'node_modules')), path.join(copy, 'node_modules'));
  });
  after(() => fs.rmSync(copy, { recursive: true, force: true }));

  test('a fresh copy builds everything; a second build changes no file', () => {
    assert.equal(fs.existsSync(path.join(copy, 'dist')), false);
    assert.deepEqual(ran(build()), STEPS);
    for (const f of ['src/cli/bin.js', 'test/build/stamp.test.js', 'h5wasm/hdf5_util.wasm', 'validators/layout.cjs'])
      assert.ok(fs.existsSync(path.join(copy, 'dist', f)), f);
    assert.ok(fs.existsSync(path.join(copy, 'dist/src/view/assets/view.js')));
    const before = mtimes(path.join(copy, 'dist'));
    assert.deepEqual(ran(build()), []);
    assert.deepEqual(mtimes(path.join(copy, 'dist')), before);
  });

  test('a schema changed: the validators and caches are rebuilt and current, the rest is not', async () => {
    const schemaFile = path.join(copy, 'schemas/layout.schema.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(schemaFile, JSON.stringify({ ...schema, $comment: 'changed by incremental.slow.test' }, null, 2));
    const h5wasmBefore = fs.statSync(path.join(copy, 'dist/h5wasm/hdf5_util.wasm')).mtimeMs;
    assert.deepEqual(ran(build()), ['precompiled validators', 'build-caches']);
    assert.equal(fs.statSync(path.join(copy, 'dist/h5wasm/hdf5_util.wasm')).mtimeMs, h5wasmBefore);

    // The copy's generated validators are the ones its run-time loader accepts for the changed schema.
    const dist = path.join(copy, 'dist/src');
    const { sourceHash } = (await import(pathToFileURL(path.join(dist, 'documents/precompiled-node.js')).href)) as {
      sourceHash: (v: unknown) => string;
    };
    const layout = (await import(pathToFileURL(path.join(dist, 'layout/schema.js')).href)) as {
      layoutValidatorsSource: () => unknown;
    };
    assert.match(JSON.stringify(layout.layoutValidatorsSource()), /changed by incremental\.slow\.test/);
    const generated = createRequire(import.meta.url)(path.join(copy, 'dist/validators/layout.cjs')) as {
      sourceHash: string;
    };
    assert.equal(generated.sourceHash, sourceHash(layout.layoutValidatorsSource()));
    assert.deepEqual(ran(build()), []);
  });

  test('a stylesheet changed: the view bundle is rebuilt with it', () => {
    fs.appendFileSync(path.join(copy, 'src/view/page/page.css'), '\n.nxl-incremental-test { color: red; }\n');
    assert.deepEqual(ran(build()), ['bundle-view']);
    assert.match(fs.readFileSync(path.join(copy, 'dist/src/view/assets/view.css'), 'utf8'), /nxl-incremental-test/);
  });

  test('a compiled module removed from dist/ is compiled again', () => {
    fs.rmSync(path.join(copy, 'dist/src/paths.js'));
    const out = build();
    assert.match(out, /build-tsc: src\/paths\.ts has no output in dist\/ \(1 in all\): compiling everything/);
    assert.ok(fs.existsSync(path.join(copy, 'dist/src/paths.js')));
    assert.deepEqual(ran(build()), []);
  });
});
