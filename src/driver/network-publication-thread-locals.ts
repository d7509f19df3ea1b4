/**
 * The scratch frames the sender builds its own frames in (Aeron 1.51.0 `NetworkPublicationThreadLocals`): one
 * SETUP, one heartbeat (a DATA header without payload) and one RTT measurement frame, shared by every network
 * publication of the sender's thread and rewritten before each send, so nothing is allocated per frame.
 *
 * ```
 *  setup       40 bytes  type SETUP, version 0, frame length 40
 *  heartbeat   32 bytes  type DATA,  version 0, frame length 0 (a heartbeat is a DATA frame of length 0)
 *  rtt         40 bytes  type RTTM,  version 0, frame length 40
 * ```
 */
import {
  CURRENT_VERSION,
  DataHeaderFlyweight,
  HDR_TYPE_DATA,
  HDR_TYPE_RTTM,
  HDR_TYPE_SETUP,
  HEADER_LENGTH,
} from '../logbuffer/data-header-flyweight.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { allocateDirectBuffer } from './media/native-buffer.ts';
import { RTT_MEASUREMENT_HEADER_LENGTH, RttMeasurementFlyweight } from './protocol/rtt-measurement-flyweight.ts';
import { SETUP_HEADER_LENGTH, SetupFlyweight } from './protocol/setup-flyweight.ts';

/** The sender thread's scratch frames; see the module comment. */
export class NetworkPublicationThreadLocals {
  /** The SETUP frame's buffer (`SETUP_HEADER_LENGTH` bytes). */
  readonly setupBuffer: AtomicBuffer;
  /** Flyweight over `setupBuffer`. */
  readonly setupHeader: SetupFlyweight;
  /** The heartbeat frame's buffer (`HEADER_LENGTH` bytes). */
  readonly heartbeatBuffer: AtomicBuffer;
  /** Flyweight over `heartbeatBuffer`. */
  readonly heartbeatDataHeader: DataHeaderFlyweight;
  /** The RTT measurement frame's buffer (`RTT_MEASUREMENT_HEADER_LENGTH` bytes). */
  readonly rttMeasurementBuffer: AtomicBuffer;
  /** Flyweight over `rttMeasurementBuffer`. */
  readonly rttMeasurementHeader: RttMeasurementFlyweight;

  constructor() {
    this.setupBuffer = allocateDirectBuffer(SETUP_HEADER_LENGTH);
    this.setupHeader = new SetupFlyweight().wrap(this.setupBuffer, 0);
    this.setupHeader.setVersion(CURRENT_VERSION).setHeaderType(HDR_TYPE_SETUP).setFrameLength(SETUP_HEADER_LENGTH);

    this.heartbeatBuffer = allocateDirectBuffer(HEADER_LENGTH);
    this.heartbeatDataHeader = new DataHeaderFlyweight().wrap(this.heartbeatBuffer, 0);
    this.heartbeatDataHeader.setVersion(CURRENT_VERSION).setHeaderType(HDR_TYPE_DATA).setFrameLength(0);

    this.rttMeasurementBuffer = allocateDirectBuffer(RTT_MEASUREMENT_HEADER_LENGTH);
    this.rttMeasurementHeader = new RttMeasurementFlyweight().wrap(this.rttMeasurementBuffer, 0);
    this.rttMeasurementHeader
      .setVersion(CURRENT_VERSION)
      .setHeaderType(HDR_TYPE_RTTM)
      .setFrameLength(RTT_MEASUREMENT_HEADER_LENGTH);
  }
}
