/**
 * A Promise's outcome as plain fields, for the duty cycles that poll an archive request instead of awaiting it
 * (`ReplayMerge`, `PersistentSubscription` and its archive connection): `track(promise)` returns a `Pending`
 * that fills in when the promise settles (on a later tick); the duty cycle reads `done`, then `value` or `error`.
 */
import { ArchiveError } from './archive-error.ts';

/** A Promise's outcome, readable from a duty cycle without awaiting. */
export interface Pending<T> {
  /** True once the Promise has settled. */
  done: boolean;
  /** The fulfilled value, else null. */
  value: T | null;
  /** The rejection reason (an `ArchiveError` stands in for a null or undefined one), else null. */
  error: unknown;
}

/** Starts tracking `promise`: the returned {@link Pending} fills in when it settles (on a later tick). */
export function track<T>(promise: Promise<T>): Pending<T> {
  const pending: Pending<T> = { done: false, value: null, error: null };
  promise.then(
    (value) => {
      pending.value = value;
      pending.done = true;
    },
    (error: unknown) => {
      pending.error = error ?? new ArchiveError('request failed');
      pending.done = true;
    },
  );
  return pending;
}
