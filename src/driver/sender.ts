/**
 * The sender agent (Aeron 1.51.0 `Sender`): sends the network publications' data, SETUP and heartbeat frames
 * and reads the control frames their receivers send back. In SHARED and INVOKER threading it runs in the one
 * driver thread after the conductor, so Java's `SenderProxy` queue becomes the direct calls `onNewNetworkPublication`
 * etc. that the conductor makes.
 *
 * ```
 *  doWork():  nowNs; SENDER_MAX_CYCLE_TIME / _THRESHOLD_EXCEEDED
 *             doSend: every publication's send(nowNs), starting one further each cycle (round robin);
 *                     BYTES_SENT += bytes sent
 *             control frames polled when nothing was sent, or every sendToStatusMessagePollRatio cycles, or when
 *             the status message read timeout (statusMessageTimeout / 2) passed, or after a short send
 *             every reResolutionCheckIntervalNs (> 0): each endpoint's checkForReResolution -> names due go to the
 *             conductor (reResolveEndpoint), which resolves them at once (one thread: Java's async name
 *             resolution is a synchronous call here) and, for a new address, calls onResolutionChange
 *  onResolutionChange(endpoint, name, address):  the endpoint's MDC destination or connected socket moves there;
 *             RESOLUTION_CHANGES + 1
 * ```
 *
 * The duty cycle allocates nothing but its clock read (a boxed double), and not even that while there is nothing
 * to send or read.
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import { DutyCycleTracker } from './duty-cycle-tracker.ts';
import type { ControlTransportPoller } from './media/control-transport-poller.ts';
import type { InetSocketAddress } from './media/inet-socket-address.ts';
import type { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import type { NetworkPublication } from './network-publication.ts';
import { addOrdered, incrementOrdered } from './single-writer-counter.ts';

/** What the sender is built with. */
export interface SenderContext {
  /** Monotonic nanoseconds. */
  readonly nanoClock: () => number;
  /** Reads the endpoints' control frames. */
  readonly controlTransportPoller: ControlTransportPoller;
  /** BYTES_SENT. */
  readonly bytesSent: AtomicCounter;
  /** SHORT_SENDS. */
  readonly shortSends: AtomicCounter;
  /** SENDER_MAX_CYCLE_TIME. */
  readonly maxCycleTime: AtomicCounter;
  /** SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED. */
  readonly cycleTimeThresholdExceeded: AtomicCounter;
  /** A sender cycle longer than this (ns) is counted. */
  readonly cycleThresholdNs: number;
  /** `statusMessageTimeoutNs`: control frames are read at least every half of it. */
  readonly statusMessageTimeoutNs: number;
  /** `sendToStatusMessagePollRatio`. */
  readonly sendToStatusMessagePollRatio: number;
  /** How often endpoint names are checked for re-resolution (ns; 0 or less: never). */
  readonly reResolutionCheckIntervalNs: number;
  /** RESOLUTION_CHANGES. */
  readonly resolutionChanges: AtomicCounter;
}

/** The sender agent; see the module comment. */
export class Sender {
  readonly #ctx: SenderContext;
  readonly #poller: ControlTransportPoller;
  readonly #dutyCycleTracker: DutyCycleTracker;
  readonly #statusMessageReadTimeoutNs: number;
  readonly #dutyCycleRatio: number;
  readonly #reResolutionCheckIntervalNs: number;
  #reResolutionDeadlineNs = 0;
  #publications: NetworkPublication[] = [];
  #roundRobinIndex = 0;
  #dutyCycleCounter = 0;
  #controlPollDeadlineNs = 0;

  constructor(ctx: SenderContext) {
    this.#ctx = ctx;
    this.#poller = ctx.controlTransportPoller;
    this.#dutyCycleTracker = new DutyCycleTracker(
      ctx.maxCycleTime,
      ctx.cycleTimeThresholdExceeded,
      ctx.cycleThresholdNs,
    );
    this.#statusMessageReadTimeoutNs = Math.floor(ctx.statusMessageTimeoutNs / 2);
    this.#dutyCycleRatio = ctx.sendToStatusMessagePollRatio;
    this.#reResolutionCheckIntervalNs = ctx.reResolutionCheckIntervalNs;
  }

  /** Agent role name (Java `roleName`). */
  get roleName(): string {
    return 'sender';
  }

  /** Number of publications it sends. */
  get publicationCount(): number {
    return this.#publications.length;
  }

  /** Starts the clock of the cycle tracker; the first re-resolution check is one interval away. */
  onStart(): void {
    const nowNs = this.#ctx.nanoClock();
    this.#dutyCycleTracker.update(nowNs);
    this.#reResolutionDeadlineNs = nowNs + this.#reResolutionCheckIntervalNs;
  }

  /**
   * One duty cycle; returns the work done (bytes sent and received). Without publications and endpoints it returns
   * at once, reading no clock (Node boxes the double a clock returns: an idle IPC-only driver allocates nothing here).
   */
  doWork(): number {
    if (this.#publications.length === 0 && this.#poller.endpointCount === 0) return 0;
    const nowNs = this.#ctx.nanoClock();
    this.#dutyCycleTracker.measureAndUpdate(nowNs);
    const shortSends = this.#ctx.shortSends;
    const shortSendsBefore = shortSends.get();
    const bytesSent = this.#doSend(nowNs);
    let bytesReceived = 0;
    if (
      bytesSent === 0 ||
      ++this.#dutyCycleCounter >= this.#dutyCycleRatio ||
      this.#controlPollDeadlineNs - nowNs < 0 ||
      shortSendsBefore < shortSends.get()
    ) {
      bytesReceived = this.#poller.pollTransports(nowNs);
      this.#dutyCycleCounter = 0;
      this.#controlPollDeadlineNs = nowNs + this.#statusMessageReadTimeoutNs;
    }
    if (this.#reResolutionCheckIntervalNs > 0 && this.#reResolutionDeadlineNs - nowNs < 0) {
      this.#reResolutionDeadlineNs = nowNs + this.#reResolutionCheckIntervalNs;
      this.#poller.checkForReResolutions(nowNs);
    }
    return bytesSent + bytesReceived;
  }

  /**
   * `endpoint` of `channelEndpoint` resolved to `newAddress`, another address than before (Java
   * `onResolutionChange`): the endpoint sends there; RESOLUTION_CHANGES + 1. Throws what the endpoint's reconnect
   * throws (the counter unchanged).
   */
  onResolutionChange(channelEndpoint: SendChannelEndpoint, endpoint: string, newAddress: InetSocketAddress): void {
    channelEndpoint.resolutionChange(endpoint, newAddress);
    incrementOrdered(this.#ctx.resolutionChanges);
  }

  /** Starts reading an endpoint's control frames (Java `onRegisterSendChannelEndpoint`). */
  onRegisterSendChannelEndpoint(endpoint: SendChannelEndpoint): void {
    this.#poller.registerForRead(endpoint);
  }

  /** Stops reading an endpoint (Java `onCloseSendChannelEndpoint`); the conductor then closes it. */
  onCloseSendChannelEndpoint(endpoint: SendChannelEndpoint): void {
    this.#poller.cancelRead(endpoint);
  }

  /** Starts sending a publication (Java `onNewNetworkPublication`). */
  onNewNetworkPublication(publication: NetworkPublication): void {
    this.#publications = [...this.#publications, publication];
    publication.channelEndpoint.registerForSend(publication);
  }

  /** Stops sending a publication and releases it (Java `onRemoveNetworkPublication`). */
  onRemoveNetworkPublication(publication: NetworkPublication): void {
    this.#publications = this.#publications.filter((p) => p !== publication);
    publication.channelEndpoint.unregisterForSend(publication);
    publication.senderRelease();
  }

  #doSend(nowNs: number): number {
    let bytesSent = 0;
    const publications = this.#publications;
    const length = publications.length;
    let startingIndex = this.#roundRobinIndex++;
    if (startingIndex >= length) {
      this.#roundRobinIndex = startingIndex = 0;
    }
    for (let i = startingIndex; i < length; i++) bytesSent += publications[i]!.send(nowNs);
    for (let i = 0; i < startingIndex; i++) bytesSent += publications[i]!.send(nowNs);
    if (bytesSent > 0) addOrdered(this.#ctx.bytesSent, bytesSent);
    return bytesSent;
  }
}
