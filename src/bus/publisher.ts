/**
 * `publish`: replays document logs onto the bus. Each document goes, in
 * order, to its run's stream `{prefix}:run:{uid}`; a start document, once in
 * its run's stream, also adds the job `{uid, stream}` to `{prefix}:runs`, so
 * a writer that takes the job finds the run's start there. Documents are sent
 * in pipelines of up to PIPELINE entries (one round trip each).
 */
import type { Redis } from 'ioredis';
import { diagnostic } from '../errors.js';
import { readDocumentLog } from '../documents/index.js';
import type { NamedDocument } from '../documents/models.js';
import { expandLogPaths } from '../run/index.js';
import { runEntryFields } from './entries.js';
import { busKeys } from './keys.js';
import type { PublishSummary } from './models.js';
import { RunOf } from './run-of.js';

const PIPELINE = 256;

export interface PublishOptions {
  prefix?: string;
  /** Per log, as it is done (for a progress line). */
  onLog?: (log: string, documents: number) => void;
}

export async function publishLogs(client: Redis, paths: readonly string[], options: PublishOptions = {}): Promise<PublishSummary> {
  const keys = busKeys(options.prefix);
  const { logs, diagnostics } = await expandLogPaths(paths);
  const summary: PublishSummary = { runs: 0, documents: 0, skipped: 0, diagnostics: [...diagnostics] };
  const runOf = new RunOf();
  let pipeline = client.pipeline();
  let queued = 0;
  const flush = async (): Promise<void> => {
    if (queued === 0) return;
    const replies = await pipeline.exec();
    for (const [e] of replies ?? []) if (e !== null) throw e;
    pipeline = client.pipeline();
    queued = 0;
  };
  for (const log of logs) {
    let documents = 0;
    for await (const item of readDocumentLog(log)) {
      if (item.kind === 'problem') {
        summary.diagnostics.push(item.diagnostic);
        continue;
      }
      const named = { name: item.name, doc: item.doc } as NamedDocument;
      const uid = runOf.of(named);
      if (uid === undefined) {
        summary.skipped++;
        summary.diagnostics.push(diagnostic('BUS_ENTRY', 'warning', `${named.name} document of no run known in this log: not published`, { file: item.at.log, item: item.at.item, ...(item.at.line === undefined ? {} : { line: item.at.line }), document: { name: named.name } }, 'publish the log holding its run\'s start document with it'));
        continue;
      }
      pipeline.xadd(keys.run(uid), '*', ...runEntryFields(named, item.at));
      if (named.name === 'start') {
        pipeline.xadd(keys.jobs, '*', 'uid', uid, 'stream', keys.run(uid));
        summary.runs++;
      }
      documents++;
      if (++queued >= PIPELINE) await flush();
    }
    await flush();
    summary.documents += documents;
    options.onLog?.(log, documents);
  }
  return summary;
}
