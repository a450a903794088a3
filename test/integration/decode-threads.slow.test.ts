/**
 * convertLogs on the main thread, on one thread of its own (LogThread) and on a thread started
 * before convertLogs (as `write` does): the same runs and files (decode-threads-suite.ts).
 */
import { decodeThreadsSuite } from './decode-threads-suite.js';

decodeThreadsSuite(['thread', 'early']);
