/** Guards over template values. */
import type { Projection } from './models.js';

/** A projection object (`type` linked, static or calculated), e.g. a calculation's argument. */
export function isProjectionObject(v: unknown): v is Projection {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'linked' || t === 'static' || t === 'calculated';
}
