/** Reading what `nxlayout write --json` prints, for the bench's in-process view. */

/**
 * Events written, summed over the runs of `write --json`'s output (`{ runs: [{ events }], diagnostics }`).
 * Throws, naming what it got, when the output is not that shape: a bench that cannot count is a failed
 * scenario, reported as FAILED, never a silent zero.
 */
export function eventsWritten(printed: string): number {
  const parsed: unknown = JSON.parse(printed);
  const runs = (parsed as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) {
    const shape = Array.isArray(parsed) ? 'an array' : typeof parsed;
    throw new Error(`write --json printed ${shape} without a \`runs\` array: the bench expects { runs, diagnostics }`);
  }
  let events = 0;
  for (const r of runs as { events?: unknown }[]) {
    if (typeof r.events !== 'number') throw new Error('write --json: a run without a numeric `events`');
    events += r.events;
  }
  return events;
}
