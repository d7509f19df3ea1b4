/**
 * A client's reference to a network publication (Aeron 1.51.0 `PublicationLink` over a `NetworkPublication`): what
 * REMOVE_PUBLICATION names. Adding it counts a reference on the publication, closing it releases the reference
 * (the last one starts the publication's drain); its client timing out ends its life.
 *
 * ```
 *  new:        publication.incRef()
 *  revoke():   publication.revoke()                (REMOVE_PUBLICATION with the revoke flag)
 *  timer tick: its client timed out or closed -> end of life
 *  close():    publication.decRef(), once
 * ```
 */
import type { AeronClient } from './aeron-client.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { NetworkPublication } from './network-publication.ts';

/** One client's link to a network publication; see the module comment. */
export class NetworkPublicationLink implements DriverManagedResource {
  /** The correlation id of the command that added it (what REMOVE_PUBLICATION names). */
  readonly registrationId: number;
  /** The publication. */
  readonly publication: NetworkPublication;
  readonly #client: AeronClient;
  #reachedEndOfLife = false;
  #closed = false;

  /**
   * @param registrationId the adding command's correlation id.
   * @param client the adding client.
   * @param publication the publication (its reference count goes up by one).
   */
  constructor(registrationId: number, client: AeronClient, publication: NetworkPublication) {
    this.registrationId = registrationId;
    this.#client = client;
    this.publication = publication;
    publication.incRef();
  }

  /** REMOVE_PUBLICATION with the revoke flag. */
  revoke(): void {
    this.publication.revoke();
  }

  /** End of life once its client timed out or closed. */
  onTimeEvent(_timeNs: number, _timeMs: number, _conductor: ResourceConductor): void {
    if (this.#client.hasTimedOut) this.#reachedEndOfLife = true;
  }

  /** True once its client went away. */
  hasReachedEndOfLife(): boolean {
    return this.#reachedEndOfLife;
  }

  /** Releases its reference on the publication, once. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.publication.decRef();
  }
}
