import { describe, test, beforeEach, afterEach } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NxlError } from '../../src/errors.js';
import { openOutput, removeStaleTemps, resolveOutputPath } from '../../src/nexus/index.js';
import { dumpAttribute, removeDir, tempDir } from './helpers.js';

function isEscape(relative: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof NxlError, `expected an NxlError, got ${String(e)}`);
    assert.equal(e.code, 'NEXUS_PATH_ESCAPE');
    assert.ok(e.message.includes(JSON.stringify(relative)), e.message);
    assert.match(e.hint ?? '', /inside the output root/);
    return true;
  };
}

describe('resolveOutputPath', () => {
  let dir: string;
  let root: string;
  beforeEach(() => {
    dir = tempDir();
    root = path.join(dir, 'root');
    fs.mkdirSync(path.join(root, 'user'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'outside'));
    fs.symlinkSync(path.join(dir, 'outside'), path.join(root, 'user', 'escape'));
    fs.symlinkSync(path.join(root, 'user'), path.join(root, 'alias'));
  });
  afterEach(() => removeDir(dir));

  test('a relative path inside the root resolves under it (even through `..` that stays inside)', () => {
    assert.equal(resolveOutputPath(root, 'user/12_a.h5'), path.join(root, 'user', '12_a.h5'));
    assert.equal(resolveOutputPath(root, 'user/x/../12.h5'), path.join(root, 'user', '12.h5'));
    assert.equal(resolveOutputPath(root, 'new/dir/12.h5'), path.join(root, 'new', 'dir', '12.h5'));
    assert.equal(resolveOutputPath(root, 'alias/12.h5'), path.join(root, 'alias', '12.h5'));
  });

  for (const bad of [
    '/etc/passwd',
    '../x.h5',
    'a/../../x.h5',
    'user/../../outside/x.h5',
    '..',
    '.',
    '',
    'a\0b.h5',
    'user/escape/x.h5',
    'user/escape/deeper/x.h5',
  ]) {
    test(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => resolveOutputPath(root, bad), isEscape(bad)));
  }

  test('the symlink message names the link', () => {
    assert.throws(
      () => resolveOutputPath(root, 'user/escape/x.h5'),
      /symbolic link \(user\/escape\) that points outside/,
    );
  });
});

describe('openOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  test('writes a temp file in the final directory, then commit renames it into place', () => {
    const out = openOutput(dir, 'a/b/scan.h5');
    assert.equal(out.path, path.join(dir, 'a', 'b', 'scan.h5'));
    assert.equal(path.dirname(out.tempPath), path.join(dir, 'a', 'b'));
    assert.match(path.basename(out.tempPath), new RegExp(`^\\.scan\\.h5\\.nxlayout-tmp-${process.pid}-[0-9a-f]{8}$`));
    out.sink.setAttributes('/', [{ name: 'NX_class', dtype: 'string', shape: [], data: ['NXroot'] }]);
    assert.ok(fs.existsSync(out.tempPath));
    assert.ok(!fs.existsSync(out.path));
    out.commit();
    assert.ok(!fs.existsSync(out.tempPath));
    assert.deepEqual(dumpAttribute(out.path, '/NX_class'), ['NXroot']);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'a', 'b')), ['scan.h5']);
  });

  test('an existing file is left untouched without overwrite (same bytes, same mtime)', () => {
    const target = path.join(dir, 'scan.h5');
    fs.writeFileSync(target, 'precious');
    const past = new Date('2020-01-02T03:04:05Z');
    fs.utimesSync(target, past, past);
    const before = fs.statSync(target);
    assert.throws(
      () => openOutput(dir, 'scan.h5'),
      (e: unknown) =>
        e instanceof NxlError &&
        e.code === 'NEXUS_EXISTS' &&
        e.location.file === target &&
        /--overwrite/.test(e.hint ?? ''),
    );
    assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
    assert.equal(fs.statSync(target).mtimeMs, before.mtimeMs);
    assert.deepEqual(fs.readdirSync(dir), ['scan.h5']);
  });

  test('a file that appears while writing is not replaced without overwrite', () => {
    const out = openOutput(dir, 'scan.h5');
    fs.writeFileSync(out.path, 'racer');
    assert.throws(
      () => out.commit(),
      (e: unknown) => e instanceof NxlError && e.code === 'NEXUS_EXISTS',
    );
    assert.equal(fs.readFileSync(out.path, 'utf8'), 'racer');
    assert.ok(!fs.existsSync(out.tempPath));
  });

  test('overwrite replaces an existing file', () => {
    fs.writeFileSync(path.join(dir, 'scan.h5'), 'old');
    const out = openOutput(dir, 'scan.h5', { overwrite: true });
    out.sink.setAttributes('/', [{ name: 'NX_class', dtype: 'string', shape: [], data: ['NXroot'] }]);
    out.commit();
    assert.deepEqual(dumpAttribute(out.path, '/NX_class'), ['NXroot']);
  });

  test('abort removes the temp file and leaves nothing at the final path', () => {
    const out = openOutput(dir, 'sub/scan.h5');
    out.sink.createGroup('/entry', [{ name: 'NX_class', dtype: 'string', shape: [], data: ['NXentry'] }]);
    out.abort();
    assert.ok(!fs.existsSync(out.tempPath));
    assert.ok(!fs.existsSync(out.path));
    assert.deepEqual(fs.readdirSync(path.join(dir, 'sub')), []);
    out.abort();
  });

  test('refuses paths out of the root before creating anything', () => {
    assert.throws(() => openOutput(path.join(dir, 'root'), '../x.h5'), isEscape('../x.h5'));
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});

describe('removeStaleTemps', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => removeDir(dir));

  test("removes temp files of dead writers (recursively), keeps live writers' and everything else", () => {
    fs.mkdirSync(path.join(dir, 'user'));
    const dead = path.join(dir, 'user', '.scan.h5.nxlayout-tmp-999999999-0a1b2c3d');
    const orphan = path.join(dir, `.old.h5.nxlayout-tmp-${process.pid}-deadbeef`);
    const keep = [path.join(dir, 'scan.h5'), path.join(dir, '.hidden'), path.join(dir, 'user', 'x.nxlayout-tmp-1-00')];
    // Opened first: opening an output also cleans its directory of stale temps (output-resources.test).
    const live = openOutput(dir, 'live.h5');
    for (const p of [dead, orphan, ...keep]) fs.writeFileSync(p, '');
    try {
      const removed = removeStaleTemps(dir).sort();
      assert.deepEqual(removed, [orphan, dead].sort());
      for (const p of keep) assert.ok(fs.existsSync(p), p);
      assert.ok(fs.existsSync(live.tempPath));
    } finally {
      live.abort();
    }
    assert.deepEqual(removeStaleTemps(path.join(dir, 'missing')), []);
  });
});
