/**
 * A `ClientConductorContract` for tests: records what the data plane asks for, closes resources as the real
 * conductor would (internalClose + release of log buffers, with no linger) and builds publications,
 * subscriptions and images from log files made by `fake-driver.ts`.
 */
import { ConcurrentPublication } from '../src/client/concurrent-publication.ts';
import type {
  AvailableImageHandler,
  ClientConductorContract,
  UnavailableImageHandler,
} from '../src/client/conductor-contract.ts';
import { ExclusivePublication } from '../src/client/exclusive-publication.ts';
import { Image } from '../src/client/image.ts';
import { LogBuffers } from '../src/client/log-buffers.ts';
import type { Publication } from '../src/client/publication.ts';
import { Subscription } from '../src/client/subscription.ts';
import type { FakeCounters, LogFileDescription } from './fake-driver.ts';

export class FakeConductor implements ClientConductorContract {
  readonly counters: FakeCounters;
  readonly released: Publication[] = [];
  readonly removedSubscriptions: Subscription[] = [];
  readonly calls: string[] = [];
  readonly errors: unknown[] = [];
  readonly unavailable: Image[] = [];
  readonly openLogs = new Set<LogBuffers>();
  channelStatusValue = 1;
  #nextId = 100;

  constructor(counters: FakeCounters) {
    this.counters = counters;
  }

  get countersReader() {
    return this.counters.reader;
  }

  #releaseLog(log: LogBuffers): void {
    if (log.decRef() === 0) {
      log.close();
      this.openLogs.delete(log);
    }
  }

  releasePublication(publication: Publication): void {
    this.calls.push(`removePublication ${publication.registrationId} revoke=${publication.revokeOnClose}`);
    this.released.push(publication);
    publication.internalClose();
    this.#releaseLog(publication.logBuffers);
  }

  releaseSubscription(subscription: Subscription): void {
    this.calls.push(`removeSubscription ${subscription.registrationId}`);
    this.removedSubscriptions.push(subscription);
    for (const image of subscription.internalClose()) {
      this.#releaseLog(image.logBuffers);
      this.unavailable.push(image);
      subscription.unavailableImageHandler?.(image);
    }
  }

  channelStatus(channelStatusId: number): number {
    return channelStatusId === -1 ? 1 : this.channelStatusValue;
  }

  localSocketAddresses(channelStatusId: number): string[] {
    return this.channelStatus(channelStatusId) === 1 && channelStatusId !== -1 ? ['127.0.0.1:40123'] : [];
  }

  addDestination(id: number, channel: string): Promise<void> {
    this.calls.push(`addDestination ${id} ${channel}`);
    return Promise.resolve();
  }
  removeDestination(id: number, channel: string): Promise<void> {
    this.calls.push(`removeDestination ${id} ${channel}`);
    return Promise.resolve();
  }
  removeDestinationById(id: number, destinationId: number): Promise<void> {
    this.calls.push(`removeDestinationById ${id} ${destinationId}`);
    return Promise.resolve();
  }
  addRcvDestination(id: number, channel: string): Promise<void> {
    this.calls.push(`addRcvDestination ${id} ${channel}`);
    return Promise.resolve();
  }
  removeRcvDestination(id: number, channel: string): Promise<void> {
    this.calls.push(`removeRcvDestination ${id} ${channel}`);
    return Promise.resolve();
  }
  rejectImage(correlationId: number, position: number, reason: string): Promise<void> {
    this.calls.push(`rejectImage ${correlationId} ${position} ${reason}`);
    return Promise.resolve();
  }

  #map(log: LogFileDescription): LogBuffers {
    const logBuffers = LogBuffers.map(log.path);
    logBuffers.incRef();
    this.openLogs.add(logBuffers);
    return logBuffers;
  }

  newPublication(
    kind: 'concurrent' | 'exclusive',
    log: LogFileDescription,
    limitCounterId: number,
    channelStatusId = -1,
  ): ConcurrentPublication | ExclusivePublication {
    const id = this.#nextId++;
    const params = {
      conductor: this,
      channel: 'aeron:ipc',
      streamId: log.streamId,
      sessionId: log.sessionId,
      positionLimitCounterId: limitCounterId,
      channelStatusId,
      logBuffers: this.#map(log),
      originalRegistrationId: id,
      registrationId: id,
    };
    return kind === 'concurrent' ? new ConcurrentPublication(params) : new ExclusivePublication(params);
  }

  newSubscription(
    options: {
      channel?: string;
      streamId?: number;
      available?: AvailableImageHandler;
      unavailable?: UnavailableImageHandler;
    } = {},
  ): Subscription {
    return new Subscription({
      conductor: this,
      channel: options.channel ?? 'aeron:ipc',
      streamId: options.streamId ?? 10,
      registrationId: this.#nextId++,
      availableImageHandler: options.available ?? null,
      unavailableImageHandler: options.unavailable ?? null,
    });
  }

  /** ON_AVAILABLE_IMAGE: builds the image, adds it, calls the handler. */
  addImage(subscription: Subscription, log: LogFileDescription, subscriberPositionCounterId: number): Image {
    const image = new Image({
      subscription,
      sessionId: log.sessionId,
      subscriberPositionCounterId,
      logBuffers: this.#map(log),
      errorHandler: (error) => this.errors.push(error),
      sourceIdentity: 'aeron:ipc',
      correlationId: this.#nextId++,
    });
    subscription.addImage(image);
    subscription.availableImageHandler?.(image);
    return image;
  }

  /** ON_UNAVAILABLE_IMAGE. */
  removeImage(subscription: Subscription, correlationId: number): Image | null {
    const image = subscription.removeImage(correlationId);
    if (image !== null) {
      this.#releaseLog(image.logBuffers);
      this.unavailable.push(image);
      subscription.unavailableImageHandler?.(image);
    }
    return image;
  }

  /** Closes every log still mapped (test cleanup). */
  closeAll(): void {
    for (const log of this.openLogs) log.close();
    this.openLogs.clear();
  }
}
