/**
 * Recording events (Java `RecordingEventsAdapter` / `RecordingEventsListener`): the archive publishes
 * RecordingStarted (101), RecordingProgress (102) and RecordingStopped (103) on the recording events channel
 * (`aeron.archive.recording.events.channel`, stream 30 by default) when `aeron.archive.recording.events.enabled`.
 *
 * ```
 *   Subscription(events channel) ──poll──▶ RecordingEventsAdapter ──▶ listener.onStart / onProgress / onStop
 *                                                                   └▶ async iterator of RecordingEvent
 * ```
 * Events are small and unfragmented; strings (channel, source identity) are decoded only for `started`.
 * Ids and positions are exact numbers: an event carrying a value a number cannot hold exactly is not delivered;
 * its `ArchiveValueRangeError` is thrown from the fragment handler, which the Aeron client passes to its error
 * handler (as it does for a message of another schema).
 */
import {
  MessageHeaderDecoder,
  RecordingProgressDecoder,
  RecordingStartedDecoder,
  RecordingStoppedDecoder,
} from '../../codecs/generated/archive/index.ts';
import { IllegalStateError } from '../../codecs/runtime/aeron-error.ts';
import type { Subscription } from '../client/subscription.ts';
import type { FragmentHandler } from '../logbuffer/fragment-handler.ts';
import type { ReadableBuffer } from '../logbuffer/log-buffer-memory.ts';
import { ArchiveError, ArchiveReentrantCallError } from './archive-error.ts';
import { AsyncEventQueue } from './async-event-queue.ts';
import { exactInt64 } from './exact-int64.ts';

/** Java `RecordingEventsListener`: one optional method per event; ids and positions are exact numbers. */
export interface RecordingEventsListener {
  /** RecordingStarted: the recording of an image began at `startPosition`. */
  onStart?(
    recordingId: number,
    startPosition: number,
    sessionId: number,
    streamId: number,
    channel: string,
    sourceIdentity: string,
  ): void;
  /** RecordingProgress: the recording has reached `position`. */
  onProgress?(recordingId: number, startPosition: number, position: number): void;
  /** RecordingStopped: the recording stopped at `stopPosition`. */
  onStop?(recordingId: number, startPosition: number, stopPosition: number): void;
}

/** RecordingStarted as the `recordingEvents()` iterator yields it. */
export interface RecordingStartedEvent {
  /** The event kind. */
  readonly type: 'started';
  /** The recording's id. */
  readonly recordingId: number;
  /** Where the recording starts. */
  readonly startPosition: number;
  /** The recorded image's session id. */
  readonly sessionId: number;
  /** The recorded stream id. */
  readonly streamId: number;
  /** The recorded channel. */
  readonly channel: string;
  /** The image's source identity. */
  readonly sourceIdentity: string;
}

/** RecordingProgress as the `recordingEvents()` iterator yields it. */
export interface RecordingProgressEvent {
  /** The event kind. */
  readonly type: 'progress';
  /** The recording's id. */
  readonly recordingId: number;
  /** Where the recording starts. */
  readonly startPosition: number;
  /** How far it has recorded. */
  readonly position: number;
}

/** RecordingStopped as the `recordingEvents()` iterator yields it. */
export interface RecordingStoppedEvent {
  /** The event kind. */
  readonly type: 'stopped';
  /** The recording's id. */
  readonly recordingId: number;
  /** Where the recording starts. */
  readonly startPosition: number;
  /** Where it stopped. */
  readonly stopPosition: number;
}

/** A recording event as the `recordingEvents()` iterator yields it. */
export type RecordingEvent = RecordingStartedEvent | RecordingProgressEvent | RecordingStoppedEvent;

const SCHEMA_ID = RecordingStartedDecoder.SCHEMA_ID;

function bytesOf(buffer: ReadableBuffer): Uint8Array {
  const bytes = (buffer as { readonly bytes?: unknown }).bytes;
  if (bytes instanceof Uint8Array) return bytes;
  throw new IllegalStateError('fragment buffer exposes no bytes view');
}

/**
 * Java `RecordingEventsAdapter`: polls the recording events subscription and calls the listener per event. The
 * listener may call anything but this adapter's `poll()` (`ArchiveReentrantCallError`).
 */
export class RecordingEventsAdapter {
  readonly #header = new MessageHeaderDecoder();
  readonly #started = new RecordingStartedDecoder();
  readonly #progress = new RecordingProgressDecoder();
  readonly #stopped = new RecordingStoppedDecoder();
  readonly #onFragment: FragmentHandler = (buffer, offset) => this.#onMessage(bytesOf(buffer), offset);
  #polling = false;

  readonly #listener: RecordingEventsListener;
  readonly #fragmentLimit: number;

  /**
   * @param subscription the subscription to the archive's recording events channel (Java
   *   `Context.recordingEventsChannel` / `recordingEventsStreamId`).
   * @param listener called once per event.
   * @param fragmentLimit fragments per poll (default 10).
   */
  constructor(
    readonly subscription: Subscription,
    listener: RecordingEventsListener,
    fragmentLimit = 10,
  ) {
    this.#listener = listener;
    this.#fragmentLimit = fragmentLimit;
  }

  /**
   * Polls the events subscription; returns the fragments read.
   *
   * @throws ArchiveReentrantCallError when called from the listener during a poll.
   */
  poll(): number {
    if (this.#polling) throw new ArchiveReentrantCallError('RecordingEventsAdapter.poll');
    this.#polling = true;
    try {
      return this.subscription.poll(this.#onFragment, this.#fragmentLimit);
    } finally {
      this.#polling = false;
    }
  }

  #onMessage(buffer: Uint8Array, offset: number): void {
    const header = this.#header.wrap(buffer, offset);
    if (header.schemaId() !== SCHEMA_ID) {
      throw new ArchiveError(`expected schemaId=${SCHEMA_ID}, actual=${header.schemaId()}`);
    }
    const body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
    const l = this.#listener;
    switch (header.templateId()) {
      case RecordingStartedDecoder.TEMPLATE_ID: {
        const d = this.#started.wrap(buffer, body, header.blockLength(), header.version());
        const recordingId = exactInt64(d.recordingId(), () => d.recordingIdBigInt(), 'recordingId');
        const startPosition = exactInt64(d.startPosition(), () => d.startPositionBigInt(), 'startPosition');
        l.onStart?.(recordingId, startPosition, d.sessionId(), d.streamId(), d.channel(), d.sourceIdentity());
        break;
      }
      case RecordingProgressDecoder.TEMPLATE_ID: {
        const d = this.#progress.wrap(buffer, body, header.blockLength(), header.version());
        l.onProgress?.(
          exactInt64(d.recordingId(), () => d.recordingIdBigInt(), 'recordingId'),
          exactInt64(d.startPosition(), () => d.startPositionBigInt(), 'startPosition'),
          exactInt64(d.position(), () => d.positionBigInt(), 'position'),
        );
        break;
      }
      case RecordingStoppedDecoder.TEMPLATE_ID: {
        const d = this.#stopped.wrap(buffer, body, header.blockLength(), header.version());
        l.onStop?.(
          exactInt64(d.recordingId(), () => d.recordingIdBigInt(), 'recordingId'),
          exactInt64(d.startPosition(), () => d.startPositionBigInt(), 'startPosition'),
          exactInt64(d.stopPosition(), () => d.stopPositionBigInt(), 'stopPosition'),
        );
        break;
      }
    }
  }
}

/**
 * Recording events as an async iterator: polls `subscription` on the event loop every `pollIntervalMs` until
 * `return()` / `break` or the subscription closes. The subscription stays the caller's.
 */
export function recordingEvents(subscription: Subscription, pollIntervalMs = 1): AsyncIterableIterator<RecordingEvent> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const queue: AsyncEventQueue<RecordingEvent> = new AsyncEventQueue(() => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  });
  const adapter = new RecordingEventsAdapter(subscription, {
    onStart: (recordingId, startPosition, sessionId, streamId, channel, sourceIdentity) =>
      queue.push({ type: 'started', recordingId, startPosition, sessionId, streamId, channel, sourceIdentity }),
    onProgress: (recordingId, startPosition, position) =>
      queue.push({ type: 'progress', recordingId, startPosition, position }),
    onStop: (recordingId, startPosition, stopPosition) =>
      queue.push({ type: 'stopped', recordingId, startPosition, stopPosition }),
  });
  const tick = (): void => {
    timer = null;
    if (subscription.isClosed) {
      queue.end();
      return;
    }
    try {
      adapter.poll();
    } catch (error) {
      queue.end(error);
      return;
    }
    timer = setTimeout(tick, pollIntervalMs);
  };
  timer = setTimeout(tick, 0);
  return queue;
}
