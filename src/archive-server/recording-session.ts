/**
 * Records one image (Java `RecordingSession`, the recorder's work in the SHARED threading mode): each duty cycle
 * hands the image's next block of whole frames (at most min(termLength, fileIoMaxLength) bytes) to the
 * `RecordingWriter` and publishes the recorded position on the `rec-pos` counter. The recording ends when the
 * image reaches end of stream or closes (the publication went away, the recording subscription was closed), or
 * on `abort`; the conductor then writes the stop position and time to the catalog and signals STOP. With
 * recording events enabled it publishes RecordingStarted at once, RecordingProgress after a cycle that moved the
 * position (retried until published) and RecordingStopped at the end, as Java's recorder does.
 *
 * ```
 *  rec-pos counter (type 100): key = recordingId (int64) | sessionId (int32) | sourceIdentity length (int32)
 *                              | sourceIdentity (ASCII) | archiveId (int64)
 *                              label = "rec-pos: <recordingId> <sessionId> <streamId> <strippedChannel> archiveId=<id>"
 * ```
 * Nothing is allocated per block: the writer's handler is bound once. A write failure (the writer closes) ends the
 * recording with that error, which the conductor logs and `pendingError` turns into the session's ERROR.
 */

import type { Counter } from '../client/counter.ts';
import type { BlockHandler, Image } from '../client/image.ts';
import { ArchiveErrorCode } from './archive-error-code.ts';
import { ArchiveServerError } from './archive-server-error.ts';
import type { RecordingSummary } from './catalog.ts';
import type { RecordingEventsProxy } from './recording-events-proxy.ts';
import type { RecordingWriter } from './recording-writer.ts';

/** `AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID`. */
export const RECORDING_POSITION_TYPE_ID = 100;

/** The key and label of a recording's `rec-pos` counter (module comment). */
export function recordingPositionCounter(
  archiveId: number,
  recordingId: number,
  sessionId: number,
  streamId: number,
  strippedChannel: string,
  sourceIdentity: string,
): { key: Uint8Array; label: string } {
  const identity = sourceIdentity.slice(0, 112 - 16 - 8);
  const key = new Uint8Array(16 + identity.length + 8);
  const view = new DataView(key.buffer);
  view.setBigInt64(0, BigInt(recordingId), true);
  view.setInt32(8, sessionId, true);
  view.setInt32(12, identity.length, true);
  for (let i = 0; i < identity.length; i++) key[16 + i] = identity.charCodeAt(i) & 0x7f;
  view.setBigInt64(16 + identity.length, BigInt(archiveId), true);
  const suffix = ` archiveId=${archiveId}`;
  const head = `rec-pos: ${recordingId} ${sessionId} ${streamId} `;
  const label = head + strippedChannel.slice(0, Math.max(0, 380 - head.length - suffix.length)) + suffix;
  return { key, label };
}

/** One image being recorded (module comment). */
export class RecordingSession {
  /** The recording's id. */
  readonly recordingId: number;
  /** The recorded image. */
  readonly image: Image;
  /** The recording subscription's registration id (for the signals). */
  readonly subscriptionId: number;
  /** The START_RECORDING correlation id (for the signals). */
  readonly correlationId: number;
  /** The rec-pos counter. */
  readonly counter: Counter;
  readonly #writer: RecordingWriter;
  readonly #onBlock: BlockHandler;
  readonly #blockLengthLimit: number;
  readonly #events: RecordingEventsProxy | null;
  #progressEventPosition: number;
  #aborted = false;
  #done = false;
  #error: unknown = null;

  /** Wires the writer (already `init`ed) to the image. */
  constructor(
    recordingId: number,
    image: Image,
    subscriptionId: number,
    correlationId: number,
    writer: RecordingWriter,
    counter: Counter,
    fileIoMaxLength: number,
    events: RecordingEventsProxy | null = null,
    originalChannel = '',
  ) {
    this.recordingId = recordingId;
    this.image = image;
    this.subscriptionId = subscriptionId;
    this.correlationId = correlationId;
    this.#writer = writer;
    this.counter = counter;
    this.#blockLengthLimit = Math.min(image.termBufferLength, fileIoMaxLength);
    // a write failure is kept here: Image.blockPoll hands a handler's error to the client's error handler, where
    // Java's archive client rethrows it to the RecordingSession (RethrowingErrorHandler)
    this.#onBlock = (buffer, offset, length, sessionId, termId) => {
      try {
        writer.onBlock(buffer, offset, length, sessionId, termId);
      } catch (e) {
        this.#error ??= e;
      }
    };
    counter.set(writer.position);
    this.#events = events;
    this.#progressEventPosition = writer.position;
    events?.started(
      recordingId,
      image.joinPosition,
      image.sessionId,
      image.subscription.streamId,
      originalChannel,
      image.sourceIdentity,
    );
  }

  /** The recorded position. */
  get position(): number {
    return this.#writer.position;
  }

  /** Blocks written so far. */
  get blocksWritten(): number {
    return this.#writer.blocksWritten;
  }

  /** A write failure that ended the recording, or null. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * The ERROR Java's `sendPendingError` sends to the recording's control session (its START_RECORDING correlation
   * id) when a write failure ended the recording, before the STOP signal ({@link recordingErrorResponse}); null
   * when the recording ended without an error.
   */
  pendingError(): RecordingErrorResponse | null {
    return this.#error === null ? null : recordingErrorResponse(this.#error);
  }

  /** Whether recording has ended (the conductor then finishes it). */
  isDone(): boolean {
    return this.#done;
  }

  /** Ends the recording at the next duty cycle. */
  abort(): void {
    this.#aborted = true;
  }

  /** Records the next block; returns the bytes recorded. */
  doWork(): number {
    if (this.#done) return 0;
    if (this.#aborted) {
      this.#finish();
      return 1;
    }
    let bytes = 0;
    try {
      bytes = this.image.blockPoll(this.#onBlock, this.#blockLengthLimit);
    } catch (e) {
      this.#error = e;
      this.#finish();
      return 1;
    }
    if (this.#writer.isClosed) {
      this.#error ??= new ArchiveServerError('IO_ERROR', 'recording writer closed');
      this.#finish();
      return 1;
    }
    if (bytes > 0) {
      this.counter.set(this.#writer.position);
    } else if (this.image.isClosed || this.image.isEndOfStream) {
      this.#finish();
      return 1;
    }
    const events = this.#events;
    if (events !== null) {
      const position = this.#writer.position;
      if (
        this.#progressEventPosition < position &&
        events.progress(this.recordingId, this.image.joinPosition, position)
      )
        this.#progressEventPosition = position;
    }
    return bytes;
  }

  #finish(): void {
    this.#done = true;
    this.#writer.close();
    this.#events?.stopped(this.recordingId, this.image.joinPosition, this.#writer.position);
  }
}

/** The code and text of the ERROR a failed recording's control session gets. */
export interface RecordingErrorResponse {
  /** ArchiveException code: STORAGE_SPACE (11) for a full disk, else GENERIC (0). */
  readonly code: number;
  /** Java's text. */
  readonly message: string;
}

/**
 * What Java's RecordingSession sends for the error that ended a recording: an ArchiveException's code (the
 * RecordingWriter's STORAGE_SPACE when the disk is full, else GENERIC) and its message, which AeronException
 * prefixes with its category ("ERROR - java.io.IOException - No space left on device"); any other error GENERIC
 * with "<class>: <message>".
 */
export function recordingErrorResponse(error: unknown): RecordingErrorResponse {
  if (error instanceof ArchiveServerError) {
    const code = error.code === 'STORAGE_SPACE' ? ArchiveErrorCode.STORAGE_SPACE : ArchiveErrorCode.GENERIC;
    return { code, message: `ERROR - ${error.message}` };
  }
  const e = error as Error | undefined;
  return { code: ArchiveErrorCode.GENERIC, message: `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}` };
}

/**
 * Java `validateImageForExtendRecording`'s text when `image` does not continue the recording `r` exactly (join
 * position = its stop position, same initial term id, term length and MTU), else null.
 */
export function extensionRefusal(
  r: RecordingSummary,
  image: { joinPosition: number; initialTermId: number; termBufferLength: number; mtuLength: number },
): string | null {
  const id = r.recordingId;
  if (image.joinPosition !== r.stopPosition) {
    return `cannot extend recording ${id} image.joinPosition=${image.joinPosition} != rec.stopPosition=${r.stopPosition}`;
  }
  if (image.initialTermId !== r.initialTermId) {
    return `cannot extend recording ${id} image.initialTermId=${image.initialTermId} != rec.initialTermId=${r.initialTermId}`;
  }
  if (image.termBufferLength !== r.termBufferLength) {
    return `cannot extend recording ${id} image.termBufferLength=${image.termBufferLength} != rec.termBufferLength=${r.termBufferLength}`;
  }
  if (image.mtuLength !== r.mtuLength) {
    return `cannot extend recording ${id} image.mtuLength=${image.mtuLength} != rec.mtuLength=${r.mtuLength}`;
  }
  return null;
}
