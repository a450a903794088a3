/** convertLogs on the main thread and on the pool of decode threads: the same runs and files (decode-threads-suite.ts). */
import { decodeThreadsSuite } from './decode-threads-suite.js';

decodeThreadsSuite(['threads']);
