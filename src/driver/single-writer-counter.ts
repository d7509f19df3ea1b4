/**
 * Updates of a counter that only the calling thread writes (the sender's and receiver's system and stream
 * counters in SHARED/INVOKER threading): a plain read and a release store, Java's `incrementRelease` /
 * `getAndAddRelease` by a single writer. Unlike `AtomicCounter.increment` (an atomic add on a BigInt view), they
 * allocate nothing, so they may run per frame.
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';

/** Adds one to a counter only this thread writes (Java `incrementRelease`). */
export function incrementOrdered(counter: AtomicCounter): void {
  counter.set(counter.get() + 1);
}

/** Adds `delta` to a counter only this thread writes (Java `getAndAddRelease` by a single writer). */
export function addOrdered(counter: AtomicCounter, delta: number): void {
  counter.set(counter.get() + delta);
}
