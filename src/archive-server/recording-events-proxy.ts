/**
 * Publishes recording events on the archive's recording events channel (Java `RecordingEventsProxy`), when
 * `recordingEventsEnabled`: RecordingStarted when a recording starts, RecordingProgress when its recorded
 * position has moved (at most once per recorder duty cycle), RecordingStopped when it ends.
 *
 * ```
 *  RecordingStarted  (101): recordingId, startPosition, sessionId, streamId, channel (original), sourceIdentity
 *  RecordingProgress (102): recordingId, startPosition, position        (one try; retried next cycle)
 *  RecordingStopped  (103): recordingId, startPosition, stopPosition
 *  started / stopped: up to 3 offers (SEND_ATTEMPTS); NOT_CONNECTED drops the event, as Java does
 * ```
 * One buffer and one encoder per message type are reused: `progress` allocates nothing.
 */
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { RecordingProgressEncoder } from '../../codecs/generated/archive/RecordingProgressEncoder.ts';
import { RecordingStartedEncoder } from '../../codecs/generated/archive/RecordingStartedEncoder.ts';
import { RecordingStoppedEncoder } from '../../codecs/generated/archive/RecordingStoppedEncoder.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import { NOT_CONNECTED } from '../client/publication.ts';
import { SEND_ATTEMPTS } from './control-response-proxy.ts';

const HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
const BUFFER_LENGTH = 4096;

/** The recording events publisher (module comment). */
export class RecordingEventsProxy {
  readonly #publication: ExclusivePublication;
  readonly #buffer = new Uint8Array(BUFFER_LENGTH);
  readonly #header = new MessageHeaderEncoder();
  readonly #started = new RecordingStartedEncoder();
  readonly #progress = new RecordingProgressEncoder();
  readonly #stopped = new RecordingStoppedEncoder();

  /** Events go out on `publication` (the proxy closes it). */
  constructor(publication: ExclusivePublication) {
    this.#publication = publication;
  }

  /** RecordingStarted. */
  started(
    recordingId: number,
    startPosition: number,
    sessionId: number,
    streamId: number,
    channel: string,
    sourceIdentity: string,
  ): void {
    const encoder = this.#started
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .recordingId(recordingId)
      .startPosition(startPosition)
      .sessionId(sessionId)
      .streamId(streamId)
      .channel(channel)
      .sourceIdentity(sourceIdentity);
    this.#send(HEADER + encoder.encodedLength());
  }

  /** RecordingProgress, one try; true when it was published. */
  progress(recordingId: number, startPosition: number, position: number): boolean {
    this.#progress
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .recordingId(recordingId)
      .startPosition(startPosition)
      .position(position);
    return this.#publication.offer(this.#buffer, 0, HEADER + RecordingProgressEncoder.BLOCK_LENGTH) > 0;
  }

  /** RecordingStopped. */
  stopped(recordingId: number, startPosition: number, stopPosition: number): void {
    this.#stopped
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .recordingId(recordingId)
      .startPosition(startPosition)
      .stopPosition(stopPosition);
    this.#send(HEADER + RecordingStoppedEncoder.BLOCK_LENGTH);
  }

  /** Closes the events publication. */
  close(): void {
    this.#publication.close();
  }

  #send(length: number): void {
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      const position = this.#publication.offer(this.#buffer, 0, length);
      if (position > 0 || position === NOT_CONNECTED) return;
    }
  }
}
