/** Start-up loads only what a command needs: the other commands' --help (see lazy-load-suite.ts). */
import { lazyLoadSuite } from './lazy-load-suite.js';

lazyLoadSuite('rest');
