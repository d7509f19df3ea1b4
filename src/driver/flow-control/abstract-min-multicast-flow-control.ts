/**
 * Minimum multicast sender flow control over a group of receivers (Aeron 1.51.0 `AbstractMinMulticastFlowControl`),
 * the base of `fc=min` and `fc=tagged`: the sender limit is the slowest tracked receiver's right edge, once the group
 * has its minimum size. Receivers are tracked while they send status messages, identified by receiver id.
 *
 * ```
 *  fc=<strategy>[,t:<duration>][,g:[<tag>][/<minSize>]][,rrwm:<n>]   (other arguments ignored)
 *    t:  receiver timeout (Agrona duration: 5s, 100ms, ...), default aeron.flow.control.receiver.timeout 5 s
 *    g:  group tag (tagged only; min ignores the tag), group min size after '/', default
 *        aeron.flow.control.group.tag -1 / aeron.flow.control.group.min.size 0
 *
 *  onStatusMessage (SM of a matching receiver; min: every receiver, tagged: those with the group tag):
 *    known receiver id   -> its position, right edge (position + window), time, EOS flag updated
 *    new receiver id     -> tracked unless EOS, when there are none yet or its right edge >= min right edge - window
 *                           (one more than a window behind the slowest is left out); fc-receivers := count
 *    returns  count < group min size -> senderLimit
 *             count = 0              -> max(senderLimit, SM right edge)
 *             else                   -> max(senderLimit, min right edge over receivers [and the SETUP limit])
 *  onIdle: receivers with no SM for the timeout or EOS-flagged (by SM or an ERROR frame) are dropped;
 *          returns count < group min size or count = 0 -> senderLimit, else the min right edge [and SETUP limit]
 *  SETUP limit: after an SM with the send-setup flag from a matching receiver, the sender limit when the SETUP went
 *          out caps the limit for one receiver timeout, until a new receiver is tracked
 *  hasRequiredReceivers: count >= group min size
 * ```
 *
 * Subclasses only answer whether a receiver belongs to the group (`statusMessageMatchesTag`, `errorMatchesTag`);
 * the base class handles the frames itself (Java's subclasses call `processStatusMessage`, `processSendSetupTrigger`
 * and `processError`), so a status message costs one call with the time in it.
 *
 * Steady path: no allocation. Receiver ids are compared as int32 words; the receiver objects live in an array that
 * only grows when more receivers are tracked than ever before (a dropped receiver's object is reused). A drop uses a
 * swap with the last tracked receiver (Java 1.51.0 can copy a dropped receiver over a live one when the last and an
 * earlier receiver go in the same `onIdle`; here every live receiver stays). The `fc-receivers` counter is written
 * on a change of count only. (A time past 2^31 ns passed to a call V8 does not inline is boxed by the caller, 16
 * bytes: measured for `onStatusMessage` from a test loop; `onIdle` was inlined there and allocated nothing.)
 */

import { FLOW_CONTROL_PARAM_NAME, parseLongAscii } from '../../logbuffer/channel-uri.ts';
import { ChannelUriError } from '../../logbuffer/channel-uri-error.ts';
import { computePosition } from '../../logbuffer/log-buffer-descriptor.ts';
import type { AtomicCounter } from '../../transport/atomic-counter.ts';
import type { CountersManager } from '../../transport/counters-manager.ts';
import { ERROR_CODE_GENERIC_ERROR } from '../command/control-protocol.ts';
import { ControlProtocolError } from '../driver-error.ts';
import type { UdpChannel } from '../media/udp-channel.ts';
import type { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import { bigIntHighWord, bigIntLowWord } from '../protocol/header-flyweight.ts';
import type { SetupFlyweight } from '../protocol/setup-flyweight.ts';
import { END_OF_STREAM_FLAG, type StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { calculateRetransmissionLength, type FlowControl, retransmitReceiverWindowMultiple } from './flow-control.ts';
import {
  FLOW_CONTROL_CONTEXT_DEFAULTS,
  type FlowControlContext,
  MULTICAST_FLOW_CONTROL_RRWM_DEFAULT,
} from './flow-control-context.ts';
import { allocateFlowControlReceivers } from './flow-control-receivers.ts';

/** No limit from a SETUP (Java `Long.MAX_VALUE`; positions stay below 2^53). */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
/** Agrona's exception for an ASCII number that does not parse (a `NumberFormatException`). */
const ASCII_NUMBER_FORMAT = 'org.agrona.AsciiNumberFormatException';

/** One tracked receiver (Java `AbstractMinMulticastFlowControl.Receiver`). */
class Receiver {
  receiverIdHigh = 0;
  receiverIdLow = 0;
  sessionId = 0;
  streamId = 0;
  lastPosition = 0;
  lastPositionPlusWindow = 0;
  timeOfLastStatusMessageNs = 0;
  eosFlagged = false;
}

/** Min flow control over a group of receivers; subclasses decide which receivers belong (see the module comment). */
export abstract class AbstractMinMulticastFlowControl implements FlowControl {
  readonly #isGroupTagAware: boolean;
  #hasRequiredReceivers = true;
  #groupMinSize = 0;
  #groupTag = 0n;
  #groupTagHigh = 0;
  #groupTagLow = 0;
  #receiverTimeoutNs = FLOW_CONTROL_CONTEXT_DEFAULTS.flowControlReceiverTimeoutNs;
  /** Tracked receivers are `[0, #receiverCount)`; the objects after them are kept for reuse. */
  readonly #receivers: Receiver[] = [];
  #receiverCount = 0;
  #receiverCountCounter: AtomicCounter | null = null;
  #retransmitReceiverWindowMultiple = MULTICAST_FLOW_CONTROL_RRWM_DEFAULT;
  #lastSetupSenderLimit = -1;
  #timeOfLastSetupNs = 0;
  #hasTaggedStatusMessageTriggeredSetup = false;

  /**
   * @param isGroupTagAware whether `g:<tag>` and the context's group tag apply (tagged) or not (min).
   */
  protected constructor(isGroupTagAware: boolean) {
    this.#isGroupTagAware = isGroupTagAware;
  }

  /**
   * Reads the timeout, group tag and group min size from the context and the channel's `fc=`, `rrwm`, and
   * allocates the `fc-receivers` counter. Throws `ControlProtocolError` GENERIC_ERROR
   * (`java.lang.NumberFormatException`) for a `t:` or `g:` value that does not parse.
   */
  initialize(
    context: FlowControlContext,
    countersManager: CountersManager,
    udpChannel: UdpChannel,
    streamId: number,
    sessionId: number,
    registrationId: number,
    _initialTermId: number,
    _termBufferLength: number,
  ): void {
    this.#receiverTimeoutNs = context.flowControlReceiverTimeoutNs;
    this.#setGroupTag(this.#isGroupTagAware ? context.flowControlGroupTag : 0n);
    this.#groupMinSize = context.flowControlGroupMinSize;
    this.#parseUriParam(udpChannel.channelUri.get(FLOW_CONTROL_PARAM_NAME));
    this.#retransmitReceiverWindowMultiple = retransmitReceiverWindowMultiple(
      udpChannel,
      context.multicastFlowControlRetransmitReceiverWindowMultiple,
    );
    this.#hasRequiredReceivers = this.#receiverCount >= this.#groupMinSize;
    this.#receiverCountCounter = allocateFlowControlReceivers(
      countersManager,
      registrationId,
      sessionId,
      streamId,
      udpChannel.originalUriString,
    );
    this.#timeOfLastSetupNs = 0;
    this.#lastSetupSenderLimit = -1;
    this.#hasTaggedStatusMessageTriggeredSetup = false;
  }

  /** Frees the `fc-receivers` counter. */
  close(): void {
    this.#receiverCountCounter?.close();
  }

  /**
   * Tracks the receiver of a status message when it belongs to the group and returns the sender limit (Java
   * `processStatusMessage` with the subclass's tag match).
   */
  onStatusMessage(
    flyweight: StatusMessageFlyweight,
    _receiverAddress: unknown,
    senderLimit: number,
    initialTermId: number,
    positionBitsToShift: number,
    timeNs: number,
  ): number {
    const matchesTag = this.statusMessageMatchesTag(flyweight);
    const position = computePosition(
      flyweight.consumptionTermId(),
      flyweight.consumptionTermOffset(),
      positionBitsToShift,
      initialTermId,
    );
    const windowLength = flyweight.receiverWindowLength();
    const receiverIdHigh = flyweight.receiverIdHigh();
    const receiverIdLow = flyweight.receiverIdLow();
    const lastPositionPlusWindow = position + windowLength;
    const eosFlagged = (flyweight.flags() & END_OF_STREAM_FLAG) === END_OF_STREAM_FLAG;
    let isExisting = false;
    let minPosition = NO_LIMIT;
    if (this.#lastSetupSenderLimit !== -1) {
      if (this.#timeOfLastSetupNs + this.#receiverTimeoutNs - timeNs < 0) this.#lastSetupSenderLimit = -1;
      else minPosition = this.#lastSetupSenderLimit;
    }

    const receivers = this.#receivers;
    let count = this.#receiverCount;
    for (let i = 0; i < count; i++) {
      const receiver = receivers[i]!;
      if (matchesTag && receiver.receiverIdHigh === receiverIdHigh && receiver.receiverIdLow === receiverIdLow) {
        receiver.eosFlagged = eosFlagged;
        receiver.lastPosition = Math.max(position, receiver.lastPosition);
        receiver.lastPositionPlusWindow = lastPositionPlusWindow;
        receiver.timeOfLastStatusMessageNs = timeNs;
        isExisting = true;
      }
      minPosition = Math.min(minPosition, receiver.lastPositionPlusWindow);
    }

    if (
      !isExisting &&
      !eosFlagged &&
      matchesTag &&
      (count === 0 || lastPositionPlusWindow >= minPosition - windowLength)
    ) {
      count = this.#addReceiver(flyweight, receiverIdHigh, receiverIdLow, position, lastPositionPlusWindow, timeNs);
      minPosition = Math.min(minPosition, lastPositionPlusWindow);
    }

    if (count < this.#groupMinSize) return senderLimit;
    if (count === 0) return Math.max(senderLimit, lastPositionPlusWindow);
    return Math.max(senderLimit, minPosition);
  }

  /**
   * A status message asked for a SETUP: remembered when its receiver belongs to the group (Java
   * `processSendSetupTrigger`).
   */
  onTriggerSendSetup(flyweight: StatusMessageFlyweight, _receiverAddress: unknown, _timeNs: number): void {
    if (!this.#hasTaggedStatusMessageTriggeredSetup) {
      this.#hasTaggedStatusMessageTriggeredSetup = this.statusMessageMatchesTag(flyweight);
    }
  }

  /**
   * An ERROR frame from a receiver of the group: the receiver is flagged to be dropped at the next `onIdle` (Java
   * `processError`).
   */
  onError(errorFlyweight: ErrorFlyweight, _receiverAddress: unknown, _timeNs: number): void {
    if (!this.errorMatchesTag(errorFlyweight)) return;
    const receiverIdHigh = errorFlyweight.receiverIdHigh();
    const receiverIdLow = errorFlyweight.receiverIdLow();
    const receivers = this.#receivers;
    for (let i = 0; i < this.#receiverCount; i++) {
      const receiver = receivers[i]!;
      if (receiver.receiverIdHigh === receiverIdHigh && receiver.receiverIdLow === receiverIdLow) {
        receiver.eosFlagged = true;
        break;
      }
    }
  }

  /** Records the SETUP's sender limit when a matching receiver asked for it and receivers are tracked. */
  onSetup(
    _flyweight: SetupFlyweight,
    senderLimit: number,
    _senderPosition: number,
    _positionBitsToShift: number,
    timeNs: number,
  ): number {
    if (this.#hasTaggedStatusMessageTriggeredSetup && this.#receiverCount > 0) {
      this.#timeOfLastSetupNs = timeNs;
      this.#lastSetupSenderLimit = senderLimit;
    }
    this.#hasTaggedStatusMessageTriggeredSetup = false;
    return senderLimit;
  }

  /** Drops timed-out and EOS-flagged receivers; returns the sender limit (see the module comment). */
  onIdle(timeNs: number, senderLimit: number, _senderPosition: number, _isEos: boolean): number {
    let minLimitPosition = this.#lastSetupSenderLimitAt(timeNs);
    const receivers = this.#receivers;
    const timeoutNs = this.#receiverTimeoutNs;
    const before = this.#receiverCount;
    let count = before;

    for (let i = count - 1; i >= 0; i--) {
      const receiver = receivers[i]!;
      if (receiver.timeOfLastStatusMessageNs + timeoutNs - timeNs < 0 || receiver.eosFlagged) {
        count--;
        receivers[i] = receivers[count]!;
        receivers[count] = receiver;
      } else {
        minLimitPosition = Math.min(minLimitPosition, receiver.lastPositionPlusWindow);
      }
    }

    if (count !== before) {
      this.#receiverCount = count;
      this.#hasRequiredReceivers = count >= this.#groupMinSize;
      this.#receiverCountCounter?.set(count);
    }

    return count < this.#groupMinSize || count === 0 ? senderLimit : minLimitPosition;
  }

  /** Whether the tracked receivers have reached the group min size. */
  hasRequiredReceivers(): boolean {
    return this.#hasRequiredReceivers;
  }

  /** `calculateRetransmissionLength` with this strategy's `rrwm` (multicast default 4). */
  maxRetransmissionLength(
    termOffset: number,
    resendLength: number,
    termBufferLength: number,
    _mtuLength: number,
  ): number {
    return calculateRetransmissionLength(
      resendLength,
      termBufferLength,
      termOffset,
      this.#retransmitReceiverWindowMultiple,
    );
  }

  /** The receiver timeout in force (ns). Java: `receiverTimeoutNs()`. */
  receiverTimeoutNs(): number {
    return this.#receiverTimeoutNs;
  }

  /** Whether the strategy uses a group tag (tagged). Java: `hasGroupTag()`. */
  hasGroupTag(): boolean {
    return this.#isGroupTagAware;
  }

  /** The group tag in force (0 for min). Java: `groupTag()`. */
  groupTag(): bigint {
    return this.#groupTag;
  }

  /** The group min size in force. Java: `groupMinSize()`. */
  groupMinSize(): number {
    return this.#groupMinSize;
  }

  /** How many receivers are tracked (the value of `fc-receivers`). */
  receiverCount(): number {
    return this.#receiverCount;
  }

  /**
   * Whether the receiver of a status message belongs to the group (min: every receiver; tagged: by group tag).
   *
   * @param flyweight over the status message.
   */
  protected abstract statusMessageMatchesTag(flyweight: StatusMessageFlyweight): boolean;

  /**
   * Whether the receiver of an error frame belongs to the group.
   *
   * @param errorFlyweight over the error frame.
   */
  protected abstract errorMatchesTag(errorFlyweight: ErrorFlyweight): boolean;

  /** High word of the group tag (hot-path comparisons). */
  protected groupTagHigh(): number {
    return this.#groupTagHigh;
  }

  /** Low word of the group tag as a signed int32 (hot-path comparisons). */
  protected groupTagLow(): number {
    return this.#groupTagLow;
  }

  /** Tracks a new receiver (reusing a dropped receiver's object when there is one); returns the new count. */
  #addReceiver(
    flyweight: StatusMessageFlyweight,
    receiverIdHigh: number,
    receiverIdLow: number,
    position: number,
    lastPositionPlusWindow: number,
    timeNs: number,
  ): number {
    const receivers = this.#receivers;
    const count = this.#receiverCount;
    let receiver = receivers[count];
    if (receiver === undefined) {
      receiver = new Receiver();
      receivers.push(receiver);
    }
    receiver.receiverIdHigh = receiverIdHigh;
    receiver.receiverIdLow = receiverIdLow;
    receiver.sessionId = flyweight.sessionId();
    receiver.streamId = flyweight.streamId();
    receiver.lastPosition = position;
    receiver.lastPositionPlusWindow = lastPositionPlusWindow;
    receiver.timeOfLastStatusMessageNs = timeNs;
    receiver.eosFlagged = false;
    this.#receiverCount = count + 1;
    this.#hasRequiredReceivers = count + 1 >= this.#groupMinSize;
    this.#receiverCountCounter?.set(count + 1);
    this.#lastSetupSenderLimit = -1;
    return count + 1;
  }

  #setGroupTag(groupTag: bigint): void {
    this.#groupTag = groupTag;
    this.#groupTagHigh = bigIntHighWord(groupTag);
    this.#groupTagLow = bigIntLowWord(groupTag);
  }

  #lastSetupSenderLimitAt(nowNs: number): number {
    if (this.#lastSetupSenderLimit !== -1) {
      if (this.#timeOfLastSetupNs + this.#receiverTimeoutNs - nowNs < 0) {
        this.#lastSetupSenderLimit = -1;
      } else {
        return this.#lastSetupSenderLimit;
      }
    }
    return NO_LIMIT;
  }

  #parseUriParam(fcValue: string | undefined): void {
    if (fcValue === undefined) return;
    for (const arg of fcValue.split(',')) {
      if (arg.startsWith('t:')) {
        this.#receiverTimeoutNs = parseReceiverTimeout(arg.substring(2));
      } else if (arg.startsWith('g:')) {
        const groupMinSizeIndex = arg.indexOf('/');
        if (groupMinSizeIndex !== 2 && this.#isGroupTagAware) {
          const lengthToParse = groupMinSizeIndex === -1 ? arg.length - 2 : groupMinSizeIndex - 2;
          this.#setGroupTag(parseNumber(arg, 2, lengthToParse));
        }
        if (groupMinSizeIndex !== -1) {
          const start = groupMinSizeIndex + 1;
          this.#groupMinSize = parseIntAscii(arg, start, arg.length - start);
        }
      }
    }
  }
}

/** Name Java gives the `t:` value in its errors. */
const RECEIVER_TIMEOUT_NAME = 'fc receiver timeout';
/** Nanoseconds per unit of a duration suffix's letter before the final 's' (ns, us, ms). */
const DURATION_UNIT_NS: Readonly<Record<string, number>> = { n: 1, u: 1_000, m: 1_000_000 };

/**
 * Agrona `SystemUtil.parseDuration("fc receiver timeout", value)` with its messages (checked against Java 1.51.0's
 * jar): `<digits>[s|ms|us|ns]`, any case, nanoseconds without a suffix; GENERIC_ERROR standing for Java's
 * `NumberFormatException` (or Agrona's `AsciiNumberFormatException` for the digits).
 */
function parseReceiverTimeout(value: string): number {
  if (value.length === 0) throw numberFormat(`${RECEIVER_TIMEOUT_NAME} must be non-empty: ${value}`);
  if (value.charAt(0) === '-') throw numberFormat(`${RECEIVER_TIMEOUT_NAME} must be positive: ${value}`);
  const shouldEndWith = () => numberFormat(`${RECEIVER_TIMEOUT_NAME}: ${value} should end with: s, ms, us, or ns.`);
  const last = value.charAt(value.length - 1);
  if (last >= '0' && last <= '9') return exactNs(parseNumber(value, 0, value.length), 1, value);
  if (last !== 's' && last !== 'S') throw shouldEndWith();
  const unit = DURATION_UNIT_NS[value.charAt(value.length - 2).toLowerCase()];
  const numberLength = value.length - (unit === undefined ? 1 : 2);
  if (numberLength <= 0) throw shouldEndWith();
  return exactNs(parseNumber(value, 0, numberLength), unit ?? 1_000_000_000, value);
}

/** `count` units in ns; GENERIC_ERROR past 2^53 (Java's long would still hold it; no timeout needs it). */
function exactNs(count: bigint, unitNs: number, value: string): number {
  const ns = count * BigInt(unitNs);
  if (ns > BigInt(Number.MAX_SAFE_INTEGER)) throw numberFormat(`${RECEIVER_TIMEOUT_NAME}: ${value} is too large`);
  return Number(ns);
}

/** Agrona `parseLongAscii`; GENERIC_ERROR (`org.agrona.AsciiNumberFormatException`) when it fails. */
function parseNumber(text: string, index: number, length: number): bigint {
  try {
    return parseLongAscii(text, index, length);
  } catch (e) {
    if (e instanceof ChannelUriError) throw numberFormat(e.message, e, ASCII_NUMBER_FORMAT);
    throw e;
  }
}

/** Agrona `parseIntAscii`: ASCII digits with an optional leading '-', within int32; Agrona's messages otherwise. */
function parseIntAscii(text: string, index: number, length: number): number {
  if (length <= 0) throw numberFormat(`empty string: index=${index} length=${length}`, undefined, ASCII_NUMBER_FORMAT);
  const digits = text.substring(index, index + length);
  if (!/^-?[0-9]+$/.test(digits)) throw numberFormat(`error parsing int: ${digits}`, undefined, ASCII_NUMBER_FORMAT);
  const value = Number(digits);
  if (value < INT32_MIN || value > INT32_MAX) {
    throw numberFormat(`int overflow parsing: ${digits}`, undefined, ASCII_NUMBER_FORMAT);
  }
  return value;
}

function numberFormat(
  message: string,
  cause?: unknown,
  javaExceptionClass = 'java.lang.NumberFormatException',
): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, message, { cause, javaExceptionClass });
}
