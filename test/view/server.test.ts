/** `nxlayout view`'s server over HTTP: what it serves, what it refuses, its headers, SIGTERM. */
import { describe, test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { isNxlError } from '../../src/errors.js';
import { startViewServer, route, CONTENT_SECURITY_POLICY } from '../../src/view/index.js';
import { tempDir } from '../report/helpers.js';
import { startView, writeExamples, type ViewProcess } from './helpers.js';

/** A raw GET (fetch would not let us send another Host, nor a path with '..'). */
function get(
  url: string,
  options: { host?: string; method?: string; path?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: options.path ?? u.pathname + u.search,
        method: options.method ?? 'GET',
        headers: options.host === undefined ? {} : { host: options.host },
        // A connection of its own: node's global agent keeps sockets alive, and one reused after the
        // server exited fails with "socket hang up" where a new one is refused (the SIGTERM test).
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const FILES = ['00001_5c1a7e2d.nxs', '00002_7d0e4b9a.nxs', '00003_9f3b2c1d.nxs'];

describe('nxlayout view: the server', () => {
  const tmp = tempDir('nxl-view-');
  const out = path.join(tmp.dir, 'out');
  let view: ViewProcess;

  before(async () => {
    await writeExamples(out);
    view = await startView(out);
  });
  after(async () => {
    if (view.child.exitCode === null) await view.stop();
    tmp.remove();
  });

  test('a directory: the run list links each file to the viewer; the file list; the bytes of each file', async () => {
    assert.match(view.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(view.url);
    assert.equal(index.status, 200);
    const html = index.body.toString();
    for (const f of FILES) {
      assert.ok(html.includes(`href="/view?file=${f}"`), f);
      assert.ok(html.includes(`href="/files/${f}"`), f);
    }
    assert.ok(html.includes('sample height scan'), 'the report shows the titles');
    const list = JSON.parse((await get(view.url + 'api/files')).body.toString()) as {
      files: { file: string; size: number }[];
    };
    assert.deepEqual(
      list.files.map((f) => f.file),
      FILES,
    );
    for (const f of list.files) {
      const r = await get(view.url + 'files/' + f.file);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/x-hdf5');
      assert.ok(r.body.equals(readFileSync(path.join(out, f.file))), `${f.file}: the bytes served are the file's`);
      assert.equal(r.body.length, f.size);
    }
    const page = await get(view.url + 'view?file=' + FILES[0]);
    assert.match(page.body.toString(), /<script type="module" src="\/assets\/view\.js"><\/script>/);
    const js = await get(view.url + 'assets/view.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.ok(js.body.length > 1_000_000, 'the bundle holds H5Web, React and h5wasm');
  });

  test('every response carries a CSP that keeps the page to this server', async () => {
    for (const p of ['', 'view?file=x.nxs', 'assets/view.js', 'files/' + FILES[0], 'nothing']) {
      const r = await get(view.url + p);
      assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY, p);
    }
    assert.match(CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.match(CONTENT_SECURITY_POLICY, /connect-src 'self'(;|$)/);
    assert.ok(!/https?:|\*/.test(CONTENT_SECURITY_POLICY), 'no other origin is allowed');
  });

  test('refuses what it should not serve: other files, paths out of the folder, other hosts, other methods', async () => {
    const outside = [
      'files/../package.json',
      'files/%2e%2e/%2e%2e/package.json',
      'files/..%2fpackage.json',
      'files/nope.nxs',
      'files/.hidden.nxs',
      'assets/../server.js',
      'assets/other.js',
    ];
    for (const p of outside) assert.equal((await get(view.url, { path: '/' + p })).status, 404, p);
    assert.equal((await get(view.url, { host: 'evil.example:80' })).status, 403, 'a DNS-rebinding host is refused');
    assert.equal((await get(view.url + 'files/' + FILES[0], { host: 'attacker.test' })).status, 403);
    assert.equal((await get(view.url, { method: 'POST' })).status, 405);
    assert.deepEqual(route('/files/a/../b.nxs'), { kind: 'not-found' });
    assert.deepEqual(route('/files/sub/b%20c.nxs'), { kind: 'file', relative: 'sub/b c.nxs' });
  });

  test('a file: its viewer is the start page, the other files of its folder are not served', async () => {
    const server = await startViewServer({ target: path.join(out, FILES[1]) });
    try {
      assert.match(server.startUrl, /\/view\?file=00002_7d0e4b9a\.nxs$/);
      const index = await get(server.url);
      assert.equal(index.status, 302);
      assert.equal(index.headers.location, '/view?file=00002_7d0e4b9a.nxs');
      assert.equal((await get(server.url + 'files/' + FILES[1])).status, 200);
      assert.equal((await get(server.url + 'files/' + FILES[0])).status, 404);
      assert.deepEqual(
        JSON.parse((await get(server.url + 'api/files')).body.toString()).files.map((f: { file: string }) => f.file),
        [FILES[1]],
      );
    } finally {
      await server.close();
    }
  });

  test('a missing target, a taken port, a missing bundle: VIEW_IO with the fix', async () => {
    await assert.rejects(
      startViewServer({ target: path.join(tmp.dir, 'missing') }),
      (e: unknown) => isNxlError(e) && e.code === 'VIEW_IO' && /missing: ENOENT/.test(e.message),
    );
    const port = Number(new URL(view.url).port);
    await assert.rejects(
      startViewServer({ target: out, port }),
      (e: unknown) =>
        isNxlError(e) && e.code === 'VIEW_IO' && /EADDRINUSE/.test(e.message) && /--port/.test(e.hint ?? ''),
    );
    await assert.rejects(
      startViewServer({ target: out, assetsDir: tmp.dir }),
      (e: unknown) => isNxlError(e) && e.code === 'VIEW_IO' && /npm run build/.test(e.hint ?? ''),
    );
  });

  test('SIGTERM and SIGINT close the server and exit 0', async () => {
    const code = await view.stop('SIGTERM');
    assert.equal(code, 0, view.stderr());
    assert.match(view.stderr(), /stopped/);
    await assert.rejects(get(view.url), /ECONNREFUSED/);
    const second = await startView(path.join(out, FILES[0]));
    assert.match(second.url, /\/view\?file=00001_5c1a7e2d\.nxs$/);
    assert.equal((await get(second.url)).status, 200);
    assert.equal(await second.stop('SIGINT'), 0, second.stderr());
    await assert.rejects(get(second.url), /ECONNREFUSED/);
  });
});
