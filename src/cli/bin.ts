#!/usr/bin/env node
/** The `nxlayout` executable. */
import { cachedHelp } from './help-cache.js';

// `nxlayout inspect big.nxs | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const argv = process.argv.slice(2);
// A help text written at build time (help-cache.ts): printed without loading the command line.
const help = cachedHelp(argv, process.stdout);
if (help !== undefined) process.stdout.write(help);
else {
  const { main } = await import('./main.js');
  process.exitCode = await main(argv);
}
