/**
 * scripts/build-stamp.mjs: when a step of `npm run build` may skip its work. The whole build, run twice in a
 * fresh copy of the repository and after a schema changed, is build/incremental.slow.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

interface Options {
  dist?: string;
  root?: string;
}
interface StampModule {
  upToDate(step: string, options?: Options & { inputs?: string[] }): boolean;
  writeStamp(step: string, inputs: string[], outputs: string[], options?: Options & { summary?: string }): void;
  stampSummary(step: string, options?: Options): string | undefined;
  importClosure(entries: string[], root?: string): string[];
}

describe('build stamps', () => {
  let stamp: StampModule;
  let root: string;
  let options: Options;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  before(async () => {
    stamp = (await import(pathToFileURL(path.join(REPO, 'scripts/build-stamp.mjs')).href)) as StampModule;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'nxl-stamp-'));
    options = { root, dist: path.join(root, 'dist') };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a step is up to date while its inputs and outputs hold the recorded contents, whatever their mtimes', () => {
    write('schema.json', '{"a": 1}');
    write('dist/out.js', 'export const a = 1;');
    assert.equal(stamp.upToDate('step', options), false, 'no stamp: never built');
    stamp.writeStamp('step', ['schema.json'], ['dist/out.js'], { ...options, summary: 'step: out.js' });
    assert.equal(stamp.upToDate('step', options), true);
    assert.equal(stamp.upToDate('step', { ...options, inputs: ['schema.json'] }), true);
    assert.equal(stamp.stampSummary('step', options), 'step: out.js');

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'schema.json'), later, later);
    assert.equal(stamp.upToDate('step', options), true, 'touched, same contents');

    write('schema.json', '{"a": 2}');
    assert.equal(stamp.upToDate('step', options), false, 'an input changed');
    write('schema.json', '{"a": 1}');
    assert.equal(stamp.upToDate('step', options), true, 'changed back');

    write('dist/out.js', 'export const a = 2;');
    assert.equal(stamp.upToDate('step', options), false, 'an output changed by hand');
    write('dist/out.js', 'export const a = 1;');
    fs.rmSync(path.join(root, 'dist/out.js'));
    assert.equal(stamp.upToDate('step', options), false, 'an output removed');
    write('dist/out.js', 'export const a = 1;');
    fs.rmSync(path.join(root, 'schema.json'));
    assert.equal(stamp.upToDate('step', options), false, 'an input removed');
    write('schema.json', '{"a": 1}');

    write('extra.json', '{}');
    assert.equal(
      stamp.upToDate('step', { ...options, inputs: ['schema.json', 'extra.json'] }),
      false,
      'the step reads another file now',
    );
    assert.equal(stamp.upToDate('step', options), true);
    assert.equal(stamp.upToDate('step', { ...options, root: path.join(root, 'dist') }), false, 'another root');
  });

  test('this module is an input of every step: changing how steps are skipped rebuilds them', () => {
    write('in.txt', 'x');
    write('dist/out.txt', 'y');
    stamp.writeStamp('self', ['in.txt'], ['dist/out.txt'], options);
    const recorded = JSON.parse(fs.readFileSync(path.join(root, 'dist/.build-stamps/self.json'), 'utf8')) as {
      inputs: string[];
    };
    assert.deepEqual(
      [...recorded.inputs].sort(),
      [path.relative(root, path.join(REPO, 'scripts/build-stamp.mjs')), 'in.txt'].sort(),
    );
  });

  test('importClosure: the static imports of the entries, transitively, and the package.json of each package', () => {
    write('node_modules/pkg/package.json', '{"name": "pkg", "version": "1.0.0"}');
    write('node_modules/@s/p/package.json', '{"name": "@s/p", "version": "2.0.0"}');
    write(
      'lib/a.js',
      "import { b } from './b.js';\nimport x from 'pkg/sub/x.js';\nimport 'node:fs';\nexport const a = b;\n",
    );
    write('lib/b.js', "export { c as b } from './c/c.js';\nimport '#internal';\n");
    write('lib/c/c.js', "import * as p from '@s/p';\nexport const c = 1;\nconst later = () => import('./never.js');\n");
    assert.deepEqual(stamp.importClosure([path.join(root, 'lib/a.js')], root), [
      'lib/a.js',
      'lib/b.js',
      'lib/c/c.js',
      'node_modules/@s/p/package.json',
      'node_modules/pkg/package.json',
    ]);
    write('lib/d.js', "import './gone.js';\n");
    assert.throws(
      () => stamp.importClosure([path.join(root, 'lib/d.js')], root),
      /gone\.js \(an input, imported by lib\/d\.js\) does not exist/,
    );
  });
});
