/**
 * A client's subscription to a UDP channel (Aeron 1.51.0 `NetworkSubscriptionLink`): its receive channel
 * endpoint, its stream (and session), and the publication images it is linked to with its `sub-pos` position in
 * each.
 *
 * ```
 *  matches(endpoint, streamId, sessionId):  same endpoint, same stream, and (Java isWildcardOrSessionIdMatch)
 *                                           no session-id and not a response subscription, or the same session
 *                                           (no session-id compares as 0, as Java's int field does)
 *  a response subscription (control-mode=response): no session until the driver learns it from a response setup
 *                                           (setSessionId); until then it matches no image
 *  link(image, position) / unlink(image):   kept in two parallel lists
 *  timer tick: its client timed out or closed -> end of life; close(): every image drops and frees its position
 * ```
 *
 * Channel parameters read here: `session-id`, `tether`, `rejoin`, `reliable` (default true: gaps are NAKed, not
 * padded), `sparse`, `control-mode=response`, `group` (unused on unicast).
 */
import {
  CONTROL_MODE_RESPONSE,
  MDC_CONTROL_MODE_PARAM_NAME,
  REJOIN_PARAM_NAME,
  RELIABLE_STREAM_PARAM_NAME,
  SESSION_ID_PARAM_NAME,
  SPARSE_PARAM_NAME,
  TETHER_PARAM_NAME,
} from '../logbuffer/channel-uri.ts';
import type { AeronClient } from './aeron-client.ts';
import { ERROR_CODE_INVALID_CHANNEL } from './command/control-protocol.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { PublicationImage } from './publication-image.ts';
import type { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

/** The subscription parameters of a UDP channel (Java `SubscriptionParams`, the ones used here). */
export interface NetworkSubscriptionParams {
  /** `session-id`, or null for any session. */
  readonly sessionId: number | null;
  /** `tether` (default the driver's `tetherSubscriptions`). */
  readonly isTether: boolean;
  /** `rejoin` (default true). */
  readonly isRejoin: boolean;
  /** `reliable` (default true). */
  readonly isReliable: boolean;
  /** `sparse` (default the driver's `termBufferSparseFile`). */
  readonly isSparse: boolean;
  /** `control-mode=response`: a response subscription. */
  readonly isResponse: boolean;
}

/** Java `SubscriptionParams.getSubscriptionParams` for the parameters above; INVALID_CHANNEL for a bad session-id. */
export function getNetworkSubscriptionParams(
  udpChannel: UdpChannel,
  defaults: { readonly tetherSubscriptions: boolean; readonly termBufferSparseFile: boolean },
): NetworkSubscriptionParams {
  const uri = udpChannel.channelUri;
  const sessionIdParam = uri.get(SESSION_ID_PARAM_NAME);
  let sessionId: number | null = null;
  if (sessionIdParam !== undefined) {
    const value = Number(sessionIdParam);
    if (!/^[+-]?\d+$/.test(sessionIdParam) || value < -0x80000000 || value > 0x7fffffff) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `invalid session-id=${sessionIdParam}: channel=${udpChannel.originalUriString}`,
      );
    }
    sessionId = value;
  }
  const tether = uri.get(TETHER_PARAM_NAME);
  const rejoin = uri.get(REJOIN_PARAM_NAME);
  const reliable = uri.get(RELIABLE_STREAM_PARAM_NAME);
  const sparse = uri.get(SPARSE_PARAM_NAME);
  return {
    sessionId,
    isTether: tether !== undefined ? tether === 'true' : defaults.tetherSubscriptions,
    isRejoin: rejoin !== undefined ? rejoin === 'true' : true,
    isReliable: reliable !== undefined ? reliable === 'true' : true,
    isSparse: sparse !== undefined ? sparse === 'true' : defaults.termBufferSparseFile,
    isResponse: uri.get(MDC_CONTROL_MODE_PARAM_NAME) === CONTROL_MODE_RESPONSE,
  };
}

/** One UDP subscription of a client; see the module comment. */
export class NetworkSubscriptionLink implements DriverManagedResource {
  /** The ADD_SUBSCRIPTION correlation id. */
  readonly registrationId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The channel as the client gave it. */
  readonly channel: string;
  /** The subscribing client. */
  readonly client: AeronClient;
  /** The endpoint it receives on. */
  readonly channelEndpoint: ReceiveChannelEndpoint;
  /** Its parameters. */
  readonly params: NetworkSubscriptionParams;
  readonly #images: PublicationImage[] = [];
  readonly #positions: UnsafeBufferPosition[] = [];
  #sessionId: number | null;
  #reachedEndOfLife = false;

  /**
   * @param registrationId the ADD_SUBSCRIPTION correlation id.
   * @param streamId the stream.
   * @param channel the channel.
   * @param client the subscribing client.
   * @param channelEndpoint the receive channel endpoint.
   * @param params its parameters.
   */
  constructor(
    registrationId: number,
    streamId: number,
    channel: string,
    client: AeronClient,
    channelEndpoint: ReceiveChannelEndpoint,
    params: NetworkSubscriptionParams,
  ) {
    this.registrationId = registrationId;
    this.streamId = streamId;
    this.channel = channel;
    this.client = client;
    this.channelEndpoint = channelEndpoint;
    this.params = params;
    this.#sessionId = params.sessionId;
  }

  /** `session-id`, or the session a response setup gave a response subscription, or null (Java `hasSessionId`). */
  get sessionId(): number | null {
    return this.#sessionId;
  }

  /** A response subscription learns its session from a response setup (Java `sessionId(int)`). */
  setSessionId(sessionId: number): void {
    this.#sessionId = sessionId;
  }

  /** `control-mode=response` (Java `isResponse`). */
  get isResponse(): boolean {
    return this.params.isResponse;
  }

  /** `reliable` (Java `isReliable`). */
  get isReliable(): boolean {
    return this.params.isReliable;
  }

  /** Tethered (image subscriber semantics, Java `isTether`). */
  get isTether(): boolean {
    return this.params.isTether;
  }

  /** Rejoins when left behind untethered (Java `isRejoin`). */
  get isRejoin(): boolean {
    return this.params.isRejoin;
  }

  /** Whether an image of `sessionId` on `streamId` arriving on `endpoint` is for it (Java `matches`). */
  matches(endpoint: ReceiveChannelEndpoint, streamId: number, sessionId: number): boolean {
    return (
      endpoint === this.channelEndpoint && streamId === this.streamId && this.#isWildcardOrSessionIdMatch(sessionId)
    );
  }

  /**
   * Whether a new subscription with `params` on `endpoint` and `streamId` is the same kind of subscription as this
   * one (Java `matches(ReceiveChannelEndpoint, int, SubscriptionParams)`): its options must then agree.
   */
  matchesParams(endpoint: ReceiveChannelEndpoint, streamId: number, params: NetworkSubscriptionParams): boolean {
    return (
      endpoint === this.channelEndpoint &&
      streamId === this.streamId &&
      (this.#sessionId !== null) === (params.sessionId !== null) &&
      this.#isWildcardOrSessionIdMatch(params.sessionId ?? 0)
    );
  }

  /** Java `isWildcardOrSessionIdMatch`: Java's session id field is 0 while it has none. */
  #isWildcardOrSessionIdMatch(sessionId: number): boolean {
    return (this.#sessionId === null && !this.params.isResponse) || (this.#sessionId ?? 0) === sessionId;
  }

  /** Whether it is linked to `image`. */
  isLinked(image: PublicationImage): boolean {
    return this.#images.includes(image);
  }

  /** Records its position in `image`. */
  link(image: PublicationImage, position: UnsafeBufferPosition): void {
    this.#images.push(image);
    this.#positions.push(position);
  }

  /** Forgets `image` (the image frees the position). */
  unlink(image: PublicationImage): void {
    const index = this.#images.indexOf(image);
    if (index >= 0) {
      this.#images.splice(index, 1);
      this.#positions.splice(index, 1);
    }
  }

  /** End of life once its client timed out or closed. */
  onTimeEvent(_timeNs: number, _timeMs: number, _conductor: ResourceConductor): void {
    if (this.client.hasTimedOut) this.#reachedEndOfLife = true;
  }

  /** True once its client went away. */
  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  /** Every linked image drops and frees this subscription's position. */
  close(): void {
    for (let i = 0; i < this.#images.length; i++) this.#images[i]!.removeSubscriber(this, this.#positions[i]!);
    this.#images.length = 0;
    this.#positions.length = 0;
  }
}
