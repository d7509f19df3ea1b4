/**
 * Replays a recording range onto a replay publication (Java `ReplaySession`, the replayer's work in SHARED mode).
 *
 * ```
 *  INIT   open the segment of replayPosition; a position after the start must hold a frame of this recording
 *         (its termOffset, termId, streamId) else INVALID_POSITION "replayPosition=… does not point to a valid
 *         frame"; then OK(relevantId = replaySessionId) to the control session; wait (connectTimeoutMs) for the
 *         publication to connect, else "no connection established for replayChannel=…, replayStreamId=…"
 *  REPLAY each cycle with publication window: read up to min(remaining, buffer, rest of term) bytes at the term
 *         offset; DATA frames get the publication's sessionId and streamId and go out with one offerBlock; a
 *         padding frame goes out with appendPadding; terms and segment files advance as the recording's do
 *         following an active recording, its rec-pos bounds each read; when it stops, its final position
 *         bounds the replay (Java's limit counter, `notExtended`)
 *  DONE   at the replay limit, when the publication closes or disconnects, or on abort (stop replay)
 * ```
 * The publication was created with the recording's initial term id, the replay position's term id and offset,
 * term length and MTU (Java `ChannelUriStringBuilder.initialPosition`), so frames keep their positions. One
 * buffer (fileIoMaxLength) is reused; nothing is allocated per block. Each read (bytes and the time from the
 * read to the frames' re-stamping, as Java measures it) is added to the replayer's totals when given.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { segmentFileBasePosition } from '../archive/segment-position.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import {
  FRAME_LENGTH_FIELD_OFFSET,
  HDR_TYPE_DATA,
  HDR_TYPE_PAD,
  HEADER_LENGTH,
  SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET,
  TERM_OFFSET_FIELD_OFFSET,
  TYPE_FIELD_OFFSET,
} from '../logbuffer/data-header-flyweight.ts';
import { FRAME_ALIGNMENT } from '../logbuffer/frame-descriptor.ts';
import { computeTermIdFromPosition } from '../logbuffer/log-buffer-descriptor.ts';
import { align } from '../transport/bit-util.ts';
import { type IoTotals, nanoTime } from './archive-counters.ts';
import { segmentFileName } from './segment-file.ts';

/** ArchiveException.INVALID_POSITION. */
const INVALID_POSITION = 16;
/** ArchiveException.GENERIC. */
const GENERIC = 0;

/** What a replay needs (Java `newReplaySession`'s parameters). */
export interface ReplayParams {
  /** The START_REPLAY correlation id. */
  readonly correlationId: number;
  /** The recording. */
  readonly recordingId: number;
  /** Where the replay starts. */
  readonly replayPosition: number;
  /** How many bytes. */
  readonly replayLength: number;
  /** The recording's start position. */
  readonly startPosition: number;
  /** The recording's stop position (or its recorded position while active). */
  readonly stopPosition: number;
  /** Segment file length. */
  readonly segmentFileLength: number;
  /** Term length. */
  readonly termBufferLength: number;
  /** The recorded stream id. */
  readonly streamId: number;
  /** `(replayId << 32) | publication sessionId`. */
  readonly replaySessionId: number;
  /** The archive directory. */
  readonly archiveDir: string;
  /** How long to wait for the publication to connect. */
  readonly connectTimeoutMs: number;
  /** The replayer's totals (bytes read and time reading, Java `Replayer.bytesRead` / `readTimeNs`); default none. */
  readonly totals?: IoTotals | null;
}

/** The live end of an active recording, for a replay that follows it (a `RecordingSession`). */
export interface ReplayLimitSource {
  /** The recorded position so far. */
  readonly position: number;
  /** Whether the recording has ended (its position is then final). */
  isDone(): boolean;
}

/** Where a replay reports: its OK, or its error (ERROR with an ArchiveException code). */
export interface ReplayListener {
  /** OK(relevantId = replaySessionId) for the START_REPLAY. */
  onStarted(correlationId: number, replaySessionId: number): void;
  /** ERROR for the START_REPLAY (before or after the OK, as Java's raiseError). */
  onError(correlationId: number, errorCode: number, message: string): void;
}

type State = 'INIT' | 'REPLAY' | 'DONE';

/** One replay (module comment). */
export class ReplaySession {
  /** `(replayId << 32) | publication sessionId`. */
  readonly replaySessionId: number;
  /** The recording replayed. */
  readonly recordingId: number;
  readonly #p: ReplayParams;
  readonly #publication: ExclusivePublication;
  readonly #buffer: Uint8Array;
  readonly #view: DataView;
  readonly #listener: ReplayListener;
  readonly #connectDeadlineMs: number;
  #replayLimit: number;
  #stopPosition: number;
  #limit: ReplayLimitSource | null;
  #state: State = 'INIT';
  #fd = -1;
  #segmentFileBasePosition: number;
  #termBaseSegmentOffset = 0;
  #termOffset = 0;
  #replayPosition: number;
  #aborted = false;
  /** Java's `revokePublication`: an abort, a lost subscriber or an error ends the stream at once. */
  #revoke = false;

  /** A replay of `params` onto `publication`, reading through `buffer`. */
  constructor(
    params: ReplayParams,
    publication: ExclusivePublication,
    buffer: Uint8Array,
    listener: ReplayListener,
    nowMs: number,
    limit: ReplayLimitSource | null = null,
  ) {
    this.#p = params;
    this.replaySessionId = params.replaySessionId;
    this.recordingId = params.recordingId;
    this.#publication = publication;
    this.#buffer = buffer;
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.#listener = listener;
    this.#connectDeadlineMs = nowMs + params.connectTimeoutMs;
    this.#replayPosition = params.replayPosition;
    this.#replayLimit = params.replayPosition + params.replayLength;
    this.#stopPosition = params.stopPosition;
    this.#limit = limit;
    this.#segmentFileBasePosition = segmentFileBasePosition(
      params.startPosition,
      params.replayPosition,
      params.termBufferLength,
      params.segmentFileLength,
    );
  }

  /** The next position to send. */
  get replayPosition(): number {
    return this.#replayPosition;
  }

  /** Base position of the segment file being read (Java `segmentFileBasePosition`: detach stops below it). */
  get segmentFileBasePosition(): number {
    return this.#segmentFileBasePosition;
  }

  /** INIT, REPLAY or DONE (Java `state`). */
  get state(): string {
    return this.#state;
  }

  /** The replay publication's stream id. */
  get replayStreamId(): number {
    return this.#publication.streamId;
  }

  /** The replay publication's channel. */
  get replayChannel(): string {
    return this.#publication.channel;
  }

  /** Whether the replay has ended. */
  isDone(): boolean {
    return this.#state === 'DONE';
  }

  /** Stops the replay at the next duty cycle (STOP_REPLAY). */
  abort(): void {
    this.#aborted = true;
  }

  /** One duty cycle's work. */
  doWork(nowMs: number): number {
    if (this.#aborted && this.#state !== 'DONE') {
      this.#revoke = true;
      this.#finish();
    }
    let work = 0;
    try {
      if (this.#state === 'INIT') work += this.#init(nowMs);
      if (this.#state === 'REPLAY') work += this.#replay();
    } catch (e) {
      this.#listener.onError(this.#p.correlationId, GENERIC, e instanceof Error ? e.message : String(e));
      this.#revoke = true;
      this.#finish();
    }
    return work;
  }

  /** Closes the segment file and the publication (revoked after an abort, a lost subscriber or an error). */
  close(): void {
    this.#closeSegment();
    if (this.#revoke) this.#publication.revoke();
    else this.#publication.close();
  }

  #init(nowMs: number): number {
    const p = this.#p;
    if (this.#fd < 0) {
      const path = join(p.archiveDir, segmentFileName(p.recordingId, this.#segmentFileBasePosition));
      if (!existsSync(path)) {
        if (nowMs > this.#connectDeadlineMs) this.#raise(GENERIC, 'recording segment file not created');
        return 0;
      }
      const termLength = p.termBufferLength;
      const startTermBase = p.startPosition - (p.startPosition & (termLength - 1));
      const segmentOffset = (p.replayPosition - startTermBase) & (p.segmentFileLength - 1);
      this.#fd = openSync(path, 'r');
      this.#termOffset = p.replayPosition & (termLength - 1);
      this.#termBaseSegmentOffset = segmentOffset - this.#termOffset;
      if (p.replayPosition > p.startPosition && p.replayPosition !== p.stopPosition) {
        const termId = computeTermIdFromPosition(
          p.replayPosition,
          this.#publication.positionBitsToShift,
          this.#publication.initialTermId,
        );
        const read = readSync(this.#fd, this.#buffer, 0, HEADER_LENGTH, segmentOffset);
        const v = this.#view;
        if (
          read < HEADER_LENGTH ||
          v.getInt32(TERM_OFFSET_FIELD_OFFSET, true) !== this.#termOffset ||
          v.getInt32(TERM_ID_FIELD_OFFSET, true) !== termId ||
          v.getInt32(STREAM_ID_FIELD_OFFSET, true) !== p.streamId
        ) {
          this.#raise(INVALID_POSITION, `replayPosition=${p.replayPosition} does not point to a valid frame`);
          return 0;
        }
      }
      this.#listener.onStarted(p.correlationId, p.replaySessionId);
    }
    if (!this.#publication.isConnected()) {
      if (nowMs > this.#connectDeadlineMs) {
        this.#raise(
          GENERIC,
          `no connection established for replayChannel=${this.#publication.channel}, replayStreamId=${this.#publication.streamId}`,
        );
      }
      return 0;
    }
    this.#state = 'REPLAY';
    return 1;
  }

  #replay(): number {
    const publication = this.#publication;
    if (!publication.isConnected()) {
      this.#revoke = true;
      this.#finish();
      return 0;
    }
    const p = this.#p;
    if (this.#replayPosition >= this.#replayLimit) {
      this.#finish();
      return 0;
    }
    if (this.#limit !== null && this.#replayPosition >= this.#stopPosition && this.#notExtended()) return 0;
    if (this.#termOffset === p.termBufferLength) this.#nextTerm();
    if (publication.availableWindow() <= 0) return 0;
    const limit = Math.min(
      this.#replayLimit - this.#replayPosition,
      this.#stopPosition - this.#replayPosition,
      this.#buffer.length,
      p.termBufferLength - this.#termOffset,
    );
    const fileOffset = this.#termBaseSegmentOffset + this.#termOffset;
    const totals = this.#p.totals ?? null;
    const startNs = totals === null ? 0 : nanoTime();
    let bytesRead = 0;
    while (bytesRead < limit) {
      const n = readSync(this.#fd, this.#buffer, bytesRead, limit - bytesRead, fileOffset + bytesRead);
      if (n <= 0) break;
      bytesRead += n;
    }
    if (bytesRead <= 0) return 0;
    const v = this.#view;
    const sessionId = publication.sessionId;
    const streamId = publication.streamId;
    let batchOffset = 0;
    let paddingFrameLength = 0;
    while (batchOffset < bytesRead) {
      const frameLength = v.getInt32(batchOffset + FRAME_LENGTH_FIELD_OFFSET, true);
      if (frameLength <= 0) {
        this.#raise(GENERIC, `unexpected end of recording at position=${this.#replayPosition + batchOffset}`);
        return 0;
      }
      const frameType = v.getUint16(batchOffset + TYPE_FIELD_OFFSET, true);
      const alignedLength = align(frameLength, FRAME_ALIGNMENT);
      if (frameType === HDR_TYPE_DATA) {
        if (batchOffset + alignedLength > bytesRead) break;
        v.setInt32(batchOffset + SESSION_ID_FIELD_OFFSET, sessionId, true);
        v.setInt32(batchOffset + STREAM_ID_FIELD_OFFSET, streamId, true);
        batchOffset += alignedLength;
      } else if (frameType === HDR_TYPE_PAD) {
        paddingFrameLength = frameLength;
        break;
      } else {
        batchOffset += alignedLength;
      }
    }
    if (totals !== null) totals.add(bytesRead, nanoTime() - startNs);
    let work = 0;
    if (batchOffset > 0) {
      const position = publication.offerBlock(this.#buffer, 0, batchOffset);
      if (this.#advanced(position, batchOffset)) work++;
      else paddingFrameLength = 0;
    }
    if (paddingFrameLength > 0 && this.#state === 'REPLAY') {
      const position = publication.appendPadding(paddingFrameLength - HEADER_LENGTH);
      if (this.#advanced(position, align(paddingFrameLength, FRAME_ALIGNMENT))) work++;
    }
    return work;
  }

  /**
   * Follows the recording (Java `notExtended`): its position so far becomes the stop position; once it has
   * ended, its final position bounds the replay. True when there is nothing new to send.
   */
  #notExtended(): boolean {
    const limit = this.#limit as ReplayLimitSource;
    const current = limit.position;
    if (limit.isDone()) {
      this.#limit = null;
      this.#replayLimit = Math.min(this.#replayLimit, current);
      this.#stopPosition = Math.max(this.#stopPosition, current);
      if (this.#replayPosition >= this.#replayLimit) this.#finish();
      return true;
    }
    this.#stopPosition = current;
    return this.#replayPosition >= current;
  }

  #advanced(position: number, alignedLength: number): boolean {
    if (position > 0) {
      this.#termOffset += alignedLength;
      this.#replayPosition += alignedLength;
      if (this.#replayPosition >= this.#replayLimit) this.#finish();
      return true;
    }
    if (position === -4 || position === -1) {
      // CLOSED, NOT_CONNECTED: "stream closed before replay complete"
      this.#revoke = true;
      this.#finish();
    }
    return false;
  }

  #nextTerm(): void {
    const p = this.#p;
    this.#termOffset = 0;
    this.#termBaseSegmentOffset += p.termBufferLength;
    if (this.#termBaseSegmentOffset === p.segmentFileLength) {
      this.#closeSegment();
      this.#segmentFileBasePosition += p.segmentFileLength;
      this.#fd = openSync(join(p.archiveDir, segmentFileName(p.recordingId, this.#segmentFileBasePosition)), 'r');
      this.#termBaseSegmentOffset = 0;
    }
  }

  #raise(code: number, message: string): void {
    this.#revoke = true;
    this.#listener.onError(
      this.#p.correlationId,
      code,
      `${message}, recordingId=${this.#p.recordingId}, replaySessionId=${this.#p.replaySessionId}, segmentFile=${segmentFileName(this.#p.recordingId, this.#segmentFileBasePosition)}`,
    );
    this.#finish();
  }

  #finish(): void {
    this.#state = 'DONE';
    this.#closeSegment();
  }

  #closeSegment(): void {
    if (this.#fd >= 0) {
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }
}
