/**
 * Encodes what the archive sends on a control session's response publication (Java `ControlResponseProxy`):
 * ControlResponse, RecordingDescriptor (the catalog's bytes after the recordingId offset behind a fresh
 * header, controlSessionId and correlationId), RecordingSubscriptionDescriptor, RecordingSignalEvent, Challenge and Ping. Each send tries the offer 3 times
 * (SEND_ATTEMPTS) and returns false when the publication stayed back pressured; NOT_CONNECTED and CLOSED abort
 * the session (`onSendFailed`), as Java's `checkResult` does.
 *
 * ```
 *  descriptor message = MessageHeader (8) | controlSessionId (8) | correlationId (8) | catalog descriptor
 *                       bytes from recordingId (descriptor offset 16) to the end of its `length`
 * ```
 */

import { ChallengeEncoder } from '../../codecs/generated/archive/ChallengeEncoder.ts';
import type { ControlResponseCode } from '../../codecs/generated/archive/ControlResponseCode.ts';
import { ControlResponseEncoder } from '../../codecs/generated/archive/ControlResponseEncoder.ts';
import { MessageHeaderEncoder } from '../../codecs/generated/archive/MessageHeaderEncoder.ts';
import { PingEncoder } from '../../codecs/generated/archive/PingEncoder.ts';
import { RecordingDescriptorEncoder } from '../../codecs/generated/archive/RecordingDescriptorEncoder.ts';
import type { RecordingSignal } from '../../codecs/generated/archive/RecordingSignal.ts';
import { RecordingSignalEventEncoder } from '../../codecs/generated/archive/RecordingSignalEventEncoder.ts';
import { RecordingSubscriptionDescriptorEncoder } from '../../codecs/generated/archive/RecordingSubscriptionDescriptorEncoder.ts';
import { PROTOCOL_SEMANTIC_VERSION } from '../archive/archive-context.ts';
import { DESCRIPTOR_HEADER_LENGTH } from '../archive/catalog/catalog-layout.ts';
import type { ExclusivePublication } from '../client/exclusive-publication.ts';
import { CLOSED, NOT_CONNECTED } from '../client/publication.ts';

/** Java `ControlResponseProxy.SEND_ATTEMPTS`. */
export const SEND_ATTEMPTS = 3;
const HEADER = MessageHeaderEncoder.ENCODED_LENGTH;
const DESCRIPTOR_PREFIX_LENGTH = HEADER + 16;
const DESCRIPTOR_CONTENT_OFFSET = DESCRIPTOR_HEADER_LENGTH + RecordingDescriptorEncoder.recordingIdEncodingOffset();

/** Called when a send finds the publication NOT_CONNECTED or CLOSED (the session aborts). */
export type SendFailureHandler = (reason: string) => void;

/** The encoders and scratch buffer of the archive's control responses (module comment). */
export class ControlResponseProxy {
  readonly #buffer = new Uint8Array(64 * 1024);
  readonly #header = new MessageHeaderEncoder();
  readonly #response = new ControlResponseEncoder();
  readonly #descriptor = new RecordingDescriptorEncoder();
  readonly #signal = new RecordingSignalEventEncoder();
  readonly #ping = new PingEncoder();
  readonly #challenge = new ChallengeEncoder();
  readonly #subscriptionDescriptor = new RecordingSubscriptionDescriptorEncoder();

  /** ControlResponse with the archive's protocol version (1.12.0) and an optional error message. */
  sendResponse(
    publication: ExclusivePublication,
    controlSessionId: number,
    correlationId: number,
    relevantId: number,
    code: ControlResponseCode,
    errorMessage: string | null,
    onFailed: SendFailureHandler,
  ): boolean {
    const encoder = this.#response
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(controlSessionId)
      .correlationId(correlationId)
      .relevantId(relevantId)
      .code(code)
      .version(PROTOCOL_SEMANTIC_VERSION)
      .errorMessage(errorMessage ?? '');
    return this.#send(publication, HEADER + encoder.encodedLength(), onFailed);
  }

  /** One catalog descriptor (frame at `frameOffset` of `catalogBytes`, its header's `length`) as a listing entry. */
  sendDescriptor(
    publication: ExclusivePublication,
    controlSessionId: number,
    correlationId: number,
    catalogBytes: Uint8Array,
    frameOffset: number,
    descriptorLength: number,
    onFailed: SendFailureHandler,
  ): boolean {
    this.#descriptor
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(controlSessionId)
      .correlationId(correlationId);
    const contentLength = descriptorLength - RecordingDescriptorEncoder.recordingIdEncodingOffset();
    const start = frameOffset + DESCRIPTOR_CONTENT_OFFSET;
    this.#buffer.set(catalogBytes.subarray(start, start + contentLength), DESCRIPTOR_PREFIX_LENGTH);
    return this.#send(publication, DESCRIPTOR_PREFIX_LENGTH + contentLength, onFailed);
  }

  /** RecordingSubscriptionDescriptor (a LIST_RECORDING_SUBSCRIPTIONS entry). */
  sendSubscriptionDescriptor(
    publication: ExclusivePublication,
    controlSessionId: number,
    correlationId: number,
    subscriptionId: number,
    streamId: number,
    channel: string,
    onFailed: SendFailureHandler,
  ): boolean {
    const encoder = this.#subscriptionDescriptor
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(controlSessionId)
      .correlationId(correlationId)
      .subscriptionId(subscriptionId)
      .streamId(streamId)
      .strippedChannel(channel);
    return this.#send(publication, HEADER + encoder.encodedLength(), onFailed);
  }

  /** RecordingSignalEvent. */
  sendSignal(
    publication: ExclusivePublication,
    controlSessionId: number,
    correlationId: number,
    recordingId: number,
    subscriptionId: number,
    position: number,
    signal: RecordingSignal,
    onFailed: SendFailureHandler,
  ): boolean {
    this.#signal
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(controlSessionId)
      .correlationId(correlationId)
      .recordingId(recordingId)
      .subscriptionId(subscriptionId)
      .position(position)
      .signal(signal);
    return this.#send(publication, HEADER + RecordingSignalEventEncoder.BLOCK_LENGTH, onFailed);
  }

  /** Challenge (an authenticator's challenge to a connecting client). */
  sendChallenge(
    publication: ExclusivePublication,
    controlSessionId: number,
    correlationId: number,
    encodedChallenge: Uint8Array,
    onFailed: SendFailureHandler,
  ): boolean {
    const encoder = this.#challenge
      .wrapAndApplyHeader(this.#buffer, 0, this.#header)
      .controlSessionId(controlSessionId)
      .correlationId(correlationId)
      .version(PROTOCOL_SEMANTIC_VERSION)
      .encodedChallenge(encodedChallenge);
    return this.#send(publication, HEADER + encoder.encodedLength(), onFailed);
  }

  /** Ping (the session liveness check). */
  sendPing(publication: ExclusivePublication, controlSessionId: number, onFailed: SendFailureHandler): boolean {
    this.#ping.wrapAndApplyHeader(this.#buffer, 0, this.#header).controlSessionId(controlSessionId);
    return this.#send(publication, HEADER + PingEncoder.BLOCK_LENGTH, onFailed);
  }

  #send(publication: ExclusivePublication, length: number, onFailed: SendFailureHandler): boolean {
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      const position = publication.offer(this.#buffer, 0, length);
      if (position > 0) return true;
      if (position === NOT_CONNECTED) {
        onFailed('control response publication is not connected');
        return false;
      }
      if (position === CLOSED) {
        onFailed('control response publication is closed');
        return false;
      }
    }
    return false;
  }
}
