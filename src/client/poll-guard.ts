/**
 * The reentrancy guard of a subscription's polls (internal; not exported from the package).
 *
 * An image publishes its subscriber position once, when a poll ends (as Java's `TermReader.read`). A poll of
 * the same image started from inside one of its handlers would therefore read again what the outer poll has
 * read but not yet published, and deliver it twice (`0,1,0,1,2,2,3,…`). One `PollGuard` is shared by a
 * subscription and all of its images:
 *
 * ```
 *  subscription.poll ── guard.active? → ReentrantPollError (nothing read, no state changed)
 *     └ image.poll   ── guard.active? → ReentrantPollError
 *                       guard.active = true ─ handler(…) … ─ finally: publish position, guard.active = false
 * ```
 *
 * Every poll form, `controlledPeek` and `setPosition` check it; the polls set it around their handler calls.
 * The cost is one field read and two field writes per poll: nothing is allocated unless the error is thrown.
 * The subscription and its images each look the guard up once, at construction (`pollGuardOf`), so neither
 * module needs the other's internals.
 */
import { ReentrantPollError } from './errors.ts';

/** Whether a poll of the subscription (any of its images) is running a handler right now. */
export class PollGuard {
  /** True from just before a poll's first handler call until just after its last (reset in `finally`). */
  active = false;
}

/** The guard of each subscription, by subscription (made on first use). */
const guards = new WeakMap<object, PollGuard>();

/** The guard shared by `subscription` and its images (made on the first call for that subscription). */
export function pollGuardOf(subscription: object): PollGuard {
  let guard = guards.get(subscription);
  if (guard === undefined) {
    guard = new PollGuard();
    guards.set(subscription, guard);
  }
  return guard;
}

/**
 * The error for a reentrant `what` (e.g. `Image.poll`) on the subscription with this registration id. Built
 * only when thrown.
 */
export function reentrantPollError(what: string, registrationId: number, streamId: number): ReentrantPollError {
  return new ReentrantPollError(
    `${what} called from inside a handler of a poll of the same subscription ` +
      `(registrationId=${registrationId}, streamId=${streamId}): read one subscription from one poll at a time`,
  );
}
