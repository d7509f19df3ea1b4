/**
 * Receiver-side congestion control of a publication image (Java 1.51.0 `CongestionControl` and
 * `StaticWindowCongestionControl`, the default `cc=static`): the receiver window advertised in status messages
 * and whether one must be sent now.
 *
 * ```
 *  outcome of onTrackRebuild (Java packs it into one long; here two numbers, no packing needed):
 *    receiverWindowLength   bytes the sender may run ahead of the slowest subscriber
 *    forceStatusMessage     true = send a status message now
 *
 *  static window = min(rcv-wnd of the channel, or the driver's initial window (128 KiB), termLength / 2)
 * ```
 *
 * The image asks `onTrackRebuild` once per conductor duty cycle and sends a status message when the window
 * changed, when it is forced, or when subscribers moved more than `threshold(window)` (a quarter) past the
 * last one sent.
 */

import { INITIAL_WINDOW_LENGTH_DEFAULT } from './configuration.ts';

/** Java `CongestionControl.FORCE_STATUS_MESSAGE_BIT`. */
export const FORCE_STATUS_MESSAGE_BIT = 0x1;

/** The `cc=` URI value that selects {@link StaticWindowCongestionControl} (Java `CC_PARAM_VALUE`). */
export const STATIC_CC_PARAM_VALUE = 'static';

/**
 * The receiver window for a term length: `min(initialWindowLength, termLength / 2)`. Java:
 * `Configuration.receiverWindowLength`.
 */
export function receiverWindowLength(termLength: number, initialWindowLength: number): number {
  return Math.min(initialWindowLength, termLength >> 1);
}

/** How far subscribers must move past the last status message before another is due. Java: `CongestionControl.threshold`. */
export function statusMessageThreshold(windowLength: number): number {
  return windowLength >> 2;
}

/** The decision of {@link CongestionControl.onTrackRebuild}; reused by the implementation (no allocation). */
export interface CongestionControlOutcome {
  /** Receiver window to advertise (bytes). */
  receiverWindowLength: number;
  /** Send a status message now. */
  forceStatusMessage: boolean;
}

/** Receiver-side congestion control of one image. Java: `io.aeron.driver.CongestionControl`. */
export interface CongestionControl {
  /** Whether an RTT measurement should be started now. */
  shouldMeasureRtt(nowNs: number): boolean;
  /** An RTT measurement request was sent at `nowNs`. */
  onRttMeasurementSent(nowNs: number): void;
  /** An RTT measurement reply came back: `rttNs` measured at `nowNs`. */
  onRttMeasurement(nowNs: number, rttNs: number): void;
  /**
   * Called as the image's rebuild position is tracked (once per conductor duty cycle). Returns the window to
   * advertise and whether to force a status message; the returned object may be reused by the next call.
   */
  onTrackRebuild(
    nowNs: number,
    newConsumptionPosition: number,
    lastSmPosition: number,
    hwmPosition: number,
    startingRebuildPosition: number,
    endingRebuildPosition: number,
    lossOccurred: boolean,
  ): CongestionControlOutcome;
  /** The window advertised before the first `onTrackRebuild`. */
  initialWindowLength(): number;
  /** The largest window this control may advertise. */
  maxWindowLength(): number;
  /** Frees what the control holds (counters). */
  close(): void;
}

/**
 * A fixed receiver window (Java `StaticWindowCongestionControl`): `rcv-wnd` of the channel if set, else the
 * driver's initial window, capped at half the term. Never forces a status message, never measures RTT.
 */
export class StaticWindowCongestionControl implements CongestionControl {
  readonly #outcome: CongestionControlOutcome;

  /**
   * @param termLength the image's term length.
   * @param channelReceiverWindowLength the channel's `rcv-wnd` (0 = not set).
   * @param initialWindowLength the driver's `aeron.rcv.initial.window.length` (default 128 KiB).
   */
  constructor(
    termLength: number,
    channelReceiverWindowLength: number,
    initialWindowLength: number = INITIAL_WINDOW_LENGTH_DEFAULT,
  ) {
    const window = channelReceiverWindowLength !== 0 ? channelReceiverWindowLength : initialWindowLength;
    this.#outcome = { receiverWindowLength: receiverWindowLength(termLength, window), forceStatusMessage: false };
  }

  /** Never: a static window needs no RTT. */
  shouldMeasureRtt(_nowNs: number): boolean {
    return false;
  }

  /** Nothing to do. */
  onRttMeasurementSent(_nowNs: number): void {}

  /** Nothing to do. */
  onRttMeasurement(_nowNs: number, _rttNs: number): void {}

  /** The fixed window, never forcing a status message. */
  onTrackRebuild(
    _nowNs: number,
    _newConsumptionPosition: number,
    _lastSmPosition: number,
    _hwmPosition: number,
    _startingRebuildPosition: number,
    _endingRebuildPosition: number,
    _lossOccurred: boolean,
  ): CongestionControlOutcome {
    return this.#outcome;
  }

  /** The fixed window. */
  initialWindowLength(): number {
    return this.#outcome.receiverWindowLength;
  }

  /** The fixed window. */
  maxWindowLength(): number {
    return this.#outcome.receiverWindowLength;
  }

  /** Nothing to free. */
  close(): void {}
}
