/** A sample of ../shared/realdata (one log of each kind) written with the default template and read back: see realdata-default-suite.ts. */
import { realdataDefaultSuite } from './realdata-default-suite.js';

realdataDefaultSuite('sample');
