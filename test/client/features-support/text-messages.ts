/**
 * Small text-message helpers for the client feature interop tests (`features-interop.test.ts`): offer a
 * list of strings with retries, and collect what a subscription delivers (whole messages, their session).
 *
 * ```
 *  offerAll(publication, ['a-0', 'a-1', ...])      retries NOT_CONNECTED / BACK_PRESSURED / ADMIN_ACTION
 *  const c = new TextCollector();                   until a deadline, throws on CLOSED / MAX_POSITION_EXCEEDED
 *  await c.pollUntil(subscription, 20)              polls through a FragmentAssembler until 20 messages
 *  c.texts  -> ['a-0', 'a-1', ...]                  in arrival order
 *  c.sessions -> [sessionId, ...]                   the session of each message, same order
 * ```
 *
 * Every wait has a timeout (default 20 s) and sleeps between polls, so the client conductor (on the event
 * loop) keeps running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { publicationErrorString } from '../../../src/client/publication.ts';
import { FragmentAssembler, type FragmentHandler } from '../../../src/logbuffer/index.ts';

/** What `offerAll` needs of a publication. */
export interface Offerer {
  offer(buffer: Uint8Array, offset?: number, length?: number): number;
}

/** What `pollUntil` needs of a subscription. */
export interface Poller {
  poll(handler: FragmentHandler, limit: number): number;
}

const RETRYABLE = new Set([-1, -2, -3]);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const DEFAULT_WAIT_MS = 20_000;

/** `prefix-0 … prefix-(count-1)`, each padded with `x` to at least `minLength` characters. */
export function textBatch(prefix: string, count: number, minLength = 0): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`.padEnd(minLength, 'x'));
}

/** Offers every message in order, retrying transient results; returns the final position. */
export async function offerAll(
  publication: Offerer,
  messages: readonly string[],
  timeoutMs = DEFAULT_WAIT_MS,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let position = 0;
  for (const text of messages) {
    const bytes = encoder.encode(text);
    for (;;) {
      const result = publication.offer(bytes, 0, bytes.length);
      if (result > 0) {
        position = result;
        break;
      }
      if (!RETRYABLE.has(result)) throw new Error(`offer of '${text}' failed: ${publicationErrorString(result)}`);
      if (Date.now() > deadline) {
        throw new Error(`offer of '${text}' still ${publicationErrorString(result)} after ${timeoutMs} ms`);
      }
      await sleep(result === -3 ? 0 : 2);
    }
  }
  return position;
}

/** Collects whole messages (decoded as UTF-8) and their session ids. */
export class TextCollector {
  readonly texts: string[] = [];
  readonly sessions: number[] = [];
  readonly #assembler = new FragmentAssembler((buffer, offset, length, header) => {
    const bytes = new Uint8Array(length);
    buffer.getBytes(offset, bytes, 0, length);
    this.texts.push(decoder.decode(bytes));
    this.sessions.push(header.sessionId());
  });

  /** One poll of `subscription`; returns the fragment count. */
  pollOnce(subscription: Poller, limit = 20): number {
    return subscription.poll(this.#assembler.onFragment, limit);
  }

  /** Polls until at least `count` messages arrived in total (throws after `timeoutMs`). */
  async pollUntil(subscription: Poller, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.texts.length < count) {
      if (this.pollOnce(subscription) === 0) {
        if (Date.now() > deadline) {
          throw new Error(
            `received ${this.texts.length} of ${count} messages within ${timeoutMs} ms: ${JSON.stringify(this.texts.slice(-5))}`,
          );
        }
        await sleep(2);
      }
    }
  }

  /** The texts received from `sessionId`, in order. */
  textsOf(sessionId: number): string[] {
    return this.texts.filter((_, i) => this.sessions[i] === sessionId);
  }
}
