/**
 * Min multicast sender flow control (Aeron 1.51.0 `MinMulticastFlowControl`, `fc=min`): the sender limit follows the
 * slowest of every receiver sending status messages, once `g:/<minSize>` of them are tracked. Rules in
 * `abstract-min-multicast-flow-control.ts`; every receiver matches, the group tag is not used.
 */
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import type { StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { AbstractMinMulticastFlowControl } from './abstract-min-multicast-flow-control.ts';

/** `fc=min`: the slowest receiver of all. */
export class MinMulticastFlowControl extends AbstractMinMulticastFlowControl {
  /** The `fc=` value choosing this strategy (Java `FC_PARAM_VALUE`). */
  static readonly FC_PARAM_VALUE = 'min';

  /** A strategy to `initialize`. */
  constructor() {
    super(false);
  }

  /** Every receiver belongs to the group. */
  protected statusMessageMatchesTag(_flyweight: StatusMessageFlyweight): boolean {
    return true;
  }

  /** Every receiver belongs to the group. */
  protected errorMatchesTag(_errorFlyweight: ErrorFlyweight): boolean {
    return true;
  }
}
