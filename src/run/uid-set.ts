/**
 * The event uids a run has seen, kept small: a run of a million events must
 * not hold a million strings. Each uid is kept as a 52-bit hash in an
 * open-addressing table of doubles (8 bytes a slot, at most 3/4 full: about
 * 11–21 bytes per event). Two different uids share a hash with a chance of
 * about n²/2⁵³ (1e-4 for a run of a million events): a false "duplicate" is
 * that rare, a missed one impossible.
 */

const EMPTY = 0;

/** Two 32-bit FNV-1a hashes (different offsets) of the UTF-16 code units, folded into 52 bits, never 0. */
export function hash52(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  const h = (a >>> 0) * 0x100000 + ((b >>> 0) & 0xfffff);
  return h === EMPTY ? 1 : h;
}

export class UidSet {
  #slots = new Float64Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `uid`; false when it was already there. */
  add(uid: string): boolean {
    if ((this.#size + 1) * 4 > this.#slots.length * 3) this.#grow();
    return this.#insert(this.#slots, hash52(uid));
  }

  has(uid: string): boolean {
    const slots = this.#slots;
    const h = hash52(uid);
    const mask = slots.length - 1;
    for (let i = h % slots.length; ; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === EMPTY) return false;
      if (v === h) return true;
    }
  }

  #insert(slots: Float64Array, h: number): boolean {
    const mask = slots.length - 1;
    for (let i = h % slots.length; ; i = (i + 1) & mask) {
      const v = slots[i];
      if (v === h) return false;
      if (v === EMPTY) {
        slots[i] = h;
        if (slots === this.#slots) this.#size++;
        return true;
      }
    }
  }

  #grow(): void {
    const old = this.#slots;
    const bigger = new Float64Array(old.length * 2);
    for (const h of old) if (h !== EMPTY) this.#insert(bigger, h);
    this.#slots = bigger;
  }
}
