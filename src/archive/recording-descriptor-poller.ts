/**
 * Java `RecordingDescriptorPoller`: the RecordingDescriptors (22) answering one listing request,
 * ended by RECORDING_UNKNOWN. The polling logic is `ListingPoller`'s.
 */
import { ControlResponseCode, RecordingDescriptorDecoder } from '../../codecs/generated/archive/index.ts';
import type { ControlSubscription } from './control-transport.ts';
import { ListingPoller } from './listing-poller.ts';
import { type RecordingDescriptor, recordingDescriptorOf } from './recording-descriptor.ts';
import type { RecordingSignalConsumer } from './recording-signal.ts';

/** Java `RecordingDescriptorPoller`: a listing of RecordingDescriptors for one request (see `ListingPoller`). */
export class RecordingDescriptorPoller extends ListingPoller<RecordingDescriptorDecoder, RecordingDescriptor> {
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
        decoder: new RecordingDescriptorDecoder(),
        templateId: RecordingDescriptorDecoder.TEMPLATE_ID,
        endCode: ControlResponseCode.RECORDING_UNKNOWN,
        toItem: recordingDescriptorOf,
      },
      fragmentLimit,
    );
  }

  /** How many more descriptors the listing may deliver (Java `RecordingDescriptorPoller.remainingRecordCount`). */
  remainingRecordCount(): number {
    return this.remaining();
  }
}
