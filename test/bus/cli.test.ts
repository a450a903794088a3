/** publish/serve on the command line: bad usage exits 2 with a located reason and a hint. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { redisOptions } from '../../src/bus/index.js';
import { nxlayoutIn } from '../cli/helpers.js';

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
