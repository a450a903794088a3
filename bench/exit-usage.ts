/**
 * Loaded with `node --import` into a whole-process measurement: at exit,
 * writes the process's own CPU time and peak RSS (getrusage) as JSON to the
 * file named by NXL_BENCH_USAGE. Node offers no rusage of a child process;
 * this is the child's own accounting, and costs nothing before the exit.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.NXL_BENCH_USAGE;
if (file !== undefined && file !== '') {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssMB: u.maxRSS / 1024 }),
    );
  });
}
