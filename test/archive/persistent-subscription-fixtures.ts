/**
 * Shared pieces of the PersistentSubscription interop suites: a publisher of numbered, checksummed messages (and
 * one whose messages are recorded), a receiver that checks every message arrives once and in order, and a
 * persistent subscription under test with its receiver, the log of its listener and bounded polls.
 *
 * Message layout (little-endian), any length >= 12:
 * ```
 *   0  int32 sequence (0, 1, 2, … per publisher)
 *   4  length-8 bytes: (sequence * 31 + i) & 0xff for byte i
 *   L-4 int32 FNV-1a of bytes [0, L-4)
 * ```
 */
import type { ArchivingDriverHandle } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import type { AeronArchive } from '../../src/archive/aeron-archive.ts';
import {
  FROM_START,
  PersistentSubscription,
  type PersistentSubscriptionOptions,
} from '../../src/archive/persistent-subscription.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Header } from '../../src/logbuffer/header.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { offerUntilAccepted, pollUntil, WAIT_MS } from '../support/wait.ts';
import { awaitRecorded, awaitRecordingId } from './support/archive-interop.ts';

/** Java's `ONE_KB_MESSAGE_SIZE`: 1 KiB frames. */
export const ONE_KB_MESSAGE_LENGTH = 1024 - 32;

/** The driver settings of Aeron's PersistentSubscriptionTest (64k terms, short liveness/linger timeouts). */
export const PS_DRIVER_PROPERTIES: Record<string, string> = {
  'aeron.term.buffer.length': '65536',
  'aeron.ipc.term.buffer.length': '65536',
  'aeron.term.buffer.sparse.file': 'true',
  'aeron.image.liveness.timeout': '2s',
  'aeron.timer.interval': '100ms',
  'aeron.untethered.window.limit.timeout': '1s',
  'aeron.untethered.linger.timeout': '1s',
  'aeron.publication.linger.timeout': '1s',
  'aeron.spies.simulate.connection': 'true',
};

function fnv1a(bytes: Uint8Array, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes[i] ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function encodeMessage(sequence: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, sequence, true);
  for (let i = 4; i < length - 4; i++) bytes[i] = (sequence * 31 + i) & 0xff;
  view.setInt32(length - 4, fnv1a(bytes, length - 4), true);
  return bytes;
}

export class Publisher {
  published = 0;
  constructor(
    readonly publication: ExclusivePublication,
    private readonly messageLength = ONE_KB_MESSAGE_LENGTH,
  ) {}

  /** Offers `count` messages, retrying back pressure / not connected (30 s deadline per message). */
  async publish(count: number, length = this.messageLength): Promise<void> {
    for (let i = 0; i < count; i++) {
      await offerUntilAccepted(this.publication, encodeMessage(this.published, length));
      this.published++;
    }
  }
}

/** A publisher whose publication `archive` records as `recordingId`. */
export class RecordedPublisher extends Publisher {
  constructor(
    publication: ExclusivePublication,
    readonly archive: AeronArchive,
    readonly recordingId: number,
  ) {
    super(publication);
  }

  /** Publishes `count` messages and waits until the archive has recorded them. */
  readonly persist = async (count: number, length?: number): Promise<void> => {
    await this.publish(count, length);
    await awaitRecorded(this.archive, this.recordingId, this.publication.position());
  };
}

/** A publisher of `publication` once `archive` records it (it has a recording of its session). */
export async function recordedPublisher(
  archive: AeronArchive,
  publication: ExclusivePublication,
): Promise<RecordedPublisher> {
  const recordingId = await awaitRecordingId(archive, publication.streamId, publication.sessionId);
  return new RecordedPublisher(publication, archive, recordingId);
}

/**
 * A dynamic multi-destination-cast stream on a fresh control port: subscribers join `liveChannel`, the
 * publication is added on `publicationChannel` (fc=max: the fastest receiver sets the pace; 64k terms).
 */
export async function mdcChannels(): Promise<{ liveChannel: string; publicationChannel: string }> {
  const liveChannel = `aeron:udp?control=localhost:${await freeUdpPort()}`;
  return { liveChannel, publicationChannel: `${liveChannel}|control-mode=dynamic|fc=max|term-length=64k` };
}

/** Checks sequence (no gap, no duplicate), length and checksum of every message. */
export class Receiver {
  count = 0;
  readonly errors: string[] = [];
  readonly handler = (buffer: ReadableBuffer, offset: number, length: number, _header: Header): void => {
    const sequence = buffer.getInt32(offset);
    const bytes = new Uint8Array(length);
    buffer.getBytes(offset, bytes, 0, length);
    const expected = fnv1a(bytes, length - 4);
    const actual = new DataView(bytes.buffer).getInt32(length - 4, true);
    if (this.errors.length < 10) {
      if (sequence !== this.count) this.errors.push(`expected ${this.count}, got ${sequence} (length ${length})`);
      else if (actual !== expected) this.errors.push(`checksum mismatch in message ${sequence} (length ${length})`);
    }
    this.count++;
  };
}

/**
 * Options of a persistent subscription to `recordingId` from its start, on a remote archive: control and replay
 * over UDP (`endpoint=localhost:0`), replay stream -5.
 */
export function remoteSubscriptionOptions(
  aeron: Aeron,
  remote: ArchivingDriverHandle,
  recordingId: number,
  liveChannel: string,
  liveStreamId: number,
  messageTimeoutMs: number,
): Omit<PersistentSubscriptionOptions, 'listener'> {
  return {
    aeron,
    archive: {
      controlRequestChannel: remote.controlChannel,
      controlRequestStreamId: remote.controlStreamId,
      controlResponseChannel: 'aeron:udp?endpoint=localhost:0',
      messageTimeoutMs,
    },
    recordingId,
    startPosition: FROM_START,
    liveChannel,
    liveStreamId,
    replayChannel: 'aeron:udp?endpoint=localhost:0',
    replayStreamId: -5,
  };
}

/**
 * A persistent subscription under test: its messages go to `receiver`, its listener's calls to `events`
 * ('joined', 'left') and `errors`; `detail()` describes all of it for the message of a failed wait.
 */
export class TrackedSubscription {
  private constructor(
    readonly persistent: PersistentSubscription,
    readonly receiver: Receiver,
    readonly events: string[],
    readonly errors: unknown[],
  ) {}

  /** Creates the persistent subscription with a listener that logs into the tracked subscription. */
  static async create(
    options: Omit<PersistentSubscriptionOptions, 'listener'>,
    receiver = new Receiver(),
  ): Promise<TrackedSubscription> {
    const events: string[] = [];
    const errors: unknown[] = [];
    const persistent = await PersistentSubscription.create({
      ...options,
      listener: {
        onLiveJoined: () => events.push('joined'),
        onLiveLeft: () => events.push('left'),
        onError: (e) => errors.push(e),
      },
    });
    return new TrackedSubscription(persistent, receiver, events, errors);
  }

  readonly detail = (): string =>
    `state=${this.persistent.state} received=${this.receiver.count} events=${this.events.join(',')} errors=${this.errors.map(String).join(';')}`;

  /** One poll of up to `fragmentLimit` messages into the receiver; the work it did. */
  readonly poll = (fragmentLimit = 10): number => this.persistent.poll(this.receiver.handler, fragmentLimit);

  /** Polls (`fragmentLimit` messages a poll) until `done()`; fails naming `what`, with `detail()`. */
  async pollUntil(what: string, done: () => boolean, timeoutMs = WAIT_MS, fragmentLimit = 10): Promise<void> {
    await pollUntil(what, () => this.poll(fragmentLimit), done, timeoutMs, { detail: this.detail });
  }

  /** Polls until the subscription is live. */
  async untilLive(timeoutMs = WAIT_MS, fragmentLimit = 10): Promise<void> {
    await this.pollUntil('live', () => this.persistent.isLive(), timeoutMs, fragmentLimit);
  }
}
