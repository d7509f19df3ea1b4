/**
 * Polls the control response stream for the next ControlResponse (1), Challenge (59) or RecordingSignalEvent (24)
 * of any control session, one message per completed poll, as Java's `ControlResponsePoller`. The reading is
 * `ControlMessagePoller`'s (control-message-poller.ts), which `RecordingSignalPoller` shares.
 */
import { ControlMessagePoller, FRAGMENT_LIMIT } from './control-message-poller.ts';
import type { ControlSubscription } from './control-transport.ts';

export { FRAGMENT_LIMIT };

/** Java `ControlResponsePoller` (see the module comment). Dispatches nothing: the caller reads the fields. */
export class ControlResponsePoller extends ControlMessagePoller {
  /**
   * @param subscription the control response subscription polled.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(subscription: ControlSubscription, fragmentLimit: number = FRAGMENT_LIMIT) {
    super(subscription, fragmentLimit, { controlSessionId: null, takesChallenge: true });
  }

  /** Control session id of the message read. */
  controlSessionId(): number {
    return this.messageControlSessionId();
  }
}
