/** Durations as an operator writes them: `500ms`, `30s`, `5m`, `1h`, `1d`, or plain seconds; and back, for messages. */
import { NxlError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `text`; throws CLI_USAGE for anything else. */
export function parseDuration(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[(m[2] ?? 's').toLowerCase()];
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new NxlError(
      'CLI_USAGE',
      `${JSON.stringify(text)} is not a duration`,
      {},
      { hint: 'write a positive number with a unit: 500ms, 30s, 5m, 1h, 1d (no unit: seconds)' },
    );
  }
  return Math.round(ms);
}

/** A duration for a message: `300 ms` under a second, else seconds to a tenth (`1.5 s`, `30 s`). */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
