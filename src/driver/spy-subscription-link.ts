/**
 * A client's `aeron-spy:` subscription (Aeron 1.51.0 `SpySubscriptionLink`): it reads the log of the network
 * publications of the spied UDP channel in this driver, through a `sub-pos` position in each (the publication's
 * "spies"), without any network traffic.
 *
 * ```
 *  matches(publication):  same stream, and the same channel tag, or (session-id wildcard or equal, and the same
 *                         canonical form: UDP-<local>-<remote>)
 *  link(publication, position) / unlink(publication):  kept in two parallel lists
 *  timer tick: its client timed out or closed -> end of life; close(): every publication drops and frees its position
 * ```
 */
import type { AeronClient } from './aeron-client.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { NetworkPublication } from './network-publication.ts';
import type { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

/** One spy subscription of a client; see the module comment. */
export class SpySubscriptionLink implements DriverManagedResource {
  /** The ADD_SUBSCRIPTION correlation id. */
  readonly registrationId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The channel as the client gave it (`aeron-spy:aeron:udp?...`). */
  readonly channel: string;
  /** The subscribing client. */
  readonly client: AeronClient;
  /** The spied channel, parsed. */
  readonly udpChannel: UdpChannel;
  /** `session-id`, or null for any session. */
  readonly sessionId: number | null;
  readonly #publications: NetworkPublication[] = [];
  readonly #positions: UnsafeBufferPosition[] = [];
  #reachedEndOfLife = false;

  /**
   * @param registrationId the ADD_SUBSCRIPTION correlation id.
   * @param udpChannel the spied channel.
   * @param streamId the stream.
   * @param client the subscribing client.
   * @param sessionId the `session-id` param, or null.
   */
  constructor(
    registrationId: number,
    udpChannel: UdpChannel,
    streamId: number,
    client: AeronClient,
    sessionId: number | null,
  ) {
    this.registrationId = registrationId;
    this.udpChannel = udpChannel;
    this.channel = udpChannel.originalUriString;
    this.streamId = streamId;
    this.client = client;
    this.sessionId = sessionId;
  }

  /** Whether it spies on `publication` (Java `SpySubscriptionLink.matches`). */
  matches(publication: NetworkPublication): boolean {
    const publicationChannel = publication.channelEndpoint.udpChannel;
    const isSameChannelTag = this.udpChannel.hasTag && this.udpChannel.tag === publicationChannel.tag;
    return (
      publication.streamId === this.streamId &&
      (isSameChannelTag ||
        ((this.sessionId === null || this.sessionId === publication.sessionId) &&
          this.udpChannel.canonicalForm === publicationChannel.canonicalForm))
    );
  }

  /** Whether it is linked to `publication`. */
  isLinked(publication: NetworkPublication): boolean {
    return this.#publications.includes(publication);
  }

  /** Registration ids of the publications it is linked to (their images' correlation ids). */
  linkedRegistrationIds(): number[] {
    return this.#publications.map((p) => p.registrationId);
  }

  /** Records its position in `publication`. */
  link(publication: NetworkPublication, position: UnsafeBufferPosition): void {
    this.#publications.push(publication);
    this.#positions.push(position);
  }

  /** Forgets `publication` (the publication frees the position). */
  unlink(publication: NetworkPublication): void {
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

  /** Every linked publication drops and frees this spy's position. */
  close(): void {
    for (let i = 0; i < this.#publications.length; i++) this.#publications[i]!.removeSubscriber(this.#positions[i]!);
    this.#publications.length = 0;
    this.#positions.length = 0;
  }
}
