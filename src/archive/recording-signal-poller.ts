/**
 * Java `RecordingSignalPoller`: polls a control response stream for the ControlResponses and
 * RecordingSignalEvents of one control session, one message per completed poll. For applications that poll a
 * session's response stream themselves; `AeronArchive` dispatches signals on its own. The reading is
 * `ControlMessagePoller`'s (control-message-poller.ts), which `ControlResponsePoller` shares.
 *
 * The 64-bit fields returned as `number` are exact or refused: `relevantId()` and the signal getters throw
 * `ArchiveValueRangeError` when the value sent is not exactly representable (the message is consumed all the
 * same); `relevantIdBigInt()` is always exact (a replay session id answering a ReplayRequest needs it).
 */
import { ControlMessagePoller, FRAGMENT_LIMIT } from './control-message-poller.ts';
import type { ControlSubscription } from './control-transport.ts';

/** Java `RecordingSignalPoller` (see the module comment). Dispatches nothing: the caller reads the fields. */
export class RecordingSignalPoller extends ControlMessagePoller {
  /** The session whose responses and signals are read. */
  readonly controlSessionId: number;

  /**
   * @param controlSessionId the session whose responses and signals are read (others are skipped).
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(controlSessionId: number, subscription: ControlSubscription, fragmentLimit: number = FRAGMENT_LIMIT) {
    super(subscription, fragmentLimit, { controlSessionId, takesChallenge: false });
    this.controlSessionId = controlSessionId;
  }

  /** A signal's subscription id (Java's name; also `subscriptionId()`). */
  recordingSubscriptionId(): number {
    return this.subscriptionId();
  }
  /** A signal's position (Java's name; also `position()`). */
  recordingPosition(): number {
    return this.position();
  }
}
