/**
 * Retransmits requested by NAKs (Aeron 1.51.0 `RetransmitHandler`, `RetransmitSender`): a sender keeps a small,
 * preallocated pool of retransmit actions; a NAK takes one, waits the retransmit delay, resends, then lingers so
 * that duplicate NAKs for the same range (from the same or other receivers) are ignored.
 *
 * ```
 *  pool size:  group semantics (multicast, MDC): max-resend (channel `max-resend`, aeron.max.resend, 16)
 *              unicast: 1
 *
 *  action:     INACTIVE --onNak, delay > 0--> DELAYED --expiry--> resend, LINGERING --expiry--> INACTIVE
 *              INACTIVE --onNak, delay = 0--> resend, LINGERING
 *              DELAYED  --onRetransmitReceived (same termId and termOffset)--> INACTIVE
 *
 *  onNak(termId, termOffset, length, termLength, mtuLength, flowControl, sender):
 *    termOffset > termLength - 32, termOffset < 0 or length < 0  -> invalid packets + 1, ignored
 *    length 0                                                     -> ignored
 *    length := flowControl.maxRetransmissionLength(termOffset, length, termLength, mtuLength)
 *    an active action of the same termId with actionOffset <= termOffset < actionOffset + actionLength
 *                                                                 -> ignored (already delayed or lingering)
 *    unicast: the one action is reused for a NAK it does not cover
 *    group:   the first inactive action; none left -> retransmit overflow + 1, ignored
 * ```
 *
 * Expiry uses Java's wrap-safe comparison `expiryNs - nowNs < 0`. Times come from the sender's cached clock.
 * Nothing allocates after construction (indexed loops over the pool, no iterators).
 */
import { HEADER_LENGTH } from '../logbuffer/data-header-flyweight.ts';
import type { FeedbackDelayGenerator } from './feedback-delay-generator.ts';

/** Sends a retransmit of a range of a term (Java `RetransmitSender`): the network publication implements it. */
export interface RetransmitSender {
  /**
   * Resends the data of `termId` from `termOffset` for `length` bytes.
   *
   * @param termId the term holding the data.
   * @param termOffset the offset of the data in the term.
   * @param length the number of bytes to resend.
   */
  resend(termId: number, termOffset: number, length: number): void;
}

/** The part of a flow control strategy a retransmit needs: its clamp of the retransmit length (`FlowControl`). */
export interface RetransmitLengthLimit {
  /**
   * The length to retransmit for a NAK: at most `resendLength`, to the end of the term, within the receiver
   * window multiple (Java `FlowControl.maxRetransmissionLength`).
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
}

/** A counter the handler increments (an `AtomicCounter`: INVALID_PACKETS, RETRANSMIT_OVERFLOW). */
export interface IncrementableCounter {
  /** Adds one; returns the previous value. */
  increment(): number;
}

const INACTIVE = 0;
const DELAYED = 1;
const LINGERING = 2;

/**
 * One pooled retransmit (Java `RetransmitHandler.RetransmitAction`). Its state changes are written inline by the
 * handler rather than through methods: a double (a time) passed to a call V8 does not inline is boxed.
 */
class RetransmitAction {
  expiryNs = 0;
  termId = 0;
  termOffset = 0;
  length = 0;
  state = INACTIVE;
}

/** Tracks NAKed ranges and sends their retransmits; see the module comment. */
export class RetransmitHandler {
  readonly #pool: RetransmitAction[];
  readonly #nanoClock: () => number;
  readonly #delayGenerator: FeedbackDelayGenerator;
  readonly #lingerTimeoutGenerator: FeedbackDelayGenerator;
  readonly #invalidPackets: IncrementableCounter;
  readonly #hasGroupSemantics: boolean;
  readonly #retransmitOverflowCounter: IncrementableCounter;
  #activeRetransmitCount = 0;

  /**
   * @param nanoClock the time actions are delayed and lingered from (Java: the sender's cached nano clock).
   * @param invalidPackets incremented for a NAK outside the term (system counter INVALID_PACKETS).
   * @param delayGenerator the retransmit delay (`aeron.retransmit.unicast.delay`, 0 by default: at once).
   * @param lingerTimeoutGenerator the linger after a retransmit (`aeron.retransmit.unicast.linger`, 10 ms).
   * @param hasGroupSemantics multicast or MDC (`UdpChannel.hasGroupSemantics`): `maxRetransmits` actions, else 1.
   * @param maxRetransmits the pool size with group semantics (the publication's `max-resend`, 1..256).
   * @param retransmitOverflowCounter incremented when a group NAK finds no free action (RETRANSMIT_OVERFLOW).
   */
  constructor(
    nanoClock: () => number,
    invalidPackets: IncrementableCounter,
    delayGenerator: FeedbackDelayGenerator,
    lingerTimeoutGenerator: FeedbackDelayGenerator,
    hasGroupSemantics: boolean,
    maxRetransmits: number,
    retransmitOverflowCounter: IncrementableCounter,
  ) {
    this.#nanoClock = nanoClock;
    this.#invalidPackets = invalidPackets;
    this.#delayGenerator = delayGenerator;
    this.#lingerTimeoutGenerator = lingerTimeoutGenerator;
    this.#hasGroupSemantics = hasGroupSemantics;
    this.#retransmitOverflowCounter = retransmitOverflowCounter;
    const poolSize = hasGroupSemantics ? maxRetransmits : 1;
    this.#pool = new Array<RetransmitAction>(poolSize);
    for (let i = 0; i < poolSize; i++) this.#pool[i] = new RetransmitAction();
  }

  /** Actions currently delayed or lingering. */
  get activeRetransmitCount(): number {
    return this.#activeRetransmitCount;
  }

  /**
   * A NAK arrived: validate it, clamp its length, and retransmit now (delay 0) or after the delay, unless an
   * action already covers `termOffset` (see the module comment).
   *
   * @param termId the NAK's term id.
   * @param termOffset the NAK's term offset.
   * @param length the NAK's length.
   * @param termLength the publication's term length.
   * @param mtuLength the publication's MTU.
   * @param flowControl the publication's flow control (clamps the length).
   * @param retransmitSender resends at once when the delay is 0.
   */
  onNak(
    termId: number,
    termOffset: number,
    length: number,
    termLength: number,
    mtuLength: number,
    flowControl: RetransmitLengthLimit,
    retransmitSender: RetransmitSender,
  ): void {
    if (this.#isInvalid(termOffset, termLength, length) || length === 0) return;

    const retransmitLength = flowControl.maxRetransmissionLength(termOffset, length, termLength, mtuLength);
    const action = this.#scanForAvailableRetransmit(termId, termOffset);
    if (action === null) return;

    action.termId = termId;
    action.termOffset = termOffset;
    action.length = retransmitLength;

    const delayNs = this.#delayGenerator.generateDelayNs();
    if (delayNs === 0) {
      retransmitSender.resend(termId, termOffset, retransmitLength);
      action.state = LINGERING;
      action.expiryNs = this.#nanoClock() + this.#lingerTimeoutGenerator.generateDelayNs();
    } else {
      action.state = DELAYED;
      action.expiryNs = this.#nanoClock() + delayNs;
    }
  }

  /**
   * A retransmit of `termId`/`termOffset` was seen from elsewhere: a DELAYED action for exactly that start is
   * cancelled (Java `onRetransmitReceived`; Java calls it from tests only, kept for NAK suppression).
   *
   * @param termId of the retransmitted data.
   * @param termOffset of the retransmitted data.
   */
  onRetransmitReceived(termId: number, termOffset: number): void {
    if (this.#activeRetransmitCount === 0) return;
    const pool = this.#pool;
    for (let i = 0; i < pool.length; i++) {
      const action = pool[i]!;
      if (action.state !== INACTIVE && action.termId === termId && action.termOffset === termOffset) {
        if (action.state === DELAYED) this.#removeRetransmit(action);
        return;
      }
    }
  }

  /**
   * Expires actions: a DELAYED action past its expiry resends and lingers, a LINGERING one past its expiry is
   * freed. Call once per sender duty cycle.
   *
   * @param nowNs the current time (ns).
   * @param retransmitSender sends the retransmits.
   */
  processTimeouts(nowNs: number, retransmitSender: RetransmitSender): void {
    if (this.#activeRetransmitCount === 0) return;
    const pool = this.#pool;
    for (let i = 0; i < pool.length; i++) {
      const action = pool[i]!;
      if (action.state === DELAYED && action.expiryNs - nowNs < 0) {
        retransmitSender.resend(action.termId, action.termOffset, action.length);
        action.state = LINGERING;
        action.expiryNs = this.#nanoClock() + this.#lingerTimeoutGenerator.generateDelayNs();
      } else if (action.state === LINGERING && action.expiryNs - nowNs < 0) {
        this.#removeRetransmit(action);
      }
    }
  }

  #isInvalid(termOffset: number, termLength: number, length: number): boolean {
    const isInvalid = termOffset > termLength - HEADER_LENGTH || termOffset < 0 || length < 0;
    if (isInvalid) this.#invalidPackets.increment();
    return isInvalid;
  }

  #scanForAvailableRetransmit(termId: number, termOffset: number): RetransmitAction | null {
    if (this.#activeRetransmitCount === 0) return this.#addRetransmit(this.#pool[0]!);

    let available: RetransmitAction | null = null;
    const pool = this.#pool;
    for (let i = 0; i < pool.length; i++) {
      const action = pool[i]!;
      if (action.state === INACTIVE) {
        if (available === null) available = action;
      } else {
        if (
          action.termId === termId &&
          action.termOffset <= termOffset &&
          termOffset < action.termOffset + action.length
        ) {
          return null;
        }
        // Unicast: a NAK the one action does not cover replaces it (the previous retransmit is taken as done).
        if (!this.#hasGroupSemantics) available = action;
      }
    }

    if (this.#hasGroupSemantics) {
      if (available !== null) return this.#addRetransmit(available);
      this.#retransmitOverflowCounter.increment();
    }
    return available;
  }

  #addRetransmit(action: RetransmitAction): RetransmitAction {
    this.#activeRetransmitCount++;
    return action;
  }

  #removeRetransmit(action: RetransmitAction): void {
    this.#activeRetransmitCount--;
    action.state = INACTIVE;
  }
}
