/**
 * JSON Pointers (RFC 6901): the one escaper of nxlayout. Every stage names where a problem is
 * with a pointer (a document's field, a template's node), so this module imports nothing.
 */

/** One reference token: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** `base` followed by each segment, escaped: `joinPointer('/data', 'a/b')` → `/data/a~1b`. */
export function joinPointer(base: string, ...segments: (string | number)[]): string {
  return base + segments.map((s) => '/' + escapePointerSegment(String(s))).join('');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(unescapePointerSegment);
}
