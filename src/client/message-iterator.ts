/**
 * `for await (const message of subscription)`: a convenience on top of `Image.controlledPoll`.
 *
 * Each yielded `SubscriptionMessage` is a COPY of one whole (reassembled) message plus its header fields, so
 * it stays valid after the iteration moves on. That allocates per message (the payload copy and the message
 * object): use `poll` with a handler where that matters.
 *
 * Each poll consumes at most one whole message (the handler answers BREAK once a message is complete), taken
 * from the images in turn, and the iterator yields it before polling again: a consumer that leaves the loop
 * (`break`/`return`) after a message leaves every later message to the next poller, nothing is lost. When
 * nothing arrives it waits with a gentle backoff (`setImmediate` for a few rounds, then `idleSleepMs` timers)
 * so the event loop, and with it the client conductor, keeps running. It ends (`done: true`, no error) when the
 * subscription is closed, when the `signal` aborts, or when the consumer leaves the loop. Only a message
 * still incomplete (fragments of it received, not all) when the signal aborts is lost, as for any poller that
 * stops in the middle of one. Iterating from inside a poll handler of the same subscription throws
 * `ReentrantPollError`.
 */
import type { ControlledFragmentHandler, Header, ReadableBuffer } from '../logbuffer/index.ts';
import { ControlledAction, ControlledFragmentAssembler } from '../logbuffer/index.ts';

/** One received message (a copy). */
export interface SubscriptionMessage {
  /** The payload (whole message, reassembled if it was fragmented). */
  readonly data: Uint8Array;
  /** Session id of the publication it came from. */
  readonly sessionId: number;
  /** Stream id. */
  readonly streamId: number;
  /** Stream position just after this message. */
  readonly position: number;
  /** Term id of the (first) frame. */
  readonly termId: number;
  /** Offset of the (first) frame in its term. */
  readonly termOffset: number;
  /** Frame flags (B|E = 0xC0 for whole messages). */
  readonly flags: number;
  /** The frame's reserved value (exact for |value| ≤ 2^53). */
  readonly reservedValue: number;
}

/** Options of `Subscription.messages()`. */
export interface MessageIteratorOptions {
  /** Ends the iteration (cleanly) when aborted. */
  readonly signal?: AbortSignal;
  /** Fragments per poll of an image (default 10); a poll stops earlier at the end of a message. */
  readonly fragmentLimit?: number;
  /** Sleep between empty polls once idle, in ms (default 1). */
  readonly idleSleepMs?: number;
}

const SPIN_ROUNDS = 10;
const BUSY_POLLS_BEFORE_YIELD = 64;

function copyMessage(buffer: ReadableBuffer, offset: number, length: number, header: Header): SubscriptionMessage {
  const data = new Uint8Array(length);
  buffer.getBytes(offset, data, 0, length);
  return {
    data,
    sessionId: header.sessionId(),
    streamId: header.streamId(),
    position: header.position(),
    termId: header.termId(),
    termOffset: header.termOffset(),
    flags: header.flags(),
    reservedValue: header.reservedValue(),
  };
}

/** Waits one idle round; resolves early if `signal` aborts. */
function idle(round: number, sleepMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    let cancel: () => void;
    const onAbort = (): void => {
      cancel();
      resolve();
    };
    if (round < SPIN_ROUNDS) {
      const immediate = setImmediate(done);
      cancel = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(done, sleepMs);
      cancel = () => clearTimeout(timer);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What the iterator polls: a `Subscription` (named by what is used of it, so this module does not import it). */
export interface PolledSubscription {
  /** Whether the subscription is closed: the iteration ends. */
  readonly isClosed: boolean;
  /** The current images, each polled with a handler that stops at the end of a message. */
  readonly images: readonly { controlledPoll(handler: ControlledFragmentHandler, fragmentLimit: number): number }[];
}

/** The async iterator behind `Subscription[Symbol.asyncIterator]` and `Subscription.messages()`. */
export async function* subscriptionMessages(
  subscription: PolledSubscription,
  options: MessageIteratorOptions = {},
): AsyncGenerator<SubscriptionMessage, void, undefined> {
  const signal = options.signal;
  const fragmentLimit = options.fragmentLimit ?? 10;
  const idleSleepMs = options.idleSleepMs ?? 1;
  const slot: { message: SubscriptionMessage | null } = { message: null };
  const assembler = new ControlledFragmentAssembler((buffer, offset, length, header) => {
    slot.message = copyMessage(buffer, offset, length, header);
    return ControlledAction.BREAK;
  });
  const handler = assembler.onFragment;
  let nextImage = 0;
  let idleRound = 0;
  let busyPolls = 0;
  while (!subscription.isClosed && signal?.aborted !== true) {
    const images = subscription.images;
    const count = images.length;
    let fragments = 0;
    for (let i = 0; i < count && slot.message === null; i++) {
      const index = (nextImage + i) % count;
      fragments += images[index]!.controlledPoll(handler, fragmentLimit);
      if (slot.message !== null) nextImage = index + 1;
    }
    const message = slot.message;
    if (message !== null) {
      slot.message = null;
      idleRound = 0;
      yield message;
    } else if (fragments === 0) {
      busyPolls = 0;
      await idle(idleRound++, idleSleepMs, signal);
      continue;
    }
    // A steady stream would otherwise keep this loop in microtasks and starve timers (the conductor).
    if (++busyPolls >= BUSY_POLLS_BEFORE_YIELD) {
      busyPolls = 0;
      await idle(0, idleSleepMs, signal);
    }
  }
}
