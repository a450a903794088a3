/**
 * The job stream through a consumer group: join (the group is created at the
 * stream's first entry, so runs published before any writer are served),
 * take the next job (a job pending longer than --claim-after with its writer
 * silent first, XAUTOCLAIM; else a new one, XREADGROUP), keep a job alive
 * while its run is written (XCLAIM … JUSTID resets its idle time), and
 * acknowledge it with its outcome on `{prefix}:results`, in one transaction.
 */
import type { Redis } from 'ioredis';
import type { Diagnostic } from '../errors.js';
import { parseJobEntry, type RawEntry } from './entries.js';
import type { BusKeys, JobEntry, JobOutcome } from './models.js';

export interface JobsContext {
  keys: BusKeys;
  group: string;
  name: string;
  claimAfterMs: number;
  blockMs: number;
}

/** Creates the group unless it exists. */
export async function joinGroup(client: Redis, c: JobsContext): Promise<void> {
  try {
    await client.xgroup('CREATE', c.keys.jobs, c.group, '0', 'MKSTREAM');
  } catch (e) {
    if (!/BUSYGROUP/.test((e as Error).message)) throw e;
  }
}

function isNoGroup(e: unknown): boolean {
  return /NOGROUP/.test((e as Error).message ?? '');
}

/**
 * The next job, or undefined after `blockMs` without one. A bad job entry is
 * acknowledged at once and reported through `onBad`. `reader` does the
 * blocking read; `client` the rest. A group lost with Redis's data is created again.
 */
export async function nextJob(
  client: Redis,
  reader: Redis,
  c: JobsContext,
  onBad: (d: Diagnostic) => void,
): Promise<JobEntry | undefined> {
  try {
    const claimed = (await client.xautoclaim(c.keys.jobs, c.group, c.name, c.claimAfterMs, '0-0', 'COUNT', 1)) as [
      string,
      (RawEntry | null)[],
      string[]?,
    ];
    const stale = claimed[1].find((e): e is RawEntry => e !== null && Array.isArray(e[1]));
    if (stale !== undefined) return await accept(client, c, stale, true, onBad);
    const reply = (await reader.xreadgroup(
      'GROUP',
      c.group,
      c.name,
      'COUNT',
      1,
      'BLOCK',
      c.blockMs,
      'STREAMS',
      c.keys.jobs,
      '>',
    )) as [string, RawEntry[]][] | null;
    const fresh = reply?.[0]?.[1]?.[0];
    if (fresh === undefined) return undefined;
    if (!Array.isArray(fresh[1])) {
      await client.xack(c.keys.jobs, c.group, fresh[0]);
      return undefined;
    }
    return await accept(client, c, fresh, false, onBad);
  } catch (e) {
    if (!isNoGroup(e)) throw e;
    await joinGroup(client, c);
    return undefined;
  }
}

async function accept(
  client: Redis,
  c: JobsContext,
  raw: RawEntry,
  claimed: boolean,
  onBad: (d: Diagnostic) => void,
): Promise<JobEntry | undefined> {
  const job = parseJobEntry(c.keys.jobs, raw, c.keys.run, claimed);
  if ('uid' in job) return job;
  onBad(job);
  await client.xack(c.keys.jobs, c.group, raw[0]);
  return undefined;
}

/** Resets the job's idle time, so no other writer claims it while this one writes its run. */
export async function keepAlive(client: Redis, c: JobsContext, job: JobEntry): Promise<void> {
  await client.xclaim(c.keys.jobs, c.group, c.name, 0, job.id, 'JUSTID');
}

/** Acknowledges the job and records its outcome (and, with `trim`, empties the run's stream). */
export async function acknowledge(
  client: Redis,
  c: JobsContext,
  job: JobEntry,
  outcome: JobOutcome,
  detail: { file?: string; reason?: string },
  trim: boolean,
): Promise<void> {
  const fields = ['uid', job.uid, 'outcome', outcome, 'writer', c.name, 'job', job.id];
  if (detail.file !== undefined) fields.push('file', detail.file);
  if (detail.reason !== undefined) fields.push('reason', detail.reason);
  const multi = client
    .multi()
    .xack(c.keys.jobs, c.group, job.id)
    .xadd(c.keys.results, '*', ...fields);
  if (trim && outcome !== 'failed') multi.xtrim(job.stream, 'MAXLEN', 0);
  const replies = await multi.exec();
  for (const [e] of replies ?? []) if (e !== null) throw e;
}
