/** Start-up loads only what a command needs: `--help` and `write --help`, `write` and `inspect` (see lazy-load-suite.ts). */
import { lazyLoadSuite } from './lazy-load-suite.js';

lazyLoadSuite('sample');
