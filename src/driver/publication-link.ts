/**
 * A client's reference to a publication (Aeron 1.51.0 `PublicationLink`): one per ADD_PUBLICATION /
 * ADD_EXCLUSIVE_PUBLICATION, so a shared concurrent publication is counted once per adder.
 *
 * ```
 *  created:         publication.incRef()
 *  REMOVE_PUBLICATION, or its client gone (timer tick: end of life)  ->  close(): publication.decRef()
 * ```
 */
import type { AeronClient } from './aeron-client.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import type { IpcPublication } from './ipc-publication.ts';

/** One client's hold on a publication. */
export class PublicationLink implements DriverManagedResource {
  /** The correlation id of the command that added it (what REMOVE_PUBLICATION names). */
  readonly registrationId: number;
  /** The publication. */
  readonly publication: IpcPublication;
  readonly #client: AeronClient;
  #reachedEndOfLife = false;
  #closed = false;

  /**
   * @param registrationId the adding command's correlation id.
   * @param client the adding client.
   * @param publication the publication (its reference count goes up by one).
   */
  constructor(registrationId: number, client: AeronClient, publication: IpcPublication) {
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
