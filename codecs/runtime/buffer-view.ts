/**
 * The `DataView` the flat encode/decode functions (`encodeX`/`decodeX` in `XFlat.ts`) work through, cached for
 * the last two buffers seen, most recent first: a sender's buffer and a receiver's buffer taking turns cost no
 * view per call. A third buffer replaces the older entry (one view each time it comes back after two others).
 */
import { EMPTY_BUFFER, EMPTY_VIEW, viewOf } from './flyweight.ts';

let buffer0: Uint8Array = EMPTY_BUFFER;
let view0: DataView = EMPTY_VIEW;
let buffer1: Uint8Array = EMPTY_BUFFER;
let view1: DataView = EMPTY_VIEW;

/** A DataView over exactly the bytes of `buffer`, from a two-entry cache (see the module comment). */
export function bufferView(buffer: Uint8Array): DataView {
  if (buffer === buffer0) return view0;
  if (buffer === buffer1) return view1;
  return bufferViewMiss(buffer);
}

function bufferViewMiss(buffer: Uint8Array): DataView {
  buffer1 = buffer0;
  view1 = view0;
  buffer0 = buffer;
  view0 = viewOf(buffer);
  return view0;
}
