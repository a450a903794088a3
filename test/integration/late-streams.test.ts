/** Streams declared or read after the writer's first flush (see late-streams-suite.ts). */
import { lateStreamsSuite } from './late-streams-suite.js';

lateStreamsSuite('fast');
