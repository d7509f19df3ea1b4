/**
 * Shared defaults for generated flyweights: an unwrapped flyweight points at an empty buffer, so any access
 * before `wrap` fails with a `CodecError` instead of a TypeError.
 */
export const EMPTY_BUFFER: Uint8Array = new Uint8Array(0);
/** A DataView over {@link EMPTY_BUFFER}: the view of an unwrapped flyweight. */
export const EMPTY_VIEW: DataView = new DataView(EMPTY_BUFFER.buffer);

/** A DataView over exactly the bytes of `buffer` (generated flyweights cache one per wrapped buffer). */
export function viewOf(buffer: Uint8Array): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
