/**
 * The replay tokens a control session hands out for replays over a response channel (Java `ArchiveConductor`'s
 * `controlSessionByReplayToken`, `generateReplayToken`, `getReplaySession`, `removeReplayTokensForSession`,
 * `checkReplayTokens`).
 *
 * ```
 *  REPLAY_TOKEN (session S, recording R) ─▶ token T (random, not -1, unused) ─▶ OK relevantId = T
 *  REPLAY on a NEW request image (control-mode=response replay channel, replayToken T, recording R)
 *     ─▶ S, if T is known, names R and its deadline (now + connect timeout) has not passed
 *  S closed ─▶ its tokens dropped; each duty cycle drops the tokens past their deadline
 * ```
 *
 * Java draws a random 64-bit long; a token here is a random non-negative integer below 2^53, so it travels as the
 * int64 relevantId and comes back in the request's replayToken field exactly (the client echoes the value it got).
 */
import type { ControlSession } from './control-session.ts';

/** Java's NULL_VALUE: never a token. */
const NULL_VALUE = -1;
/** Tokens are integers in [0, 2^53). */
const TOKEN_BOUND = 2 ** 53;

interface SessionForReplay {
  readonly recordingId: number;
  readonly session: ControlSession;
  readonly deadlineMs: number;
}

/** The open replay tokens of the archive's control sessions (module comment). */
export class ReplayTokens {
  readonly #byToken = new Map<number, SessionForReplay>();
  readonly #lifetimeMs: number;
  readonly #random: () => number;

  /**
   * @param lifetimeMs how long a token stays valid (Java: the archive's connect timeout).
   * @param random a source of uniform values in [0, 1) (default `Math.random`).
   */
  constructor(lifetimeMs: number, random: () => number = Math.random) {
    this.#lifetimeMs = lifetimeMs;
    this.#random = random;
  }

  /** The number of open tokens. */
  get size(): number {
    return this.#byToken.size;
  }

  /** A new token for a replay of `recordingId` by `session`, valid until `nowMs` + the lifetime. */
  generate(session: ControlSession, recordingId: number, nowMs: number): number {
    let token = NULL_VALUE;
    while (token === NULL_VALUE || this.#byToken.has(token)) {
      token = Math.floor(this.#random() * TOKEN_BOUND);
    }
    this.#byToken.set(token, { recordingId, session, deadlineMs: nowMs + this.#lifetimeMs });
    return token;
  }

  /** The session that asked for `token` for `recordingId`, or null (unknown, another recording, or expired). */
  session(token: number, recordingId: number, nowMs: number): ControlSession | null {
    const entry = this.#byToken.get(token);
    if (entry !== undefined && entry.recordingId === recordingId && nowMs < entry.deadlineMs) return entry.session;
    return null;
  }

  /** Drops the tokens of the session `controlSessionId` (it closed). */
  removeForSession(controlSessionId: number): void {
    for (const [token, entry] of this.#byToken) {
      if (entry.session.controlSessionId === controlSessionId) this.#byToken.delete(token);
    }
  }

  /** Drops the tokens whose deadline has passed. */
  expire(nowMs: number): void {
    if (this.#byToken.size === 0) return;
    for (const [token, entry] of this.#byToken) {
      if (entry.deadlineMs <= nowMs) this.#byToken.delete(token);
    }
  }
}
