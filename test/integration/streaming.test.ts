/** A run of 10,000 events streamed through convertLogs (see streaming-suite.ts; 50,000 and the memory check in the slow suite). */
import { streamingSuite } from './streaming-suite.js';

streamingSuite(10_000, false);
