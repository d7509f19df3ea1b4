/**
 * `for await (const message of subscription)`: a convenience on top of `Subscription.poll`.
 *
 * Each yielded `SubscriptionMessage` is a COPY of one whole (reassembled) message plus its header fields, so
 * it stays valid after the iteration moves on. That allocates per message (the payload copy and the message
 * object): use `poll` with a handler where that matters.
 *
 * The iterator polls up to `fragmentLimit` fragments at a time into a small queue and yields from it. When
 * nothing arrives it waits with a gentle backoff (`setImmediate` for a few rounds, then `idleSleepMs`
 * timers) so the event loop, and with it the client conductor, keeps running. It ends (`done: true`, no
 * error) when the subscription is closed, when the `signal` aborts, or when the consumer leaves the loop
 * (`break`/`return`). Messages already polled but not yet yielded when it ends are dropped; their position
 * was consumed.
 */
import type { Header, ReadableBuffer } from '../logbuffer/index.ts';
import { FragmentAssembler } from '../logbuffer/index.ts';
import type { Subscription } from './subscription.ts';

/** One received message (a copy). */
export interface SubscriptionMessage {
  /** The payload (whole message, reassembled if it was fragmented). */
  readonly data: Uint8Array;
  readonly sessionId: number;
  readonly streamId: number;
  /** Stream position just after this message. */
  readonly position: number;
  /** Term id and offset of the (first) frame. */
  readonly termId: number;
  readonly termOffset: number;
  /** Frame flags (B|E = 0xC0 for whole messages). */
  readonly flags: number;
  /** The frame's reserved value (exact for |value| ≤ 2^53). */
  readonly reservedValue: number;
}

export interface MessageIteratorOptions {
  /** Ends the iteration (cleanly) when aborted. */
  readonly signal?: AbortSignal;
  /** Fragments per poll (default 10). */
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

/** The async iterator behind `Subscription[Symbol.asyncIterator]` and `Subscription.messages()`. */
export async function* subscriptionMessages(
  subscription: Subscription,
  options: MessageIteratorOptions = {},
): AsyncGenerator<SubscriptionMessage, void, undefined> {
  const signal = options.signal;
  const fragmentLimit = options.fragmentLimit ?? 10;
  const idleSleepMs = options.idleSleepMs ?? 1;
  const queue: SubscriptionMessage[] = [];
  const assembler = new FragmentAssembler((buffer, offset, length, header) => {
    queue.push(copyMessage(buffer, offset, length, header));
  });
  const handler = assembler.onFragment;
  let idleRound = 0;
  let busyPolls = 0;
  while (!subscription.isClosed && signal?.aborted !== true) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (subscription.poll(handler, fragmentLimit) > 0) {
      idleRound = 0;
      // A steady stream would otherwise keep this loop in microtasks and starve timers (the conductor).
      if (++busyPolls >= BUSY_POLLS_BEFORE_YIELD) {
        busyPolls = 0;
        await idle(0, idleSleepMs, signal);
      }
      continue;
    }
    busyPolls = 0;
    await idle(idleRound++, idleSleepMs, signal);
  }
}
