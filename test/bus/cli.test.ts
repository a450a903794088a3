/** publish/serve on the command line: bad usage exits 2 with a located reason and a hint. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { redisOptions } from '../../src/bus/index.js';
import { nxlayoutIn } from '../cli/helpers.js';
import { REPO } from './helpers.js';

test('--redis URLs: redis://, rediss://, unix://; anything else is bad usage', () => {
  assert.deepEqual(redisOptions('redis://127.0.0.1:6390/2'), { host: '127.0.0.1', port: 6390, db: 2 });
  assert.deepEqual(redisOptions('redis://u:p%40ss@bus'), { host: 'bus', port: 6379, username: 'u', password: 'p@ss' });
  assert.deepEqual(redisOptions('unix:///run/redis/redis.sock?db=3'), { path: '/run/redis/redis.sock', db: 3 });
  assert.ok('tls' in redisOptions('rediss://bus:6380'));
  assert.throws(() => redisOptions('http://bus'), /--redis "http:\/\/bus" is not a Redis URL/);
});

test('publish without --redis, serve without --out or with a bad URL: exit 2, one reason and what to do', async () => {
  for (const [args, reason] of [
    [['publish', 'x.jsonl'], /publish needs --redis URL/],
    [['serve', '--redis', 'redis://127.0.0.1:1'], /serve needs --redis URL and --out ROOT/],
    [['serve', '--redis', 'ftp://bus', '--out', '/tmp'], /is not a Redis URL.*e\.g\. --redis redis:\/\//],
    [['serve', '--redis', 'redis://127.0.0.1:1', '--out', '/tmp', '--claim-after', 'soon'], /"soon" is not a duration/],
  ] as const) {
    const r = await nxlayoutIn([...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, reason);
  }
});

test('a connection to a Redis that is not there, disconnected while it retries, lets the process exit at once', () => {
  // ioredis waits disconnectTimeout for the close of a socket already closed: 2 s by default, 0.2 s here.
  const connect = pathToFileURL(path.join(REPO, 'dist/src/bus/connect.js')).href;
  const script = `
    const { connect } = await import(${JSON.stringify(connect)});
    const client = connect('redis://127.0.0.1:1');
    await new Promise((resolve) => client.once('reconnecting', resolve));
    const t0 = Date.now();
    client.disconnect();
    process.on('exit', () => console.log(Date.now() - t0));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const ms = Number(r.stdout.trim());
  assert.ok(ms < 1500, `the process exited ${ms} ms after disconnect() (ioredis' default holds it 2000 ms)`);
});
