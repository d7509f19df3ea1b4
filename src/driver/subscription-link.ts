/**
 * A client's IPC subscription (Aeron 1.51.0 `SubscriptionLink`, `IpcSubscriptionLink`): its stream (and
 * session, with `session-id`), and the subscriber position it has in each publication it is linked to.
 *
 * ```
 *  matches(publication):  same stream id, and no session-id param or the same session id
 *  link(publication, position) / unlink(publication)     one sub-pos counter per linked publication
 *  close():   every linked publication drops and frees the position (REMOVE_SUBSCRIPTION or client gone)
 *  timer tick: its client timed out or closed -> end of life
 * ```
 *
 * Channel parameters of a subscription: `session-id` (an int32); `tether`, `rejoin`, `sparse`, `group` are read
 * by Java but only tethered behaviour is implemented here.
 */
import type { AeronClient } from './aeron-client.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { IpcPublication } from './ipc-publication.ts';
import type { UnsafeBufferPosition } from './unsafe-buffer-position.ts';

/** One IPC subscription of a client; see the module comment. */
export class IpcSubscriptionLink implements DriverManagedResource {
  /** The ADD_SUBSCRIPTION correlation id. */
  readonly registrationId: number;
  /** Stream id. */
  readonly streamId: number;
  /** The channel as given. */
  readonly channel: string;
  /** The `session-id` param, or null for any session. */
  readonly sessionId: number | null;
  /** The subscribing client. */
  readonly client: AeronClient;
  /** An `aeron-spy:` subscription: it matches network publications only, none of which exist yet (issue 17). */
  readonly isSpy: boolean;
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
   */
  constructor(
    registrationId: number,
    streamId: number,
    channel: string,
    client: AeronClient,
    sessionId: number | null,
    isSpy = false,
  ) {
    this.isSpy = isSpy;
    this.registrationId = registrationId;
    this.streamId = streamId;
    this.channel = channel;
    this.client = client;
    this.sessionId = sessionId;
  }

  /** Whether `publication` belongs to this subscription's stream (and session). */
  matches(publication: IpcPublication): boolean {
    return (
      !this.isSpy &&
      publication.streamId === this.streamId &&
      (this.sessionId === null || this.sessionId === publication.sessionId)
    );
  }

  /** Whether it is linked to `publication`. */
  isLinked(publication: IpcPublication): boolean {
    return this.#publications.includes(publication);
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
    for (let i = 0; i < this.#publications.length; i++) this.#publications[i]!.removeSubscriber(this.#positions[i]!);
    this.#publications.length = 0;
    this.#positions.length = 0;
  }
}
