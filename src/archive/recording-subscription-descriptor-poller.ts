/**
 * Java `RecordingSubscriptionDescriptorPoller`: the RecordingSubscriptionDescriptors (23) answering one
 * listing request, ended by SUBSCRIPTION_UNKNOWN. The polling logic is `ListingPoller`'s.
 */
import { ControlResponseCode, RecordingSubscriptionDescriptorDecoder } from '../../codecs/generated/archive/index.ts';
import type { ControlSubscription } from './control-transport.ts';
import { ListingPoller } from './listing-poller.ts';
import { type RecordingSubscriptionDescriptor, recordingSubscriptionDescriptorOf } from './recording-descriptor.ts';
import type { RecordingSignalConsumer } from './recording-signal.ts';

/** Java `RecordingSubscriptionDescriptorPoller`: a listing of active recording subscriptions (see `ListingPoller`). */
export class RecordingSubscriptionDescriptorPoller extends ListingPoller<
  RecordingSubscriptionDescriptorDecoder,
  RecordingSubscriptionDescriptor
> {
  /**
   * @param subscription the control response subscription.
   * @param controlSessionId the session whose listing this is.
   * @param errorHandler receives ERRORs for other requests of the session (null: dropped).
   * @param signalConsumer receives the session's recording signals met on the way.
   * @param fragmentLimit messages per poll (Java's default is 10).
   */
  constructor(
    subscription: ControlSubscription,
    controlSessionId: number,
    errorHandler: ((error: unknown) => void) | null,
    signalConsumer: RecordingSignalConsumer | null,
    fragmentLimit = 10,
  ) {
    super(
      subscription,
      controlSessionId,
      errorHandler,
      signalConsumer,
      {
        decoder: new RecordingSubscriptionDescriptorDecoder(),
        templateId: RecordingSubscriptionDescriptorDecoder.TEMPLATE_ID,
        endCode: ControlResponseCode.SUBSCRIPTION_UNKNOWN,
        toItem: recordingSubscriptionDescriptorOf,
      },
      fragmentLimit,
    );
  }

  /** How many more subscription descriptors the listing may deliver (Java `RecordingSubscriptionDescriptorPoller.remainingSubscriptionCount`). */
  remainingSubscriptionCount(): number {
    return this.remaining();
  }
}
