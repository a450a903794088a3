/**
 * Time of a V8 .cpuprofile (from `node --cpu-prof`, or `startProfile`) by
 * function (self and total) and by source file, as text lines:
 *
 *     node dist/bench/profile.js FILE.cpuprofile [TOP]
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

/** Starts V8's sampling profiler in this process; the function returned stops it and writes the profile. */
export async function startProfile(file: string, intervalMicros = 250): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalMicros });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A short name for where a function lives: the repo-relative file, a package, or V8's own pseudo-frames. */
function place(url: string): string {
  if (url === '') return '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0)
    return url
      .slice(nm + '/node_modules/'.length)
      .split('/')
      .slice(0, 1)
      .join('/');
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

export interface SelfTime {
  name: string;
  ms: number;
  percent: number;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'}  ${place(url)}${url === '' ? '' : `:${lineNumber + 1}`}`;
}

/**
 * Self time by function and by file, and total (inclusive) time by function:
 * a sample counts once for every distinct function on its stack.
 */
export function profileTimes(profile: CpuProfile): {
  byFunction: SelfTime[];
  byFile: SelfTime[];
  inclusive: SelfTime[];
  totalMs: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++)
    selfById.set(profile.samples[i], (selfById.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfById) {
    const node = byId.get(id);
    if (node === undefined) continue;
    total += us;
    fn.set(frameName(node), (fn.get(frameName(node)) ?? 0) + us);
    const where = place(node.callFrame.url);
    file.set(where, (file.get(where) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (frame === undefined || frame.callFrame.functionName === '(root)') continue;
      const name = frameName(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      incl.set(name, (incl.get(name) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>): SelfTime[] =>
    [...m.entries()]
      .map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / (total || 1) }))
      .sort((a, b) => b.ms - a.ms);
  return { byFunction: sorted(fn), byFile: sorted(file), inclusive: sorted(incl), totalMs: total / 1000 };
}

export function summarizeProfile(path: string, top = 20): string[] {
  const { byFunction, byFile, inclusive, totalMs } = profileTimes(
    JSON.parse(fs.readFileSync(path, 'utf8')) as CpuProfile,
  );
  const line = (s: SelfTime): string =>
    `  ${s.percent.toFixed(1).padStart(5)}%  ${s.ms.toFixed(0).padStart(7)} ms  ${s.name}`;
  return [
    `  total ${totalMs.toFixed(0)} ms sampled; by function (self):`,
    ...byFunction.slice(0, top).map(line),
    '  by file (self):',
    ...byFile.slice(0, Math.ceil(top / 2)).map(line),
    '  by function, total (self + callees), nxlayout code only:',
    ...inclusive
      .filter((s) => s.name.includes(' src/'))
      .slice(0, top)
      .map(line),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: profile.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  process.stdout.write(summarizeProfile(file, Number(top ?? 30)).join('\n') + '\n');
}
