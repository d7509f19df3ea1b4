/**
 * An in-memory Aeron Archive for unit tests: implements `ControlTransportFactory` with in-memory channels and
 * answers the control protocol like the real archive (ArchiveConductor/ControlSession, 1.51.0): AuthConnect →
 * OK (or Challenge, or ERROR AUTHENTICATION_REJECTED), ArchiveIdRequest → archive id, listings as descriptors
 * ending in RECORDING_UNKNOWN / SUBSCRIPTION_UNKNOWN, OK / ERROR for everything else, signals and Pings on demand.
 * Every request is recorded (template id + decoded JSON via the generated decoders) for byte-level assertions.
 */
import {
  ChallengeEncoder,
  ControlResponseCode,
  ControlResponseEncoder,
  MessageHeaderDecoder,
  MessageHeaderEncoder,
  PingEncoder,
  RecordingDescriptorEncoder,
  type RecordingSignal,
  RecordingSignalEventEncoder,
  RecordingSubscriptionDescriptorEncoder,
} from '../../../codecs/generated/archive/index.ts';
import { SCHEMA } from '../../../codecs/generated/archive/schema-meta.ts';
import {
  ControlledAction,
  type ControlMessageHandler,
  type ControlPublication,
  type ControlSubscription,
  type ControlTransportFactory,
  type PendingResource,
} from '../../../src/archive/control-transport.ts';

export interface RecordedRequest {
  readonly templateId: number;
  readonly name: string;
  readonly json: Record<string, unknown>;
  readonly bytes: Uint8Array;
}

export interface FakeRecording {
  readonly recordingId: number;
  readonly streamId: number;
  readonly channel: string;
  /** Stop position in the descriptor (default -1, active); a bigint is written exactly (values past 2^53). */
  readonly stopPosition?: number | bigint;
}

interface Decoder {
  wrapAndApplyHeader(
    buffer: Uint8Array,
    offset: number,
    header: MessageHeaderDecoder,
  ): { toJSON(): Record<string, unknown> };
}

/** Decodes one archive message (header + body) into its template name and JSON. */
export function decodeArchiveMessage(bytes: Uint8Array): {
  templateId: number;
  name: string;
  json: Record<string, unknown>;
} {
  const header = new MessageHeaderDecoder().wrap(bytes, 0);
  const templateId = header.templateId();
  const meta = SCHEMA.messages.find((m) => m.templateId === templateId);
  if (meta === undefined) throw new Error(`unknown template ${templateId}`);
  const decoder = new meta.Decoder() as unknown as Decoder;
  const json = decoder.wrapAndApplyHeader(bytes, 0, new MessageHeaderDecoder()).toJSON();
  return { templateId, name: meta.name, json };
}

export class MemoryPublication implements ControlPublication {
  connected = true;
  closed = false;
  position = 0;
  /** Results to return instead of accepting, consumed one per offer (e.g. BACK_PRESSURED). */
  readonly scriptedResults: number[] = [];
  offers = 0;

  constructor(
    readonly channel: string,
    readonly streamId: number,
    private readonly onMessage: (bytes: Uint8Array) => void,
  ) {}

  offer(buffer: Uint8Array, offset: number, length: number): number {
    this.offers++;
    const scripted = this.scriptedResults.shift();
    if (scripted !== undefined) return scripted;
    if (this.closed) return -4;
    if (!this.connected) return -1;
    this.position += length;
    this.onMessage(buffer.slice(offset, offset + length));
    return this.position;
  }

  isConnected(): boolean {
    return this.connected && !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}

export class MemorySubscription implements ControlSubscription {
  connected = true;
  closed = false;
  readonly messages: Uint8Array[] = [];

  constructor(
    readonly registrationId: number,
    readonly channel: string,
    readonly streamId: number,
  ) {}

  controlledPoll(handler: ControlMessageHandler, fragmentLimit: number): number {
    let consumed = 0;
    while (consumed < fragmentLimit && this.messages.length > 0 && !this.closed) {
      const message = this.messages[0] as Uint8Array;
      const action = handler(message, 0, message.length);
      if (action === ControlledAction.ABORT) break;
      this.messages.shift();
      consumed++;
      if (action === ControlledAction.BREAK) break;
    }
    return consumed;
  }

  isConnected(): boolean {
    return this.connected && !this.closed;
  }

  tryResolveChannelEndpointPort(): string | null {
    return this.channel;
  }

  close(): void {
    this.closed = true;
  }
}

class Pending<T extends { close(): void }> implements PendingResource<T> {
  cancelled = false;
  constructor(
    private readonly resource: T,
    private pollsLeft: number,
  ) {}
  poll(): T | null {
    if (this.cancelled) return null;
    return --this.pollsLeft <= 0 ? this.resource : null;
  }
  cancel(): void {
    this.cancelled = true;
    this.resource.close();
  }
}

export interface FakeArchiveOptions {
  controlSessionId?: number;
  archiveId?: number | bigint;
  /** Protocol version in connect responses (default 1.12.0). */
  version?: number;
  /** Send a Challenge with these bytes in answer to AuthConnect. */
  challenge?: Uint8Array;
  /** Credentials the archive accepts (connect or challenge response); undefined accepts anything. */
  acceptCredentials?: string;
}

export class FakeArchive implements ControlTransportFactory {
  readonly controlSessionId: number;
  readonly archiveId: number | bigint;
  readonly version: number;
  challenge: Uint8Array | undefined;
  acceptCredentials: string | undefined;
  readonly requests: RecordedRequest[] = [];
  readonly publications: MemoryPublication[] = [];
  readonly subscriptions: MemorySubscription[] = [];
  readonly recordings: FakeRecording[] = [];
  readonly recordingSubscriptions: { subscriptionId: number; streamId: number; channel: string }[] = [];
  /** relevantId of the OK answer, by template id (default 0). */
  readonly answers = new Map<number, number | bigint>();
  /** ERROR answers by template id. */
  readonly errors = new Map<number, { errorCode: number; message: string }>();
  /** Templates the archive does not answer. */
  readonly silent = new Set<number>();
  /** Ping after each answer, as an ACTIVE session would now and then. */
  pingEveryAnswer = false;
  sessionClosed = false;
  correlationIds = 1000;
  private registrationIds = 1;
  private readonly buffer = new Uint8Array(4096);
  private readonly header = new MessageHeaderEncoder();

  constructor(options: FakeArchiveOptions = {}) {
    this.controlSessionId = options.controlSessionId ?? 777;
    this.archiveId = options.archiveId ?? 4242;
    this.version = options.version ?? (1 << 16) | (12 << 8);
    this.challenge = options.challenge;
    this.acceptCredentials = options.acceptCredentials;
  }

  // ----------------------------------------------------------- ControlTransportFactory

  addSubscription(channel: string, streamId: number): PendingResource<ControlSubscription> {
    const subscription = new MemorySubscription(this.registrationIds++, channel, streamId);
    this.subscriptions.push(subscription);
    return new Pending(subscription, 2);
  }

  addExclusivePublication(channel: string, streamId: number): PendingResource<ControlPublication> {
    const publication = new MemoryPublication(channel, streamId, (bytes) => this.onRequest(bytes));
    this.publications.push(publication);
    return new Pending(publication, 2);
  }

  nextCorrelationId(): number {
    return this.correlationIds++;
  }

  // ----------------------------------------------------------- helpers for tests

  get responses(): MemorySubscription {
    const s = this.subscriptions[0];
    if (s === undefined) throw new Error('no response subscription yet');
    return s;
  }

  get requestPublication(): MemorySubscription | MemoryPublication {
    const p = this.publications[0];
    if (p === undefined) throw new Error('no request publication yet');
    return p;
  }

  lastRequest(): RecordedRequest {
    const r = this.requests.at(-1);
    if (r === undefined) throw new Error('no request yet');
    return r;
  }

  requestsNamed(name: string): RecordedRequest[] {
    return this.requests.filter((r) => r.name === name);
  }

  sendResponse(
    correlationId: number,
    code: ControlResponseCode,
    relevantId: number | bigint,
    errorMessage = '',
    sessionId = this.controlSessionId,
  ): void {
    const enc = new ControlResponseEncoder().wrapAndApplyHeader(this.buffer, 0, this.header);
    enc.controlSessionId(sessionId).correlationId(correlationId);
    if (typeof relevantId === 'bigint') enc.relevantIdBigInt(relevantId);
    else enc.relevantId(relevantId);
    enc.code(code).version(this.version).errorMessage(errorMessage);
    this.push(8 + enc.encodedLength());
  }

  /** A RecordingSignalEvent; bigint ids and positions are written exactly (values past 2^53). */
  sendSignal(
    correlationId: number,
    recordingId: number | bigint,
    subscriptionId: number | bigint,
    position: number | bigint,
    signal: RecordingSignal,
  ): void {
    const enc = new RecordingSignalEventEncoder().wrapAndApplyHeader(this.buffer, 0, this.header);
    enc
      .controlSessionId(this.controlSessionId)
      .correlationId(correlationId)
      .recordingIdBigInt(BigInt(recordingId))
      .subscriptionIdBigInt(BigInt(subscriptionId))
      .positionBigInt(BigInt(position))
      .signal(signal);
    this.push(8 + enc.encodedLength());
  }

  sendPing(): void {
    const enc = new PingEncoder()
      .wrapAndApplyHeader(this.buffer, 0, this.header)
      .controlSessionId(this.controlSessionId);
    this.push(8 + enc.encodedLength());
  }

  sendDescriptor(correlationId: number, r: FakeRecording): void {
    const enc = new RecordingDescriptorEncoder().wrapAndApplyHeader(this.buffer, 0, this.header);
    enc
      .controlSessionId(this.controlSessionId)
      .correlationId(correlationId)
      .recordingId(r.recordingId)
      .startTimestamp(1_700_000_000_000 + r.recordingId)
      .stopTimestamp(-1)
      .startPosition(0)
      .stopPositionBigInt(BigInt(r.stopPosition ?? -1))
      .initialTermId(7)
      .segmentFileLength(128 * 1024 * 1024)
      .termBufferLength(64 * 1024)
      .mtuLength(1408)
      .sessionId(100 + r.recordingId)
      .streamId(r.streamId)
      .strippedChannel(r.channel)
      .originalChannel(`${r.channel}|alias=rec${r.recordingId}`)
      .sourceIdentity('aeron:ipc');
    this.push(8 + enc.encodedLength());
  }

  private push(length: number): void {
    for (const s of this.subscriptions) if (!s.closed) s.messages.push(this.buffer.slice(0, length));
  }

  // ----------------------------------------------------------- the archive

  private onRequest(bytes: Uint8Array): void {
    const { templateId, name, json } = decodeArchiveMessage(bytes);
    this.requests.push({ templateId, name, json, bytes });
    const correlationId = Number(json.correlationId ?? -1);
    if (this.silent.has(templateId)) return;
    switch (name) {
      case 'AuthConnectRequest': {
        if (this.challenge !== undefined) {
          const enc = new ChallengeEncoder().wrapAndApplyHeader(this.buffer, 0, this.header);
          enc
            .controlSessionId(this.controlSessionId)
            .correlationId(correlationId)
            .version(this.version)
            .encodedChallenge(this.challenge);
          this.push(8 + enc.encodedLength());
          return;
        }
        this.answerCredentials(correlationId, String(json.encodedCredentials ?? ''));
        return;
      }
      case 'ChallengeResponse':
        this.answerCredentials(correlationId, String(json.encodedCredentials ?? ''));
        return;
      case 'KeepAliveRequest':
        return;
      case 'CloseSessionRequest':
        this.sessionClosed = true;
        return;
      case 'ArchiveIdRequest':
        this.sendResponse(correlationId, ControlResponseCode.OK, this.archiveId);
        return;
      case 'ListRecordingsRequest':
      case 'ListRecordingsForUriRequest':
      case 'ListRecordingRequest':
        this.answerListing(name, json, correlationId);
        return;
      case 'ListRecordingSubscriptionsRequest':
        this.answerSubscriptionListing(json, correlationId);
        return;
      default: {
        const error = this.errors.get(templateId);
        if (error !== undefined) {
          this.sendResponse(correlationId, ControlResponseCode.ERROR, error.errorCode, error.message);
        } else {
          this.sendResponse(correlationId, ControlResponseCode.OK, this.answers.get(templateId) ?? 0);
        }
        if (this.pingEveryAnswer) this.sendPing();
      }
    }
  }

  /** Credentials arrive hex-encoded in the decoder JSON; compare against the accepted text. */
  private answerCredentials(correlationId: number, hex: string): void {
    const text = Buffer.from(hex, 'hex').toString('utf8');
    if (this.acceptCredentials !== undefined && text !== this.acceptCredentials) {
      this.sendResponse(correlationId, ControlResponseCode.ERROR, 10, 'authentication rejected');
      return;
    }
    this.sendResponse(correlationId, ControlResponseCode.OK, this.controlSessionId);
  }

  private answerListing(name: string, json: Record<string, unknown>, correlationId: number): void {
    const error = this.errors.get(name === 'ListRecordingRequest' ? 10 : name === 'ListRecordingsRequest' ? 8 : 9);
    if (error !== undefined) {
      this.sendResponse(correlationId, ControlResponseCode.ERROR, error.errorCode, error.message);
      return;
    }
    if (name === 'ListRecordingRequest') {
      const r = this.recordings.find((x) => x.recordingId === Number(json.recordingId));
      if (r !== undefined) this.sendDescriptor(correlationId, r);
      else this.sendResponse(correlationId, ControlResponseCode.RECORDING_UNKNOWN, Number(json.recordingId));
      return;
    }
    const from = Number(json.fromRecordingId);
    const count = Number(json.recordCount);
    let sent = 0;
    let last = from;
    for (const r of this.recordings) {
      if (r.recordingId < from) continue;
      last = r.recordingId;
      if (name === 'ListRecordingsForUriRequest') {
        if (r.streamId !== Number(json.streamId) || !r.channel.includes(String(json.channel))) continue;
      }
      this.sendDescriptor(correlationId, r);
      if (++sent >= count) return;
    }
    this.sendResponse(correlationId, ControlResponseCode.RECORDING_UNKNOWN, last);
  }

  private answerSubscriptionListing(json: Record<string, unknown>, correlationId: number): void {
    const count = Number(json.subscriptionCount);
    let sent = 0;
    for (const s of this.recordingSubscriptions.slice(Number(json.pseudoIndex))) {
      if (json.applyStreamId === 'TRUE' && s.streamId !== Number(json.streamId)) continue;
      if (!s.channel.includes(String(json.channel))) continue;
      const enc = new RecordingSubscriptionDescriptorEncoder().wrapAndApplyHeader(this.buffer, 0, this.header);
      enc
        .controlSessionId(this.controlSessionId)
        .correlationId(correlationId)
        .subscriptionId(s.subscriptionId)
        .streamId(s.streamId)
        .strippedChannel(s.channel);
      this.push(8 + enc.encodedLength());
      if (++sent >= count) return;
    }
    this.sendResponse(correlationId, ControlResponseCode.SUBSCRIPTION_UNKNOWN, 0);
  }
}
