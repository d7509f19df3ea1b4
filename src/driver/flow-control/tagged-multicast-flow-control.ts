/**
 * Tagged multicast sender flow control (Aeron 1.51.0 `TaggedMulticastFlowControl`, `fc=tagged`): the sender limit
 * follows the slowest receiver of a group, the receivers whose status messages carry the group tag
 * (`fc=tagged,g:<tag>`, else `aeron.flow.control.group.tag`, -1). Rules in `abstract-min-multicast-flow-control.ts`.
 *
 * ```
 *  SM matches when  its application specific feedback is 8 bytes equal to the group tag (a receiver's gtag=), or
 *                   it is 4..7 or more than 8 bytes whose first 4 are FF FF FF FF (the deprecated
 *                   PreferredMulticastFlowControl ASF, its default value; aeron.PreferredMulticastFlowControl.asf
 *                   is not read)
 *  ERROR matches    when it has the has-group-tag flag and its group tag equals the group tag
 * ```
 *
 * The comparisons read int32 words: no allocation.
 */
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import { SM_GROUP_TAG_FIELD_OFFSET, type StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { AbstractMinMulticastFlowControl } from './abstract-min-multicast-flow-control.ts';

/** First byte value of the legacy preferred-ASF default (`FFFFFFFFFFFFFFFF`). */
const PREFERRED_ASF_BYTE = 0xff;

/** `fc=tagged`: the slowest receiver of the tagged group. */
export class TaggedMulticastFlowControl extends AbstractMinMulticastFlowControl {
  /** The `fc=` value choosing this strategy (Java `FC_PARAM_VALUE`). */
  static readonly FC_PARAM_VALUE = 'tagged';

  /** A strategy to `initialize`. */
  constructor() {
    super(true);
  }

  /** Whether the error frame has the has-group-tag flag and the group tag. */
  protected errorMatchesTag(errorFlyweight: ErrorFlyweight): boolean {
    return (
      errorFlyweight.hasGroupTag() &&
      errorFlyweight.groupTagHigh() === this.groupTagHigh() &&
      errorFlyweight.groupTagLow() === this.groupTagLow()
    );
  }

  /** Whether the status message carries the group tag, or the legacy preferred ASF (see the module comment). */
  protected statusMessageMatchesTag(flyweight: StatusMessageFlyweight): boolean {
    const asfLength = flyweight.asfLength();
    if (asfLength === 8) {
      return flyweight.groupTagHigh() === this.groupTagHigh() && flyweight.groupTagLow() === this.groupTagLow();
    }
    if (asfLength >= 4) {
      const buffer = flyweight.buffer();
      const offset = flyweight.offset() + SM_GROUP_TAG_FIELD_OFFSET;
      return (
        buffer.getUint8(offset) === PREFERRED_ASF_BYTE &&
        buffer.getUint8(offset + 1) === PREFERRED_ASF_BYTE &&
        buffer.getUint8(offset + 2) === PREFERRED_ASF_BYTE &&
        buffer.getUint8(offset + 3) === PREFERRED_ASF_BYTE
      );
    }
    return false;
  }
}
