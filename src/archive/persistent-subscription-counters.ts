/**
 * The four counters of a persistent subscription (Java `PersistentSubscription.Context.conclude`, 1.51.0 and
 * 1.52.2 alike): allocated with ADD_COUNTER on the subscription's Aeron client unless the caller gives them.
 *
 * ```
 *   type id  name (label prefix)                         value
 *   114      Persistent Subscription State               state code (AWAIT_ARCHIVE_CONNECTION 0 … FAILED 17)
 *   115      Persistent Subscription Join Difference     live − replay position at the switch; Long.MIN_VALUE
 *                                                        (−2^63) while not switching/live
 *   116      Persistent Subscription Live Left Count     times the live stream was left
 *   117      Persistent Subscription Live Joined Count   times the live stream was joined
 *   label: "<name>: <replayStreamId> <replayChannel> <liveStreamId> <liveChannel>" (replay channel as concluded,
 *          i.e. with rejoin=false); no key.
 * ```
 * Values are written with release stores (Java `setRelease` / `incrementRelease`), only on state changes.
 */
import type { Aeron } from '../client/aeron.ts';
import type { Counter } from '../client/counter.ts';

export const PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID = 114;
export const PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID = 115;
export const PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID = 116;
export const PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID = 117;

/** Java `Long.MIN_VALUE`, exactly representable as a double. */
export const LONG_MIN_VALUE = -(2 ** 63);

export interface PersistentSubscriptionCounters {
  readonly state: Counter;
  readonly joinDifference: Counter;
  readonly liveLeft: Counter;
  readonly liveJoined: Counter;
}

export interface CounterChannels {
  readonly replayStreamId: number;
  readonly replayChannel: string;
  readonly liveStreamId: number;
  readonly liveChannel: string;
}

/** Java `allocatePersistentSubscriptionCounter`'s label. */
export function persistentSubscriptionCounterLabel(name: string, c: CounterChannels): string {
  return `${name}: ${c.replayStreamId} ${c.replayChannel} ${c.liveStreamId} ${c.liveChannel}`;
}

/** Allocates the counters not given in `given` (in Java's order); closes what it allocated if one fails. */
export async function allocatePersistentSubscriptionCounters(
  aeron: Aeron,
  channels: CounterChannels,
  given: Partial<PersistentSubscriptionCounters>,
): Promise<PersistentSubscriptionCounters> {
  const allocated: Counter[] = [];
  const counter = async (existing: Counter | undefined, name: string, typeId: number): Promise<Counter> => {
    if (existing !== undefined) return existing;
    const c = await aeron.addCounter(typeId, persistentSubscriptionCounterLabel(name, channels));
    allocated.push(c);
    return c;
  };
  try {
    const state = await counter(given.state, 'Persistent Subscription State', PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID);
    const joinDifference = await counter(
      given.joinDifference,
      'Persistent Subscription Join Difference',
      PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID,
    );
    const liveLeft = await counter(
      given.liveLeft,
      'Persistent Subscription Live Left Count',
      PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID,
    );
    const liveJoined = await counter(
      given.liveJoined,
      'Persistent Subscription Live Joined Count',
      PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID,
    );
    return { state, joinDifference, liveLeft, liveJoined };
  } catch (error) {
    for (const c of allocated) c.close();
    throw error;
  }
}
