/**
 * The listings a control session runs over several duty cycles (Java `ListRecordingsSession`,
 * `ListRecordingsForUriSession`, `ListRecordingByIdSession`, `ListRecordingSubscriptionsSession`). One listing at
 * a time per session (`activeListing`); a back-pressured send is retried next cycle.
 *
 * ```
 *  recordings:     up to 256 catalog entries scanned per cycle; each match -> RecordingDescriptor;
 *                  count reached -> done; end of catalog first -> RECORDING_UNKNOWN(relevantId = next id)
 *  subscriptions:  the recording subscriptions from pseudoIndex, filtered by stream id (when applied) and a
 *                  channel fragment -> RecordingSubscriptionDescriptor each; count reached -> done;
 *                  end of the list first -> SUBSCRIPTION_UNKNOWN
 * ```
 */
import type { Catalog } from './catalog.ts';
import type { ControlSession, SessionWork } from './control-session.ts';

const MAX_SCANS_PER_WORK_CYCLE = 256;

/** Java `ListRecordingsSession` / `ListRecordingsForUriSession` / `ListRecordingByIdSession`. */
export class ListRecordingsSession implements SessionWork {
  readonly #catalog: Catalog;
  readonly #session: ControlSession;
  readonly #correlationId: number;
  readonly #count: number;
  readonly #streamId: number | null;
  readonly #channelFragment: string;
  #recordingId: number;
  #sent = 0;
  #done = false;

  constructor(
    catalog: Catalog,
    session: ControlSession,
    correlationId: number,
    fromRecordingId: number,
    count: number,
    streamId: number | null,
    channelFragment: string,
  ) {
    this.#catalog = catalog;
    this.#session = session;
    this.#correlationId = correlationId;
    this.#recordingId = fromRecordingId;
    this.#count = count;
    this.#streamId = streamId;
    this.#channelFragment = channelFragment;
  }

  doWork(nowMs: number): number {
    if (this.#done) return 0;
    const ids = this.#catalog.recordingIdsFrom(this.#recordingId);
    let scanned = 0;
    for (; this.#sent < this.#count && scanned < MAX_SCANS_PER_WORK_CYCLE; scanned++) {
      const id = ids[scanned];
      if (id === undefined) {
        this.#session.sendRecordingUnknown(this.#correlationId, this.#recordingId, nowMs);
        this.#finish();
        break;
      }
      const offset = this.#catalog.recordingDescriptorOffset(id);
      if (this.#accept(id)) {
        const length = this.#catalog.descriptorLengthAt(offset);
        if (!this.#session.sendDescriptor(this.#correlationId, this.#catalog.bytes, offset, length, nowMs)) {
          if (this.#session.isDone()) this.#finish();
          break;
        }
        this.#sent++;
      }
      this.#recordingId = id + 1;
    }
    if (this.#sent >= this.#count) this.#finish();
    return scanned;
  }

  isDone(): boolean {
    return this.#done;
  }

  abort(): void {
    this.#finish();
  }

  #accept(recordingId: number): boolean {
    if (this.#streamId === null) return true;
    const d = this.#catalog.descriptor(recordingId);
    return d !== undefined && d.streamId === this.#streamId && d.originalChannel.includes(this.#channelFragment);
  }

  #finish(): void {
    this.#done = true;
    if (this.#session.activeListing === this) this.#session.activeListing = null;
  }
}

/** A recording subscription as its listing shows it (Java's `Subscription` of `recordingSubscriptionByKeyMap`). */
export interface ListedSubscription {
  /** The subscription's registration id. */
  readonly registrationId: number;
  /** The stream id. */
  readonly streamId: number;
  /** The channel the subscription was added with (`aeron-spy:` prefixed for a local UDP recording). */
  readonly channel: string;
}

/** Java `ListRecordingSubscriptionsSession` (module comment). */
export class ListRecordingSubscriptionsSession implements SessionWork {
  readonly #subscriptions: ReadonlyMap<number, ListedSubscription>;
  readonly #session: ControlSession;
  readonly #correlationId: number;
  readonly #count: number;
  readonly #applyStreamId: boolean;
  readonly #streamId: number;
  readonly #channelFragment: string;
  #pseudoIndex: number;
  #sent = 0;
  #done = false;

  constructor(
    subscriptions: ReadonlyMap<number, ListedSubscription>,
    session: ControlSession,
    correlationId: number,
    pseudoIndex: number,
    count: number,
    applyStreamId: boolean,
    streamId: number,
    channelFragment: string,
  ) {
    this.#subscriptions = subscriptions;
    this.#session = session;
    this.#correlationId = correlationId;
    this.#pseudoIndex = pseudoIndex;
    this.#count = count;
    this.#applyStreamId = applyStreamId;
    this.#streamId = streamId;
    this.#channelFragment = channelFragment;
  }

  doWork(nowMs: number): number {
    if (this.#done) return 0;
    let work = 0;
    let index = 0;
    for (const subscription of this.#subscriptions.values()) {
      if (index++ < this.#pseudoIndex) continue;
      if (
        !(this.#applyStreamId && subscription.streamId !== this.#streamId) &&
        subscription.channel.includes(this.#channelFragment)
      ) {
        if (!this.#session.sendSubscriptionDescriptor(this.#correlationId, subscription, nowMs)) {
          if (this.#session.isDone()) this.#finish();
          return work;
        }
        work++;
        if (++this.#sent >= this.#count) {
          this.#finish();
          return work;
        }
      }
      this.#pseudoIndex = index;
    }
    this.#session.sendSubscriptionUnknown(this.#correlationId, nowMs);
    this.#finish();
    return work + 1;
  }

  isDone(): boolean {
    return this.#done;
  }

  abort(): void {
    this.#finish();
  }

  #finish(): void {
    this.#done = true;
    if (this.#session.activeListing === this) this.#session.activeListing = null;
  }
}
