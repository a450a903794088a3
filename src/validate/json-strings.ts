/** Every string of a JSON value (keys included) with its JSON pointer. */
import { joinPointer } from '../json-pointer.js';

export interface StringAt {
  readonly text: string;
  readonly pointer: string;
  /** True when the string is an object key (a node name), not a value. */
  readonly isKey: boolean;
}

export function* stringsOf(value: unknown, pointer = ''): Generator<StringAt> {
  if (typeof value === 'string') yield { text: value, pointer, isKey: false };
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* stringsOf(item, joinPointer(pointer, i));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const at = joinPointer(pointer, key);
      yield { text: key, pointer: at, isKey: true };
      yield* stringsOf(child, at);
    }
  }
}
