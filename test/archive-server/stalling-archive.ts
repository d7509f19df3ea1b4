/**
 * A replication source that goes silent: it answers the archive control protocol over a real media driver the way
 * an archive does (AUTH_CONNECT / CONNECT, ARCHIVE_ID, LIST_RECORDING of one recording, RECORDING_POSITION,
 * REPLAY, STOP_REPLAY) until the request named by `stallAt`, which it never answers, so that a destination
 * archive's ReplicationSession times out in that state (Java's and the TS archive's, for their texts):
 *
 * | stallAt              | answered                                             | the destination times out in   |
 * |----------------------|------------------------------------------------------|--------------------------------|
 * | `LIST_RECORDING`     | the connect                                          | REPLICATE_DESCRIPTOR           |
 * | `RECORDING_POSITION` | + the descriptor (an active recording)               | SRC_RECORDING_POSITION (live)  |
 * | `REPLAY`             | + the descriptor (stopped at 4096) and positions     | REPLAY                         |
 * | `REPLAY_IMAGE`       | + REPLAY, OK with a replay session id that never publishes | AWAIT_IMAGE              |
 * | `LIVE_JOIN`          | + REPLAY, with a publication of that session on the replay channel (connected, no data), and the first RECORDING_POSITION (0) | ATTEMPT_LIVE_JOIN (three timeouts) |
 *
 * Test code: every request is kept in `requests` (template names, in arrival order).
 */
import {
  ControlResponseCode,
  ControlResponseEncoder,
  MessageHeaderEncoder,
  RecordingDescriptorEncoder,
} from '../../codecs/generated/archive/index.ts';
import type { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { decodeArchiveMessage } from '../archive/support/fake-archive.ts';
import { offerUntilAccepted } from '../support/wait.ts';

/** The request a {@link StallingArchive} never answers (module comment). */
export type StallAt = 'LIST_RECORDING' | 'RECORDING_POSITION' | 'REPLAY' | 'REPLAY_IMAGE' | 'LIVE_JOIN';

/** Where the stalling source listens, and where it stalls. */
export interface StallingArchiveOptions {
  readonly aeron: Aeron;
  /** Its control request channel (a UDP endpoint the destinations reach). */
  readonly controlChannel: string;
  readonly controlStreamId: number;
  readonly stallAt: StallAt;
}

/** The replay session id REPLAY_IMAGE answers: no publication of its low 32 bits (0x7000_0001) ever appears. */
export const SILENT_REPLAY_SESSION_ID = 0x7000_0001;

/** The recording it describes: ACTIVE for the live stalls, else stopped at this position. */
const STOPPED_AT = 4096;
const PROTOCOL_VERSION = (1 << 16) | (12 << 8);
const ARCHIVE_ID = 4711;

/** A source archive that stops answering at one request (module comment). */
export class StallingArchive {
  /** The template names of the requests received, in order. */
  readonly requests: string[] = [];
  readonly #options: StallingArchiveOptions;
  readonly #subscription: Subscription;
  readonly #sessions = new Map<number, Promise<ExclusivePublication>>();
  readonly #sends = new Map<number, Promise<unknown>>();
  readonly #replays: ExclusivePublication[] = [];
  readonly #pending = new Set<Promise<unknown>>();
  #nextSessionId = 9000;
  #positionsAnswered = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(options: StallingArchiveOptions, subscription: Subscription) {
    this.#options = options;
    this.#subscription = subscription;
    this.#timer = setInterval(() => this.#poll(), 1);
  }

  /** Subscribes to the control channel and starts answering. */
  static async start(options: StallingArchiveOptions): Promise<StallingArchive> {
    const subscription = await options.aeron.addSubscription(options.controlChannel, options.controlStreamId);
    return new StallingArchive(options, subscription);
  }

  get controlChannel(): string {
    return this.#options.controlChannel;
  }

  /** Stops answering and closes its publications (a response still being offered fails) and subscription. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#subscription.close();
    const sessions = await Promise.allSettled([...this.#sessions.values()]);
    for (const session of sessions) if (session.status === 'fulfilled') session.value.close();
    await Promise.allSettled([...this.#pending]);
    for (const replay of this.#replays) replay.close();
  }

  #poll(): void {
    if (this.#closed) return;
    this.#subscription.poll((buffer, offset, length) => {
      const bytes = new Uint8Array(length);
      buffer.getBytes(offset, bytes, 0, length);
      this.#onRequest(bytes);
    }, 10);
  }

  #onRequest(bytes: Uint8Array): void {
    const { name, json } = decodeArchiveMessage(bytes);
    this.requests.push(name);
    const stallAt = this.#options.stallAt;
    const correlationId = BigInt(String(json.correlationId ?? -1));
    const sessionId = Number(json.controlSessionId ?? -1);
    switch (name) {
      case 'AuthConnectRequest':
      case 'ConnectRequest': {
        const controlSessionId = this.#nextSessionId++;
        const publication = this.#options.aeron.addExclusivePublication(
          String(json.responseChannel),
          Number(json.responseStreamId),
        );
        this.#sessions.set(controlSessionId, publication);
        this.#respond(controlSessionId, correlationId, BigInt(controlSessionId));
        return;
      }
      case 'ArchiveIdRequest':
        this.#respond(sessionId, correlationId, BigInt(ARCHIVE_ID));
        return;
      case 'ListRecordingRequest':
        if (stallAt !== 'LIST_RECORDING') this.#describe(sessionId, correlationId, BigInt(String(json.recordingId)));
        return;
      case 'RecordingPositionRequest': {
        const live = stallAt === 'RECORDING_POSITION' || stallAt === 'LIVE_JOIN';
        if (stallAt === 'RECORDING_POSITION' || (stallAt === 'LIVE_JOIN' && this.#positionsAnswered > 0)) return;
        this.#positionsAnswered++;
        this.#respond(sessionId, correlationId, live ? 0n : BigInt(STOPPED_AT));
        return;
      }
      case 'ReplayRequest':
        if (stallAt === 'REPLAY') return;
        if (stallAt === 'LIVE_JOIN') {
          this.#liveReplay(sessionId, correlationId, String(json.replayChannel), Number(json.replayStreamId));
          return;
        }
        this.#respond(sessionId, correlationId, BigInt(SILENT_REPLAY_SESSION_ID));
        return;
      case 'StopReplayRequest':
        this.#respond(sessionId, correlationId, 0n);
        return;
      default:
        return; // KeepAlive, CloseSession
    }
  }

  /** A publication of the replay channel's session id (connected, nothing sent), then OK with that session id. */
  #liveReplay(sessionId: number, correlationId: bigint, channel: string, streamId: number): void {
    this.#track(
      // the stream the descriptor describes, from its start (the destination extends its recording with it)
      this.#options.aeron
        .addExclusivePublication(
          `${channel}|init-term-id=7|term-id=7|term-offset=0|term-length=65536|mtu=1408`,
          streamId,
        )
        .then((publication) => {
          this.#replays.push(publication);
          this.#respond(sessionId, correlationId, BigInt(publication.sessionId));
        }),
    );
  }

  #describe(sessionId: number, correlationId: bigint, recordingId: bigint): void {
    const active = this.#options.stallAt === 'RECORDING_POSITION' || this.#options.stallAt === 'LIVE_JOIN';
    const buffer = new Uint8Array(1024);
    const encoder = new RecordingDescriptorEncoder()
      .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
      .controlSessionId(sessionId)
      .correlationIdBigInt(correlationId)
      .recordingIdBigInt(recordingId)
      .startTimestamp(1_700_000_000_000)
      .stopTimestamp(active ? -1 : 1_700_000_001_000)
      .startPosition(0)
      .stopPosition(active ? -1 : STOPPED_AT)
      .initialTermId(7)
      .segmentFileLength(128 * 1024)
      .termBufferLength(64 * 1024)
      .mtuLength(1408)
      .sessionId(777)
      .streamId(1234)
      .strippedChannel('aeron:udp?endpoint=localhost:20121')
      .originalChannel('aeron:udp?endpoint=localhost:20121|alias=stalled')
      .sourceIdentity('127.0.0.1:20121');
    this.#send(sessionId, buffer.subarray(0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()));
  }

  #respond(sessionId: number, correlationId: bigint, relevantId: bigint): void {
    const buffer = new Uint8Array(256);
    const encoder = new ControlResponseEncoder()
      .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
      .controlSessionId(sessionId)
      .correlationIdBigInt(correlationId)
      .relevantIdBigInt(relevantId)
      .code(ControlResponseCode.OK)
      .version(PROTOCOL_VERSION)
      .errorMessage('');
    this.#send(sessionId, buffer.subarray(0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength()));
  }

  /** Offers `message` on the session's response publication once the ones before it were accepted. */
  #send(sessionId: number, message: Uint8Array): void {
    const session = this.#sessions.get(sessionId);
    if (session === undefined) return;
    const previous = this.#sends.get(sessionId) ?? session;
    const next = previous.catch(() => {}).then(async () => offerUntilAccepted(await session, message, 20_000));
    this.#sends.set(sessionId, next);
    this.#track(next);
  }

  #track(work: Promise<unknown>): void {
    const settled = work.catch(() => {}).finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }
}
