/**
 * `publish`: puts documents on the bus. Each document goes, in order, to its
 * run's stream `{prefix}:run:{uid}`; a start document, once in its run's
 * stream, also adds the job `{uid, stream}` to `{prefix}:runs`, so a writer
 * that takes the job finds the run's start there. Documents are sent in
 * pipelines of up to PIPELINE entries (one round trip each).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { diagnostic, type Diagnostic } from '../errors.js';
import { readDocumentLog } from '../documents/index.js';
import type { DocumentSource, NamedDocument } from '../documents/models.js';
import { expandLogPaths } from '../run/index.js';
import { runEntryFields } from './entries.js';
import { busKeys } from './keys.js';
import type { BusKeys, PublishSummary } from './models.js';
import { RunOf } from './run-of.js';

const PIPELINE = 256;

/** Documents to the bus, in order, batched; `flush` sends what is queued. */
export class BusPublisher {
  readonly #client: Redis;
  readonly #keys: BusKeys;
  readonly #runOf = new RunOf();
  #pipeline: ChainableCommander;
  #queued = 0;
  runs = 0;
  documents = 0;

  constructor(client: Redis, prefix?: string) {
    this.#client = client;
    this.#keys = busKeys(prefix);
    this.#pipeline = client.pipeline();
  }

  /** Queues one document; false (nothing queued) when it belongs to no run known so far. */
  async add(named: NamedDocument, at?: DocumentSource): Promise<boolean> {
    const uid = this.#runOf.of(named);
    if (uid === undefined) return false;
    this.#pipeline.xadd(this.#keys.run(uid), '*', ...runEntryFields(named, at));
    if (named.name === 'start') {
      this.#pipeline.xadd(this.#keys.jobs, '*', 'uid', uid, 'stream', this.#keys.run(uid));
      this.runs++;
    }
    this.documents++;
    if (++this.#queued >= PIPELINE) await this.flush();
    return true;
  }

  async flush(): Promise<void> {
    if (this.#queued === 0) return;
    const pipeline = this.#pipeline;
    this.#pipeline = this.#client.pipeline();
    this.#queued = 0;
    const replies = await pipeline.exec();
    for (const [e] of replies ?? []) if (e !== null) throw e;
  }
}

export interface PublishOptions {
  prefix?: string;
  /** Per log, as it is done (for a progress line). */
  onLog?: (log: string, documents: number) => void;
}

/** Replays document logs onto the bus (their problems are returned, not published). */
export async function publishLogs(
  client: Redis,
  paths: readonly string[],
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const { logs, diagnostics } = await expandLogPaths(paths);
  const found: Diagnostic[] = [...diagnostics];
  const publisher = new BusPublisher(client, options.prefix);
  let skipped = 0;
  for (const log of logs) {
    const before = publisher.documents;
    for await (const item of readDocumentLog(log)) {
      if (item.kind === 'problem') {
        found.push(item.diagnostic);
        continue;
      }
      const named = { name: item.name, doc: item.doc } as NamedDocument;
      if (await publisher.add(named, item.at)) continue;
      skipped++;
      found.push(
        diagnostic(
          'BUS_ENTRY',
          'warning',
          `${named.name} document of no run known in this log: not published`,
          {
            file: item.at.log,
            item: item.at.item,
            ...(item.at.line === undefined ? {} : { line: item.at.line }),
            document: { name: named.name },
          },
          "publish the log holding its run's start document with it",
        ),
      );
    }
    await publisher.flush();
    options.onLog?.(log, publisher.documents - before);
  }
  return { runs: publisher.runs, documents: publisher.documents, skipped, diagnostics: found };
}
