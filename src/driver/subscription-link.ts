/**
 * A client's IPC subscription (Aeron 1.51.0 `SubscriptionLink`, `IpcSubscriptionLink`): its stream (and
 * session, with `session-id`), and the subscriber position it has in each publication it is linked to.
 *
 * ```
 *  matches(publication):  same stream id, and (Java isWildcardOrSessionIdMatch) no session-id and not a response
 *                         subscription, or the same session id (no session-id compares as 0, as Java's int field)
 *  a response subscription (control-mode=response): its session is set when a response publication answers the
 *                         request publication that named it (the conductor's findAndUpdateResponseIpcSubscription)
 *  link(publication, position) / unlink(publication)     one sub-pos counter per linked publication
 *  close():   every linked publication drops and frees the position (REMOVE_SUBSCRIPTION or client gone)
 *  timer tick: its client timed out or closed -> end of life
 * ```
 *
 * Channel parameters of a subscription (Java `SubscriptionParams.getSubscriptionParams`, the ones IPC uses):
 *
 * ```
 *  param        default                              meaning
 *  session-id   none (every session)                 an int32, else INVALID_CHANNEL
 *  tether       tetherSubscriptions (true)           "true" = tethered; anything else = untethered: the
 *                                                    publication does not wait for it beyond its window
 *                                                    (IpcPublication: ACTIVE -> LINGER -> RESTING)
 *  rejoin       rejoinStream (true)                  "true" = an untethered subscription left behind rejoins
 *                                                    after untetheredRestingTimeoutNs; else it is dropped for good
 *  control-mode response: a response subscription
 * ```
 */

import {
  CONTROL_MODE_RESPONSE,
  MDC_CONTROL_MODE_PARAM_NAME,
  REJOIN_PARAM_NAME,
  SESSION_ID_PARAM_NAME,
  TETHER_PARAM_NAME,
} from '../logbuffer/channel-uri.ts';
import type { UnsafeBufferPosition } from '../transport/unsafe-buffer-position.ts';
import type { AeronClient } from './aeron-client.ts';
import { ERROR_CODE_INVALID_CHANNEL } from './command/control-protocol.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { IpcPublication } from './ipc-publication.ts';
import { parseChannelUri } from './publication-params.ts';

/** The parameters of a subscription channel the IPC driver uses (module comment). */
export interface SubscriptionParams {
  /** The `session-id` param, or null for any session. */
  readonly sessionId: number | null;
  /** Whether the subscription tethers its publications (`tether`). */
  readonly isTether: boolean;
  /** Whether an untethered subscription left behind rejoins (`rejoin`). */
  readonly isRejoin: boolean;
  /** `control-mode=response`: a response subscription. */
  readonly isResponse: boolean;
}

/** What `getSubscriptionParams` needs of the driver's options. */
export interface SubscriptionParamsDefaults {
  /** Default of `tether` (`aeron.tether.subscriptions`). */
  readonly tetherSubscriptions: boolean;
  /** Default of `rejoin` (`aeron.rejoin.stream`). */
  readonly rejoinStream: boolean;
}

/**
 * Java `SubscriptionParams.getSubscriptionParams` for the parameters above. Throws `ControlProtocolError`
 * INVALID_CHANNEL for a channel that is no URI or a `session-id` that is not an int32.
 */
export function getSubscriptionParams(channel: string, defaults: SubscriptionParamsDefaults): SubscriptionParams {
  const channelUri = parseChannelUri(channel);
  const sessionIdStr = channelUri.get(SESSION_ID_PARAM_NAME);
  let sessionId: number | null = null;
  if (sessionIdStr !== undefined) {
    sessionId = Number(sessionIdStr);
    if (!/^[+-]?\d+$/.test(sessionIdStr) || sessionId < -0x80000000 || sessionId > 0x7fffffff) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `invalid session-id=${sessionIdStr}: channel=${channel}`,
      );
    }
  }
  const tether = channelUri.get(TETHER_PARAM_NAME);
  const rejoin = channelUri.get(REJOIN_PARAM_NAME);
  return {
    sessionId,
    isTether: tether !== undefined ? tether === 'true' : defaults.tetherSubscriptions,
    isRejoin: rejoin !== undefined ? rejoin === 'true' : defaults.rejoinStream,
    isResponse: channelUri.get(MDC_CONTROL_MODE_PARAM_NAME) === CONTROL_MODE_RESPONSE,
  };
}

/** One IPC subscription of a client; see the module comment. */
export class IpcSubscriptionLink implements DriverManagedResource {
  /** The ADD_SUBSCRIPTION correlation id. */
  readonly registrationId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The channel as given. */
  readonly channel: string;
  /** The subscribing client. */
  readonly client: AeronClient;
  /** An `aeron-spy:` subscription: it matches network publications only, none of which exist yet (issue 17). */
  readonly isSpy: boolean;
  /** Tethered (the default): publications wait for it; untethered: left behind beyond their window. */
  readonly isTether: boolean;
  /** An untethered subscription left behind rejoins after a rest. */
  readonly isRejoin: boolean;
  /** `control-mode=response`: no session until a response publication gives it one. */
  readonly isResponse: boolean;
  #sessionId: number | null;
  readonly #publications: IpcPublication[] = [];
  readonly #positions: UnsafeBufferPosition[] = [];
  #reachedEndOfLife = false;

  /**
   * @param registrationId the ADD_SUBSCRIPTION correlation id.
   * @param streamId stream id.
   * @param channel channel.
   * @param client the subscribing client.
   * @param sessionId the `session-id` param, or null.
   * @param isSpy an `aeron-spy:` subscription (it never matches an IPC publication).
   * @param isTether tethered (`tether`, default true).
   * @param isRejoin rejoins after being left behind when untethered (`rejoin`, default true).
   * @param isResponse a response subscription (`control-mode=response`).
   */
  constructor(
    registrationId: number,
    streamId: number,
    channel: string,
    client: AeronClient,
    sessionId: number | null,
    isSpy = false,
    isTether = true,
    isRejoin = true,
    isResponse = false,
  ) {
    this.isResponse = isResponse;
    this.isSpy = isSpy;
    this.isTether = isTether;
    this.isRejoin = isRejoin;
    this.registrationId = registrationId;
    this.streamId = streamId;
    this.channel = channel;
    this.client = client;
    this.#sessionId = sessionId;
  }

  /** The `session-id` param or the session a response publication gave it, or null for any session. */
  get sessionId(): number | null {
    return this.#sessionId;
  }

  /** A response subscription takes the session of the response publication (Java `sessionId(int)`). */
  setSessionId(sessionId: number): void {
    this.#sessionId = sessionId;
  }

  /** Whether `publication` belongs to this subscription's stream (and session); see the module comment. */
  matches(publication: IpcPublication): boolean {
    const sessionId = this.#sessionId;
    return (
      !this.isSpy &&
      publication.streamId === this.streamId &&
      ((sessionId === null && !this.isResponse) || (sessionId ?? 0) === publication.sessionId)
    );
  }

  /** Whether it is linked to `publication`. */
  isLinked(publication: IpcPublication): boolean {
    return this.#publications.includes(publication);
  }

  /** Registration ids of the publications it is linked to (their images' correlation ids). */
  linkedRegistrationIds(): number[] {
    return this.#publications.map((p) => p.registrationId);
  }

  /** Records the position it has in `publication`. */
  link(publication: IpcPublication, position: UnsafeBufferPosition): void {
    this.#publications.push(publication);
    this.#positions.push(position);
  }

  /** Forgets `publication` (its position is freed by the publication). */
  unlink(publication: IpcPublication): void {
    const index = this.#publications.indexOf(publication);
    if (index >= 0) {
      this.#publications.splice(index, 1);
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

  /** Every linked publication drops and frees this subscription's position. */
  close(): void {
    for (let i = 0; i < this.#publications.length; i++) {
      this.#publications[i]!.removeSubscriber(this, this.#positions[i]!);
    }
    this.#publications.length = 0;
    this.#positions.length = 0;
  }
}
