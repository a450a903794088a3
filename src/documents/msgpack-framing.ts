/**
 * Where one msgpack value ends, without decoding it. @msgpack/msgpack decodes
 * values but does not say at which byte each value of a stream starts, and its
 * incremental decoding is async-only; this scanner gives the push decoder item
 * boundaries (and so byte offsets), then the library decodes each item.
 *
 * The scan is resumable: `state` records how far the item is known to be
 * complete and how many values are still owed, so bytes are scanned once even
 * when an item spans many chunks.
 */
export interface MsgpackScan {
  /** Position (relative to the item start) up to which whole values were skipped. */
  pos: number;
  /** Values still to skip before the item is complete (1 at the start). */
  need: number;
}

export function newScan(): MsgpackScan {
  return { pos: 0, need: 1 };
}

/** Thrown for a byte that starts no msgpack value (0xc1): the stream cannot be resynchronised. */
export class MsgpackFramingError extends Error {
  readonly position: number;
  constructor(position: number, byte: number) {
    super(`byte 0x${byte.toString(16).padStart(2, '0')} does not start a msgpack value`);
    this.position = position;
  }
}

/**
 * Size of the value at `p`: [header + payload bytes, child values owed], or
 * undefined when the bytes for its header are not there yet.
 */
export function valueSize(b: Uint8Array, p: number): [number, number] | undefined {
  const h = b[p];
  if (h <= 0x7f || h >= 0xe0) return [1, 0];
  if (h <= 0x8f) return [1, 2 * (h & 0x0f)];
  if (h <= 0x9f) return [1, h & 0x0f];
  if (h <= 0xbf) return [1 + (h & 0x1f), 0];
  const left = b.length - p;
  const u8 = () => b[p + 1];
  const u16 = () => (b[p + 1] << 8) | b[p + 2];
  const u32 = () => b[p + 1] * 0x1000000 + ((b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]);
  switch (h) {
    case 0xc0:
    case 0xc2:
    case 0xc3:
      return [1, 0];
    case 0xc4:
    case 0xd9:
      return left < 2 ? undefined : [2 + u8(), 0];
    case 0xc5:
    case 0xda:
      return left < 3 ? undefined : [3 + u16(), 0];
    case 0xc6:
    case 0xdb:
      return left < 5 ? undefined : [5 + u32(), 0];
    case 0xc7:
      return left < 2 ? undefined : [3 + u8(), 0];
    case 0xc8:
      return left < 3 ? undefined : [4 + u16(), 0];
    case 0xc9:
      return left < 5 ? undefined : [6 + u32(), 0];
    case 0xca:
      return [5, 0];
    case 0xcb:
      return [9, 0];
    case 0xcc:
    case 0xd0:
      return [2, 0];
    case 0xcd:
    case 0xd1:
      return [3, 0];
    case 0xce:
    case 0xd2:
      return [5, 0];
    case 0xcf:
    case 0xd3:
      return [9, 0];
    case 0xd4:
      return [3, 0];
    case 0xd5:
      return [4, 0];
    case 0xd6:
      return [6, 0];
    case 0xd7:
      return [10, 0];
    case 0xd8:
      return [18, 0];
    case 0xdc:
      return left < 3 ? undefined : [3, u16()];
    case 0xdd:
      return left < 5 ? undefined : [5, u32()];
    case 0xde:
      return left < 3 ? undefined : [3, 2 * u16()];
    case 0xdf:
      return left < 5 ? undefined : [5, 2 * u32()];
    default:
      throw new MsgpackFramingError(p, h); // 0xc1, never used
  }
}

/**
 * Advance `state` over `bytes` (which start at the item start). Returns the
 * item's length when it is complete, undefined when more bytes are needed.
 */
export function scanMsgpackItem(bytes: Uint8Array, state: MsgpackScan): number | undefined {
  while (state.need > 0) {
    if (state.pos >= bytes.length) return undefined;
    const size = valueSize(bytes, state.pos);
    if (size === undefined || state.pos + size[0] > bytes.length) return undefined;
    state.pos += size[0];
    state.need += size[1] - 1;
  }
  return state.pos;
}

/**
 * Whether the complete msgpack item `bytes` nests arrays and maps more than `maxDepth` levels
 * deep: walked value by value with a stack of the children still owed, without decoding.
 */
export function msgpackDepthExceeded(bytes: Uint8Array, maxDepth: number): boolean {
  const owed: number[] = [];
  let p = 0;
  do {
    const size = valueSize(bytes, p);
    if (size === undefined) return false; // not complete: the decoder reports it
    p += size[0];
    if (owed.length > 0) owed[owed.length - 1]--;
    if (size[1] > 0) {
      owed.push(size[1]);
      if (owed.length > maxDepth) return true;
    }
    while (owed.length > 0 && owed[owed.length - 1] === 0) owed.pop();
  } while (owed.length > 0 && p < bytes.length);
  return false;
}
