#!/usr/bin/env node
/** The `nxlayout` executable. */
import { main } from './main.js';

// `nxlayout inspect big.nxs | head` closes our stdout early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await main(process.argv.slice(2));
