/**
 * Java `ReplayParams` (1.51.0) as a plain options object. Unset fields take Java's defaults: position
 * NULL_POSITION (-1, from the recording's start), length REPLAY_ALL_AND_FOLLOW (-1), no bounding counter,
 * fileIoMaxLength / replayToken / subscriptionRegistrationId -1. A bounding limit counter id makes the replay a
 * BoundedReplayRequest.
 */
export const NULL_VALUE = -1;
export const NULL_POSITION = -1;
export const NULL_LENGTH = -1;
/** Replay what is recorded and follow a live recording. */
export const REPLAY_ALL_AND_FOLLOW = NULL_LENGTH;
/** Replay up to the recorded position at the time of the request, then stop. */
export const REPLAY_ALL_AND_STOP = -2;

export interface ReplayParams {
  readonly position?: number;
  readonly length?: number;
  /** Counter whose value bounds the replay (BoundedReplayRequest). */
  readonly boundingLimitCounterId?: number;
  readonly fileIoMaxLength?: number;
  /** From `requestReplayToken`: a random 64-bit value, so a bigint (a number is accepted for small values). */
  readonly replayToken?: bigint | number;
  readonly subscriptionRegistrationId?: number;
}

export interface ResolvedReplayParams {
  readonly position: number;
  readonly length: number;
  readonly boundingLimitCounterId: number;
  readonly fileIoMaxLength: number;
  readonly replayToken: bigint;
  readonly subscriptionRegistrationId: number;
}

export function resolveReplayParams(p: ReplayParams = {}): ResolvedReplayParams {
  return {
    position: p.position ?? NULL_POSITION,
    length: p.length ?? REPLAY_ALL_AND_FOLLOW,
    boundingLimitCounterId: p.boundingLimitCounterId ?? NULL_VALUE,
    fileIoMaxLength: p.fileIoMaxLength ?? NULL_VALUE,
    replayToken: BigInt(p.replayToken ?? NULL_VALUE),
    subscriptionRegistrationId: p.subscriptionRegistrationId ?? NULL_VALUE,
  };
}

/** Java `ReplayParams.isBounded()`. */
export function isBoundedReplay(p: ResolvedReplayParams): boolean {
  return p.boundingLimitCounterId !== NULL_VALUE;
}
