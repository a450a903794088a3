/** Late streams: the (size, template alone / with a fallback) pairs npm test leaves out (see late-streams-suite.ts). */
import { lateStreamsSuite } from './late-streams-suite.js';

lateStreamsSuite('slow');
