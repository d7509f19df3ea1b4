/**
 * The four counters of a persistent subscription (Java `PersistentSubscription.Context.conclude`): allocated with ADD_COUNTER on the subscription's Aeron client unless the caller gives them.
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
import * as AeronCounters from '../transport/aeron-counters.ts';
import { LONG_MIN_VALUE } from '../transport/index.ts';

/** Java `Long.MIN_VALUE`: the join difference while not switching or live (re-exported from the transport layer). */
export { LONG_MIN_VALUE };

/** The four counters of a persistent subscription (module comment). */
export interface PersistentSubscriptionCounters {
  /** The state code (type 114; Java `Context.stateCounter`). */
  readonly state: Counter;
  /** Live − replay position at the switch, `LONG_MIN_VALUE` otherwise (type 115; Java `Context.joinDifferenceCounter`). */
  readonly joinDifference: Counter;
  /** Times the live stream was left (type 116; Java `Context.liveLeftCounter`). */
  readonly liveLeft: Counter;
  /** Times the live stream was joined (type 117; Java `Context.liveJoinedCounter`). */
  readonly liveJoined: Counter;
}

/** The streams a persistent subscription's counter labels name (see {@link persistentSubscriptionCounterLabel}). */
export interface CounterChannels {
  /** The replay stream id. */
  readonly replayStreamId: number;
  /** The replay channel, as concluded (with `rejoin=false`). */
  readonly replayChannel: string;
  /** The live stream id. */
  readonly liveStreamId: number;
  /** The live channel. */
  readonly liveChannel: string;
}

/**
 * Java `allocatePersistentSubscriptionCounter`'s label: `<name>: <replayStreamId> <replayChannel> <liveStreamId>
 * <liveChannel>`, e.g. to find a persistent subscription's counters by label.
 */
export function persistentSubscriptionCounterLabel(name: string, c: CounterChannels): string {
  return `${name}: ${c.replayStreamId} ${c.replayChannel} ${c.liveStreamId} ${c.liveChannel}`;
}

/** Each counter's field, name (label prefix) and type id, in Java's allocation order (module comment). */
const COUNTER_KINDS: readonly (readonly [keyof PersistentSubscriptionCounters, string, number])[] = [
  ['state', 'Persistent Subscription State', AeronCounters.PERSISTENT_SUBSCRIPTION_STATE_TYPE_ID],
  [
    'joinDifference',
    'Persistent Subscription Join Difference',
    AeronCounters.PERSISTENT_SUBSCRIPTION_JOIN_DIFFERENCE_TYPE_ID,
  ],
  [
    'liveLeft',
    'Persistent Subscription Live Left Count',
    AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_LEFT_COUNT_TYPE_ID,
  ],
  [
    'liveJoined',
    'Persistent Subscription Live Joined Count',
    AeronCounters.PERSISTENT_SUBSCRIPTION_LIVE_JOINED_COUNT_TYPE_ID,
  ],
];

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
    const counters = {} as Record<keyof PersistentSubscriptionCounters, Counter>;
    for (const [key, name, typeId] of COUNTER_KINDS) counters[key] = await counter(given[key], name, typeId);
    return counters;
  } catch (error) {
    for (const c of allocated) c.close();
    throw error;
  }
}
