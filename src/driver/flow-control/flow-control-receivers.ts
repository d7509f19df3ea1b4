/**
 * The `fc-receivers` counter of min and tagged flow control (Aeron 1.51.0 `FlowControlReceivers`): how many receivers
 * the strategy tracks for a publication, in `StreamCounter`'s key and label layout.
 *
 * ```
 *  type id 17 (FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID)
 *  key:    +0 int64 registrationId  +8 int32 sessionId  +12 int32 streamId  +16 int32 channel length  +20 channel
 *  label:  "fc-receivers: <registrationId> <sessionId> <streamId> <channel>"
 *  registration id = the publication's, owner id = -1 (Aeron NULL_VALUE: no client owns it)
 * ```
 */
import { FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID } from '../../transport/aeron-counters.ts';
import { AtomicCounter } from '../../transport/atomic-counter.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import { allocateStreamCounterId } from '../stream-counter.ts';

/** `FlowControlReceivers.NAME`. */
export const FLOW_CONTROL_RECEIVERS_NAME = 'fc-receivers';

/**
 * Allocates a publication's `fc-receivers` counter (Java `FlowControlReceivers.allocate`).
 *
 * @param countersManager to allocate from.
 * @param registrationId the publication's registration id.
 * @param sessionId the publication's session id.
 * @param streamId the publication's stream id.
 * @param channel the publication's channel (original URI string).
 */
export function allocateFlowControlReceivers(
  countersManager: CountersManager,
  registrationId: number,
  sessionId: number,
  streamId: number,
  channel: string,
): AtomicCounter {
  const counterId = allocateStreamCounterId(
    countersManager,
    FLOW_CONTROL_RECEIVERS_NAME,
    FLOW_CONTROL_RECEIVERS_COUNTER_TYPE_ID,
    { clientId: -1, registrationId, sessionId, streamId, channel },
    null,
  );
  return new AtomicCounter(countersManager.valuesBuffer, counterId, countersManager);
}
