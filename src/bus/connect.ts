/**
 * A Redis connection for the bus (ioredis): `redis://`, `rediss://` or
 * `unix:///path.sock`. When Redis goes away the client reconnects with
 * back-off (100 ms doubling to 5 s), holds the commands issued meanwhile and
 * resends the one in flight: no command is lost, the caller only waits.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { NxlError } from '../errors.js';

/** Back-off before reconnection attempt `times` (1, 2, …): 100 ms doubling, at most 5 s. */
function backoffMs(times: number): number {
  return Math.min(5000, 100 * 2 ** Math.min(times - 1, 6));
}

export interface ConnectHooks {
  /** The connection dropped; the next attempt is in `retryMs`. */
  onDown?: (error: string, retryMs: number) => void;
  onUp?: () => void;
}

/** ioredis options for `url` (throws CLI_USAGE for a URL it cannot be). */
export function redisOptions(url: string): RedisOptions & { path?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usage(url);
  }
  if (parsed.protocol === 'unix:') {
    const db = parsed.searchParams.get('db');
    return { path: decodeURIComponent(parsed.pathname), ...(db === null ? {} : { db: Number(db) }) };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw usage(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port === '' ? 6379 : Number(parsed.port),
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === '' ? {} : { db: Number(db) }),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function usage(url: string): NxlError {
  return new NxlError(
    'CLI_USAGE',
    `--redis ${JSON.stringify(url)} is not a Redis URL`,
    {},
    {
      hint: 'e.g. --redis redis://127.0.0.1:6379, --redis redis://host:6379/2 or --redis unix:///run/redis/redis.sock',
    },
  );
}

/** Connects (lazily: the first command waits for the connection, retried with back-off). */
export function connect(url: string, hooks: ConnectHooks = {}): Redis {
  let up = false;
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: false,
    // Commands wait for the reconnection however long it takes (a stop disconnects them).
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    autoResendUnfulfilledCommands: true,
    retryStrategy: (times) => backoffMs(times),
    connectionName: 'nxlayout',
    // disconnect() waits this long for the socket's close before destroying it, on a timer that only that
    // close clears: a socket already closed (Redis gone, reconnecting) held the process 2 s (the default).
    disconnectTimeout: 200,
  });
  let lastError = 'connection closed';
  client.on('error', (e: Error) => (lastError = e.message));
  client.on('ready', () => {
    up = true;
    hooks.onUp?.();
  });
  client.on('reconnecting', (ms: number) => {
    if (up) hooks.onDown?.(lastError, ms);
    up = false;
  });
  return client;
}

/** A located error for a Redis command that failed for good. */
export function redisError(url: string, what: string, e: unknown): NxlError {
  return new NxlError(
    'BUS_REDIS',
    `Redis at ${url}: ${what}: ${e instanceof Error ? e.message : String(e)}`,
    { file: url },
    {
      hint: 'check that Redis (≥ 7) runs at that URL and accepts this client (password, ACL)',
      cause: e,
    },
  );
}
