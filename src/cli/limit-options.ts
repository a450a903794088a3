/** `--max-line-bytes` and `--max-depth` on write, runs and watch: the limits on one document (documents/limits.ts). */
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_LIMITS, setDefaultLimits, type DecodeLimits } from '../documents/limits.js';

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** "65536", "64k", "64M", "2G" (binary units) → bytes. */
function parseByteSize(text: string): number {
  const m = /^\s*(\d+)\s*([kmg]?)(i?b)?\s*$/i.exec(text);
  const n = m === null ? NaN : Number(m[1]) * UNITS[m[2].toLowerCase()];
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a size in bytes, e.g. 65536, 64M or 1G');
  return n;
}

function positive(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export interface LimitOptions {
  maxLineBytes?: number;
  maxDepth?: number;
  maxDocuments?: number;
}

export function addLimitOptions(command: Command): Command {
  return command
    .option(
      '--max-line-bytes <size>',
      `most bytes in one document (a jsonl line, an array element, a msgpack item); a longer one is skipped as a located DOC_LIMIT error, the rest is read (default ${DEFAULT_LIMITS.maxLineBytes / 1024 ** 2}M)`,
      parseByteSize,
    )
    .option(
      '--max-depth <n>',
      `most levels of nested arrays and objects in one document; a deeper one is skipped as a located DOC_LIMIT error (default ${DEFAULT_LIMITS.maxDepth})`,
      positive,
    )
    .option(
      '--max-documents <n>',
      `most documents in one run (events and datums counted one by one); later ones are skipped, the first as a located DOC_LIMIT error (default ${DEFAULT_LIMITS.maxDocuments})`,
      positive,
    );
}

/** Puts the command's limits in force for this process (decoders, decoding threads, the daemon's tails). */
export function applyLimitOptions(options: LimitOptions): DecodeLimits {
  return setDefaultLimits({
    ...(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(options.maxDocuments === undefined ? {} : { maxDocuments: options.maxDocuments }),
  });
}
