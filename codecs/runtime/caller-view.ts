/**
 * `DataView`s over callers' arrays (the `src` of `putX`, the `dst` of `getX`), so `bytes.ts` can move
 * their bytes a word at a time too, without creating a view per call.
 *
 * A two-entry cache, most recent first:
 *
 * ```
 * entry 0: array0 -> view0      a hit returns the view (and ends any miss streak)
 * entry 1: array1 -> view1
 * miss:    missArray, missCount  the same array missing STREAK times in a row (no other call between)
 *                                gets a view: it goes into entry 0, entry 0 moves to entry 1
 * ```
 *
 * A miss returns `null` and the caller copies without a view, so arrays used once, or taking turns with
 * others, never create views: the worst pattern (runs of exactly STREAK calls on three or more arrays in
 * turn) creates one view per STREAK calls. The cache holds its arrays (and their buffers) until replaced,
 * as the text decoders' one-entry cache does.
 */
import { EMPTY_BUFFER, EMPTY_VIEW, viewOf } from './flyweight.ts';

/** Consecutive misses on one array before it gets a view. */
const STREAK = 8;

let array0: Uint8Array = EMPTY_BUFFER;
let view0: DataView = EMPTY_VIEW;
let array1: Uint8Array = EMPTY_BUFFER;
let view1: DataView = EMPTY_VIEW;
let missArray: Uint8Array = EMPTY_BUFFER;
let missCount = 0;

/** The cached view over exactly the bytes of `array`, or `null` (copy without one). */
export function callerView(array: Uint8Array): DataView | null {
  if (array === array0) {
    missCount = 0;
    return view0;
  }
  if (array === array1) {
    missCount = 0;
    return view1;
  }
  return miss(array);
}

function miss(array: Uint8Array): DataView | null {
  if (array !== missArray) {
    missArray = array;
    missCount = 1;
    return null;
  }
  if (++missCount < STREAK) return null;
  array1 = array0;
  view1 = view0;
  array0 = array;
  view0 = viewOf(array);
  missArray = EMPTY_BUFFER;
  missCount = 0;
  return view0;
}
