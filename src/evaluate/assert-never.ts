/** Exhaustiveness check for `switch` over tagged unions: a new tag is a compile error here. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
