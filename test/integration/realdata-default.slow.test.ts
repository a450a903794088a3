/** Every log of ../shared/realdata written with the default template and read back: see realdata-default-suite.ts. */
import { realdataDefaultSuite } from './realdata-default-suite.js';

realdataDefaultSuite('all');
