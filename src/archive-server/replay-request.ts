/**
 * Java `ArchiveConductor.startReplay`'s checks and arithmetic: where a replay starts, how long it runs, where it
 * stops, and the replay publication's channel; or the ERROR a client gets (code and Java's text).
 *
 * ```
 *  replayPosition = position (NULL_POSITION: the start), frame aligned, in [start, stop)
 *  limitPosition  = a BOUNDED_REPLAY counter's value, or an active recording's position, or NULL_POSITION
 *  stopPosition   = limitPosition when there is one (the replay follows it), else the recording's stop
 *  replayLength   = REPLAY_ALL_AND_FOLLOW (-1): all, following; REPLAY_ALL_AND_STOP (-2): up to stopPosition
 *                   (EMPTY_RECORDING when nothing); else min(length, what there is)
 *  channel        = the stripped replay channel + initialPosition(replayPosition, initialTermId, termLength),
 *                   the recording's MTU, eos / sparse as asked, linger as asked or the archive's replay linger
 * ```
 */
import { NULL_POSITION } from '../archive/catalog/catalog-layout.ts';
import { ChannelUri } from '../logbuffer/channel-uri.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import type { RecordingSummary } from './catalog.ts';
import { strippedChannelBuilder } from './stripped-channel.ts';

/** AeronArchive.REPLAY_ALL_AND_FOLLOW (NULL_LENGTH). */
export const REPLAY_ALL_AND_FOLLOW = -1;
/** AeronArchive.REPLAY_ALL_AND_STOP. */
export const REPLAY_ALL_AND_STOP = -2;

/** A replay the checks accept. */
export interface ResolvedReplay {
  /** Where it starts. */
  readonly replayPosition: number;
  /** How many bytes it may send. */
  readonly replayLength: number;
  /** Where the recorded data ends now (the limit while following). */
  readonly stopPosition: number;
  /** The replay publication's channel. */
  readonly channel: string;
}

/** A replay request refused: the ERROR response's code and text. */
export interface ReplayRefusal {
  /** ArchiveException code. */
  readonly code: number;
  /** Java's text. */
  readonly message: string;
}

function refuse(code: number, message: string): ReplayRefusal {
  return { code, message };
}

/** Java `startReplay`'s checks for a replay of the recording `summary` (module comment). */
export function resolveReplay(
  summary: RecordingSummary,
  position: number,
  length: number,
  limitPosition: number,
  fileIoMaxLength: number,
  replayChannel: string,
  replayLingerTimeoutNs: number,
): ResolvedReplay | ReplayRefusal {
  const startPosition = summary.startPosition;
  let replayPosition = startPosition;
  if (position !== NULL_POSITION) {
    if ((position & 31) !== 0) {
      return refuse(
        ArchiveErrorCode.GENERIC,
        `requested replay start position=${position} is not a multiple of FRAME_ALIGNMENT (32) for recording ${summary.recordingId}`,
      );
    }
    if (position - startPosition < 0) {
      return refuse(
        ArchiveErrorCode.INVALID_POSITION,
        `requested replay start position=${position} is less than recording start position=${startPosition} for recording ${summary.recordingId}`,
      );
    }
    if (summary.stopPosition !== NULL_POSITION && position >= summary.stopPosition) {
      return refuse(
        ArchiveErrorCode.INVALID_POSITION,
        `requested replay start position=${position} must be less than the limit position=${summary.stopPosition} for recording ${summary.recordingId}`,
      );
    }
    replayPosition = position;
  }
  if (fileIoMaxLength > 0 && fileIoMaxLength < summary.mtuLength) {
    return refuse(ArchiveErrorCode.GENERIC, `fileIoMaxLength=${fileIoMaxLength} < mtuLength=${summary.mtuLength}`);
  }
  if (limitPosition !== NULL_POSITION && replayPosition > limitPosition) {
    return refuse(
      ArchiveErrorCode.INVALID_POSITION,
      `requested replay start position=${replayPosition} must be less than the limit position=${limitPosition} for recording ${summary.recordingId}`,
    );
  }
  const stopPosition = limitPosition !== NULL_POSITION ? limitPosition : summary.stopPosition;
  // following an active recording: no bound but the caller's length (Java: Long.MAX_VALUE - replayPosition)
  const maxLength =
    limitPosition !== NULL_POSITION ? Number.MAX_SAFE_INTEGER - replayPosition : stopPosition - replayPosition;
  let replayLength: number;
  if (length === REPLAY_ALL_AND_FOLLOW) {
    replayLength = maxLength;
  } else if (length === REPLAY_ALL_AND_STOP) {
    replayLength = stopPosition - replayPosition;
    if (replayLength === 0) {
      return refuse(
        ArchiveErrorCode.EMPTY_RECORDING,
        `When replaying and stopping the replay length must be non-zero, recordingId=${summary.recordingId}`,
      );
    }
  } else {
    replayLength = Math.min(length, maxLength);
  }
  if (replayLength < 0) {
    return refuse(
      ArchiveErrorCode.GENERIC,
      `replay length must be positive: replayLength=${replayLength}, length=${length}, stopPosition=${stopPosition}, replayPosition=${replayPosition} for recording ${summary.recordingId}`,
    );
  }
  let channel: string;
  try {
    const uri = ChannelUri.parse(replayChannel);
    const builder = strippedChannelBuilder(uri)
      .initialPosition(replayPosition, summary.initialTermId, summary.termBufferLength)
      .mtu(summary.mtuLength);
    const eos = uri.get('eos');
    if (eos !== undefined) builder.eos(eos === 'true');
    const sparse = uri.get('sparse');
    if (sparse !== undefined) builder.sparse(sparse === 'true');
    const linger = uri.get('linger');
    builder.linger(linger !== undefined ? BigInt(linger) : BigInt(replayLingerTimeoutNs));
    channel = builder.build();
  } catch (e) {
    return refuse(ArchiveErrorCode.GENERIC, `failed to process replayChannel - ${(e as Error).message}`);
  }
  return { replayPosition, replayLength, stopPosition, channel };
}
