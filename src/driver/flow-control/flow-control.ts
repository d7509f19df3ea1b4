/**
 * Sender flow control (Aeron 1.51.0 `FlowControl`): the strategy a network publication asks for its sender limit,
 * how far it may send, from the status messages (SMs) of its receivers.
 *
 * ```
 *  strategy                    fc=      chosen by                          sender limit
 *  UnicastFlowControl          (none)   unicast channels                   max(limit, SM position + window)
 *  MaxMulticastFlowControl     max      multicast / MDC without fc=        max(limit, SM position + window)
 *  MinMulticastFlowControl     min      fc=min[,t:<timeout>][,g:/<min>]    min over tracked receivers of
 *  TaggedMulticastFlowControl  tagged   fc=tagged[,g:<tag>[/<min>]][,t:..] position + window (tagged: receivers
 *                                                                          whose SM carries the group tag)
 *  every strategy also reads rrwm:<n> from fc= (retransmit receiver window multiple)
 *
 *  SM position = computePosition(consumptionTermId, consumptionTermOffset, positionBitsToShift, initialTermId)
 *  retransmit length = min(NAK length, term length - termOffset, min(128 KiB, term / 2) x rrwm)
 * ```
 *
 * The publication calls `onStatusMessage` per SM, `onIdle` per sender duty cycle, `onTriggerSendSetup` for an SM
 * with the send-setup flag, `onSetup` per SETUP it sends, `onError` per ERROR frame, and asks `hasRequiredReceivers`
 * for its connected state. Positions and times are numbers (exact below 2^53), receiver ids int32 words.
 */
import { FLOW_CONTROL_PARAM_NAME } from '../../logbuffer/channel-uri.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import { ERROR_CODE_GENERIC_ERROR } from '../command/control-protocol.ts';
import { INITIAL_WINDOW_LENGTH_DEFAULT } from '../configuration.ts';
import { ControlProtocolError } from '../driver-error.ts';
import type { UdpChannel } from '../media/udp-channel.ts';
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import type { SetupFlyweight } from '../protocol/setup-flyweight.ts';
import type { StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import type { FlowControlContext } from './flow-control-context.ts';

/** The `fc=` argument naming the retransmit receiver window multiple (`rrwm:<n>`). */
const RRWM_PREFIX = 'rrwm:';

/** A sender flow control strategy (Java `FlowControl`); see the module comment. */
export interface FlowControl {
  /**
   * Reads the strategy's settings from the driver context and the channel's `fc=`, and allocates its counters.
   * Throws `ControlProtocolError` (GENERIC_ERROR, Java's exception class) for an `fc=` value Java refuses.
   *
   * @param context the driver's flow control settings.
   * @param countersManager for the strategy's counters (min and tagged: `fc-receivers`).
   * @param udpChannel the publication's channel.
   * @param streamId the publication's stream id.
   * @param sessionId the publication's session id.
   * @param registrationId the publication's registration id.
   * @param initialTermId the publication's initial term id.
   * @param termBufferLength the publication's term length.
   */
  initialize(
    context: FlowControlContext,
    countersManager: CountersManager,
    udpChannel: UdpChannel,
    streamId: number,
    sessionId: number,
    registrationId: number,
    initialTermId: number,
    termBufferLength: number,
  ): void;

  /**
   * A status message arrived: returns the new sender limit.
   *
   * @param flyweight over the status message.
   * @param receiverAddress where it came from (unused by Aeron's strategies).
   * @param senderLimit the current sender limit.
   * @param initialTermId of the publication.
   * @param positionBitsToShift of the publication's term length.
   * @param timeNs the current time (ns).
   */
  onStatusMessage(
    flyweight: StatusMessageFlyweight,
    receiverAddress: unknown,
    senderLimit: number,
    initialTermId: number,
    positionBitsToShift: number,
    timeNs: number,
  ): number;

  /**
   * A status message with the send-setup flag arrived (the publication will send a SETUP).
   *
   * @param flyweight over the status message.
   * @param receiverAddress where it came from.
   * @param timeNs the current time (ns).
   */
  onTriggerSendSetup(flyweight: StatusMessageFlyweight, receiverAddress: unknown, timeNs: number): void;

  /**
   * A SETUP elicited by a status message is being sent: returns the new sender limit.
   *
   * @param flyweight over the SETUP.
   * @param senderLimit the current sender limit.
   * @param senderPosition the sender position.
   * @param positionBitsToShift of the publication's term length.
   * @param timeNs the current time (ns).
   */
  onSetup(
    flyweight: SetupFlyweight,
    senderLimit: number,
    senderPosition: number,
    positionBitsToShift: number,
    timeNs: number,
  ): number;

  /**
   * An ERROR frame from a receiver arrived (min and tagged: the receiver is dropped at the next `onIdle`).
   *
   * @param errorFlyweight over the error frame.
   * @param receiverAddress where it came from.
   * @param timeNs the current time (ns).
   */
  onError(errorFlyweight: ErrorFlyweight, receiverAddress: unknown, timeNs: number): void;

  /**
   * Sender duty cycle housekeeping (receiver timeouts): returns the sender limit.
   *
   * @param timeNs the current time (ns).
   * @param senderLimit the current sender limit.
   * @param senderPosition the sender position.
   * @param isEos whether the publication is at end of stream.
   */
  onIdle(timeNs: number, senderLimit: number, senderPosition: number, isEos: boolean): number;

  /** Whether the group of receivers the strategy requires is there (feeds the publication's connected state). */
  hasRequiredReceivers(): boolean;

  /**
   * The length to retransmit for a NAK (see the module comment).
   *
   * @param termOffset of the NAK.
   * @param resendLength of the NAK.
   * @param termBufferLength of the publication.
   * @param mtuLength of the publication.
   */
  maxRetransmissionLength(
    termOffset: number,
    resendLength: number,
    termBufferLength: number,
    mtuLength: number,
  ): number;

  /** Frees the strategy's counters. */
  close(): void;
}

/**
 * Java `Configuration.receiverWindowLength`: the window a receiver grants, the initial window capped at half a term.
 *
 * @param termBufferLength the term length.
 * @param initialWindowLength the configured initial window.
 */
export function receiverWindowLength(termBufferLength: number, initialWindowLength: number): number {
  return Math.min(initialWindowLength, termBufferLength >> 1);
}

/**
 * Java `FlowControl.calculateRetransmissionLength`: `resendLength` clamped to the end of the term and to the
 * estimated receiver window (`min(128 KiB, term / 2)`) times `retransmitReceiverWindowMultiple`.
 *
 * @param resendLength the NAK's length.
 * @param termBufferLength the term length.
 * @param termOffset the NAK's offset.
 * @param retransmitReceiverWindowMultiple the strategy's `rrwm`.
 */
export function calculateRetransmissionLength(
  resendLength: number,
  termBufferLength: number,
  termOffset: number,
  retransmitReceiverWindowMultiple: number,
): number {
  const lengthToEndOfTerm = termBufferLength - termOffset;
  const estimatedRetransmitLength =
    receiverWindowLength(termBufferLength, INITIAL_WINDOW_LENGTH_DEFAULT) * retransmitReceiverWindowMultiple;
  return lengthToEndOfTerm < estimatedRetransmitLength
    ? Math.min(lengthToEndOfTerm, resendLength)
    : Math.min(estimatedRetransmitLength, resendLength);
}

/**
 * Java `FlowControl.retransmitReceiverWindowMultiple`: the `rrwm:<n>` argument of the channel's `fc=`, else
 * `defaultMultiple`. Throws `ControlProtocolError` GENERIC_ERROR as Java throws `NumberFormatException` (not an
 * int) or `IllegalArgumentException` (`Invalid retransmit receiver window multiple: <n>` for n <= 0).
 *
 * @param udpChannel the publication's channel.
 * @param defaultMultiple the driver's default for the strategy (unicast 16, multicast 4).
 */
export function retransmitReceiverWindowMultiple(udpChannel: UdpChannel, defaultMultiple: number): number {
  const fcValue = udpChannel.channelUri.get(FLOW_CONTROL_PARAM_NAME);
  if (fcValue !== undefined) {
    for (const arg of fcValue.split(',')) {
      if (arg.startsWith(RRWM_PREFIX)) {
        const rrwm = javaParseInt(arg.substring(RRWM_PREFIX.length));
        if (rrwm <= 0) {
          throw illegalArgument(`Invalid retransmit receiver window multiple: ${rrwm}`);
        }
        return rrwm;
      }
    }
  }
  return defaultMultiple;
}

/**
 * Java's `Integer.parseInt`: an optional sign and decimal digits within int32; `ControlProtocolError` GENERIC_ERROR
 * (`java.lang.NumberFormatException`, `For input string: "<text>"`) otherwise.
 */
function javaParseInt(text: string): number {
  if (/^[+-]?[0-9]+$/.test(text)) {
    const value = Number(text);
    if (value === (value | 0)) return value;
  }
  throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, `For input string: "${text}"`, {
    javaExceptionClass: 'java.lang.NumberFormatException',
  });
}

/**
 * A `ControlProtocolError` GENERIC_ERROR standing for Java's `IllegalArgumentException` (the client sees
 * `java.lang.IllegalArgumentException : <message>`).
 *
 * @param message the exception's message.
 */
export function illegalArgument(message: string): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, message, {
    javaExceptionClass: 'java.lang.IllegalArgumentException',
  });
}
