/** A calculation registry whose `count_evaluations` counts its calls: how often a writer resolved the template's values. */
import { createDefaultRegistry } from '../../src/evaluate/registry.js';

export function counting(): { registry: ReturnType<typeof createDefaultRegistry>; calls: () => number } {
  let calls = 0;
  const registry = createDefaultRegistry().register('count_evaluations', {
    minArgs: 0,
    maxArgs: 0,
    description: 'test: counts its calls',
    fn: () => ++calls,
  });
  return { registry, calls: () => calls };
}
