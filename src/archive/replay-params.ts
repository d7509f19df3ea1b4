/**
 * Java `ReplayParams` as a plain options object. Unset fields take Java's defaults: position
 * NULL_POSITION (-1, from the recording's start), length REPLAY_ALL_AND_FOLLOW (-1), no bounding counter,
 * fileIoMaxLength / replayToken / subscriptionRegistrationId -1. A bounding limit counter id makes the replay a
 * BoundedReplayRequest.
 */
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
/** Aeron's "not set" value for ids, counters and lengths: -1 (Java `Aeron.NULL_VALUE`). */
export const NULL_VALUE = -1;
/** No position: -1 (Java `AeronArchive.NULL_POSITION`); as a replay position, from the recording's start. */
export const NULL_POSITION = -1;
/** No length: -1 (Java `AeronArchive.NULL_LENGTH`); as a replay length, the same as {@link REPLAY_ALL_AND_FOLLOW}. */
export const NULL_LENGTH = -1;
/** Replay what is recorded and follow a live recording: -1 (Java `AeronArchive.REPLAY_ALL_AND_FOLLOW`). */
export const REPLAY_ALL_AND_FOLLOW = NULL_LENGTH;
/**
 * Replay up to the recorded position at the time of the request, then stop: -2 (Java
 * `AeronArchive.REPLAY_ALL_AND_STOP`).
 */
export const REPLAY_ALL_AND_STOP = -2;

/**
 * How a replay starts and ends (Java `ReplayParams`), for `AeronArchive.replay`, `replayWithSessionId` and
 * `startReplay` / `startReplayWithParams`. Every field is optional; unset ones take Java's defaults.
 */
export interface ReplayParams {
  /** Stream position to replay from (Java `ReplayParams.position`); default {@link NULL_POSITION}: the start. */
  readonly position?: number;
  /**
   * Bytes to replay (Java `ReplayParams.length`); default {@link REPLAY_ALL_AND_FOLLOW} (replay what is recorded,
   * then follow a live recording); {@link REPLAY_ALL_AND_STOP} stops at the recorded position when the archive
   * takes the request.
   */
  readonly length?: number;
  /** Counter whose value bounds the replay (BoundedReplayRequest). */
  readonly boundingLimitCounterId?: number;
  /**
   * Largest file read the archive does for this replay, in bytes (Java `ReplayParams.fileIoMaxLength`); default
   * {@link NULL_VALUE}: the archive's own `Archive.Context.fileIoMaxLength`. A larger value than the archive's has
   * no effect.
   */
  readonly fileIoMaxLength?: number;
  /** From `requestReplayToken`: a random 64-bit value, so a bigint (a number is accepted for small values). */
  readonly replayToken?: bigint | number;
  /**
   * Java `ReplayParams.subscriptionRegistrationId`: the registration id of an existing `control-mode=response`
   * subscription, for Java's `startReplay` over a response channel. Accepted for parity and not used: aeron-ts's
   * `startReplay` does not replay over response channels, and `replay` adds that subscription itself.
   */
  readonly subscriptionRegistrationId?: number;
}

/**
 * {@link ReplayParams} with every default applied, as {@link ArchiveProxy.replay} encodes it (-1 where Java
 * sends `NULL_VALUE`). Only for callers driving an {@link ArchiveProxy} themselves; `AeronArchive` resolves its
 * `ReplayParams` into one.
 */
export interface ResolvedReplayParams {
  /** Stream position to replay from, or {@link NULL_POSITION} for the recording's start. */
  readonly position: number;
  /** Bytes to replay, {@link REPLAY_ALL_AND_FOLLOW} or {@link REPLAY_ALL_AND_STOP}. */
  readonly length: number;
  /** Counter bounding the replay, or {@link NULL_VALUE} for an unbounded ReplayRequest. */
  readonly boundingLimitCounterId: number;
  /** Largest file read for the replay (bytes), or {@link NULL_VALUE} for the archive's default. */
  readonly fileIoMaxLength: number;
  /** The replay token, exact, or -1n for none. */
  readonly replayToken: bigint;
  /** As {@link ReplayParams.subscriptionRegistrationId}: carried, not encoded. */
  readonly subscriptionRegistrationId: number;
}

/**
 * Applies Java's `ReplayParams` defaults (see {@link ReplayParams}).
 *
 * @throws InvalidArgumentError (INVALID_ARGUMENT) for a `replayToken` number that is not a safe integer.
 */
export function resolveReplayParams(p: ReplayParams = {}): ResolvedReplayParams {
  return {
    position: p.position ?? NULL_POSITION,
    length: p.length ?? REPLAY_ALL_AND_FOLLOW,
    boundingLimitCounterId: p.boundingLimitCounterId ?? NULL_VALUE,
    fileIoMaxLength: p.fileIoMaxLength ?? NULL_VALUE,
    replayToken: exactToken(p.replayToken ?? NULL_VALUE),
    subscriptionRegistrationId: p.subscriptionRegistrationId ?? NULL_VALUE,
  };
}

function exactToken(token: number | bigint): bigint {
  if (typeof token === 'bigint') return token;
  if (!Number.isSafeInteger(token)) {
    throw new InvalidArgumentError(`replayToken must be a bigint or a safe integer: ${token}`);
  }
  return BigInt(token);
}

/** Java `ReplayParams.isBounded()`. */
export function isBoundedReplay(p: ResolvedReplayParams): boolean {
  return p.boundingLimitCounterId !== NULL_VALUE;
}
