/**
 * The driver conductor (Aeron 1.51.0 `DriverConductor`): the duty cycle that owns clients and their
 * resources, applies client commands and keeps the driver's liveness visible.
 *
 * ```
 *  doWork():  trackTime      cycle time -> CONDUCTOR_MAX_CYCLE_TIME / _THRESHOLD_EXCEEDED
 *             processTimers  every timerIntervalNs:
 *                              to-driver consumer heartbeat := now (epoch ms, release)
 *                              each client, then each counter link: onTimeEvent -> end of life? close
 *                              blocked to-driver commands? (head still for a client liveness timeout
 *                                while the tail is ahead) -> unblock, UNBLOCKED_COMMANDS += 1
 *             receive        at most one client command from the to-driver ring (ClientCommandAdapter)
 *             trackStreamPositions  each IPC publication: pub-pos, pub-lmt from its slowest subscriber;
 *                                   each network publication: pub-pos, pub-lmt from snd-pos (and spies);
 *                                   each publication image: trackRebuild (rcv-pos, loss scan)
 *  onClose(): to-driver consumer heartbeat := -1 (clients read it as "driver shut down"); publications freed
 *
 *  ADD_(EXCLUSIVE_)PUBLICATION aeron:ipc  -> a shared ACTIVE concurrent publication of the stream (and response
 *            correlation id) is reused (its parameters confirmed), else a new IpcPublication: session id (param
 *            or the next free one outside the reserved range), log file, pub-pos and pub-lmt counters;
 *            a PublicationLink for the adder; ON_(EXCLUSIVE_)PUBLICATION_READY; a new one is linked to every
 *            matching subscription (sub-pos counter at the join position, ON_AVAILABLE_IMAGE)
 *  REMOVE_PUBLICATION                      -> the link closed (decRef), ON_OPERATION_SUCCESS
 *  ADD_SUBSCRIPTION aeron:ipc              -> IpcSubscriptionLink (session-id, tether, rejoin params),
 *            ON_SUBSCRIPTION_READY (channel status -1), then ON_AVAILABLE_IMAGE for each matching publication
 *            accepting subscriptions; an untethered one left behind gets ON_UNAVAILABLE_IMAGE and, with rejoin,
 *            ON_AVAILABLE_IMAGE again later (IpcPublication's untethered state machine)
 *  REMOVE_SUBSCRIPTION                     -> its positions freed, ON_OPERATION_SUCCESS
 *  GET_NEXT_AVAILABLE_SESSION_ID           -> ON_NEXT_AVAILABLE_SESSION_ID (the sequence publications use)
 *  ADD_SUBSCRIPTION aeron-spy:aeron:udp    -> SpySubscriptionLink, ON_SUBSCRIPTION_READY (channel status -1), then
 *            ON_AVAILABLE_IMAGE (source aeron:ipc) for each matching network publication, at its sender position
 *  ADD_(EXCLUSIVE_)PUBLICATION aeron:udp  -> the SendChannelEndpoint of the channel's canonical form (opened with
 *            snd-channel and snd-local-sockaddr counters, registered with the sender), a shared ACTIVE concurrent
 *            publication of the stream on it reused, else a NetworkPublication (log, pub-pos, pub-lmt, snd-pos,
 *            snd-lmt, snd-bpe, snd-naks-received, flow control, retransmit handler) handed to the sender;
 *            ON_(EXCLUSIVE_)PUBLICATION_READY with the channel status counter id; linked to matching spies.
 *            DRAINING -> LINGER -> DONE: the sender drops it, the endpoint closes with its last publication
 *  ADD_SUBSCRIPTION aeron:udp              -> the ReceiveChannelEndpoint of the canonical form (rcv-channel,
 *            rcv-local-sockaddr, registered with the receiver), a NetworkSubscriptionLink, the receiver's stream
 *            (or stream and session) interest, ON_SUBSCRIPTION_READY with the channel status counter id, then
 *            ON_AVAILABLE_IMAGE for each matching image
 *  the receiver's createPublicationImage   -> a sub-pos per matching subscription at the SETUP's position, the
 *            image log, rcv-hwm, rcv-pos, rcv-naks-sent, static window congestion control, a PublicationImage
 *            handed to the receiver, ON_AVAILABLE_IMAGE (source host:port); LINGER: ON_UNAVAILABLE_IMAGE
 *  MDC publications (control-mode=dynamic|manual): the endpoint's MultiSndDestination; MDS subscriptions
 *            (control-mode=manual): one transport per destination
 *  response channels (Java 1.51.0, UDP):
 *    client  ADD_SUBSCRIPTION control-mode=response|control=<server control>   -> a response subscription: no
 *              session, not yet in the receiver (the endpoint's response ref count keeps it open)
 *            ADD_PUBLICATION endpoint=<server>|response-correlation-id=<that subscription>  -> a request
 *              publication: its SETUPs carry SEND_RESPONSE_SETUP
 *    server  image of the request (flag kept) -> ADD_PUBLICATION control-mode=response|control=<server control>|
 *              response-correlation-id=<image correlation id> -> the image sends RSP_SETUP(response session id =
 *              the publication's session) to the requester with each status message timeout
 *    client  RSP_SETUP on the request publication's endpoint -> responseSetup: the response subscription takes
 *              the session, joins the receiver, elicits the SETUP from the server control address; the response
 *              publication sends to where that status message came from
 *    server  the response publication's first status message -> responseConnected: the image stops RSP_SETUP
 *  TERMINATE_DRIVER                        -> validator(token) ? terminate() : nothing
 *  ADD/REMOVE_DESTINATION(_BY_ID)          -> the manual MDC publication's destinations, ON_OPERATION_SUCCESS;
 *            no such publication: UNKNOWN_PUBLICATION; not manual: INVALID_CHANNEL
 *  ADD/REMOVE_RCV_DESTINATION              -> MDS subscription: a transport opened / closed, ON_OPERATION_SUCCESS;
 *            else UNKNOWN_SUBSCRIPTION (an IPC/spy destination matching a subscription's id and channel is removed
 *            as Java does)
 *  REJECT_IMAGE                            -> IPC image: WARN onPublicationError entry in the error log (ERRORS + 1),
 *            ON_PUBLICATION_ERROR, ON_OPERATION_SUCCESS (rejected, cool-down); unknown: GENERIC_ERROR
 * ```
 *
 * A client becomes known on its first command that adds a resource (`getOrAddClient`): the conductor
 * allocates its heartbeat counter and broadcasts ON_COUNTER_READY with the client id as correlation id, which
 * Java and TypeScript clients wait for before they write their heartbeat into it.
 *
 * Nothing here allocates per well-formed command other than what the command creates (a counter, a link) and the
 * BigInts of 64-bit release stores in shared memory. An idle duty cycle allocates nothing but its clock read (Node
 * boxes the double a clock returns: 16 bytes), which an idle streak makes once every IDLE_CYCLES_PER_CLOCK_READ
 * cycles (`doWork`).
 */

import { type ChannelUri, IPC_CHANNEL } from '../logbuffer/channel-uri.ts';
import { DRIVER_HEARTBEAT_TYPE_ID } from '../transport/aeron-counters.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import { NULL_COUNTER_ID } from '../transport/counters-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { AeronClient } from './aeron-client.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import {
  allocateLocalSocketAddress,
  CHANNEL_STATUS_ACTIVE,
  RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
  updateBindAddress,
} from './channel-endpoint-status.ts';
import {
  type ChannelEndpointSupplierContext,
  newReceiveChannelEndpoint,
  newSendChannelEndpoint,
} from './channel-endpoint-supplier.ts';
import { ClientCommandAdapter, type ClientCommandHandler } from './client-command-adapter.ts';
import type { ClientProxy } from './client-proxy.ts';
import {
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_IMAGE_REJECTED,
  ERROR_CODE_INVALID_CHANNEL,
  ERROR_CODE_UNKNOWN_COUNTER,
  ERROR_CODE_UNKNOWN_HOST,
  ERROR_CODE_UNKNOWN_PUBLICATION,
  ERROR_CODE_UNKNOWN_SUBSCRIPTION,
} from './command/control-protocol.ts';
import { CLIENT_HEARTBEAT_NAME, mtuLengthProblem } from './configuration.ts';
import { CounterLink } from './counter-link.ts';
import { DataPacketDispatcher, type DispatcherEndpoint } from './data-packet-dispatcher.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import { DutyCycleTracker } from './duty-cycle-tracker.ts';
import { type FeedbackDelayGenerators, newFeedbackDelayGenerators } from './feedback-delay-generator.ts';
import { IpcPublication, type IpcPublicationConductor, type LinkedSubscription } from './ipc-publication.ts';
import type { MultiSndDestination } from './media/multi-snd-destination.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import type { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import { SocketAddress } from './media/socket-address.ts';
import { channelOpenError } from './media/socket-error.ts';
import { UdpChannel } from './media/udp-channel.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import type { NetworkPublication, NetworkPublicationConductor, SenderConductorProxy } from './network-publication.ts';
import { newNetworkPublication } from './network-publication-factory.ts';
import { NetworkPublicationLink } from './network-publication-link.ts';
import { NetworkPublicationThreadLocals } from './network-publication-thread-locals.ts';
import {
  getNetworkSubscriptionParams,
  NetworkSubscriptionLink,
  type NetworkSubscriptionParams,
} from './network-subscription-link.ts';
import { type OsSocketBufferLengths, readOsSocketBufferLengths } from './os-socket-buffers.ts';
import type { ImageConductor, PublicationImage } from './publication-image.ts';
import { allocateImageSubscriberPosition, newPublicationImage } from './publication-image-factory.ts';
import { PublicationLink } from './publication-link.ts';
import { initIpcPublicationMetadata } from './publication-log-metadata.ts';
import {
  confirmMatch,
  generateRandomisedId,
  getPublicationParams,
  initialPosition,
  PROTOTYPE_VALUE_CORRELATION_ID,
  type PublicationParams,
  parseChannelUri,
} from './publication-params.ts';
import { RawLog } from './raw-log.ts';
import type { Receiver } from './receiver.ts';
import type { ReceiverConductorProxy } from './receiver-conductor-proxy.ts';
import type { Sender } from './sender.ts';
import { SpySubscriptionLink } from './spy-subscription-link.ts';
import { allocatePublisherLimit, allocatePublisherPosition, allocateSubscriberPosition } from './stream-counter.ts';
import { getSubscriptionParams, IpcSubscriptionLink } from './subscription-link.ts';
import type { SystemCounters } from './system-counters.ts';
import { unblockToDriverCommands } from './to-driver-commands-unblocker.ts';

/** What the conductor works with. */
export interface DriverConductorContext {
  /** The to-driver ring buffer of `cnc.dat`; the conductor is its only consumer. */
  readonly toDriverCommands: ManyToOneRingBuffer;
  /** Broadcasts the responses on the to-clients buffer. */
  readonly clientProxy: ClientProxy;
  /** The counters of `cnc.dat` (heartbeat counters and client counters are allocated here). */
  readonly countersManager: CountersManager;
  /** The allocated system counters. */
  readonly systemCounters: SystemCounters;
  /** Records an error (the distinct error log). */
  readonly errorHandler: (error: unknown) => void;
  /** Epoch milliseconds (Java `EpochClock`): heartbeats and liveness. */
  readonly epochClock: () => number;
  /** Monotonic nanoseconds (Java `NanoClock`): timers and cycle times. */
  readonly nanoClock: () => number;
  /** How often the timers run (ns; Java `timerIntervalNs`). */
  readonly timerIntervalNs: number;
  /** How stale a client heartbeat may get, also how long a blocked to-driver command may stay (ns). */
  readonly clientLivenessTimeoutNs: number;
  /** A duty cycle longer than this (ns) counts in CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED. */
  readonly conductorCycleThresholdNs: number;
  /**
   * The driver's resolved options (Aeron directory, term lengths, MTUs, windows, linger, session id range,
   * unblock timeout, page size): what publications and subscriptions are made with.
   */
  readonly driverContext: MediaDriverContext;
  /**
   * TERMINATE_DRIVER's token, a copy: true lets the driver terminate (Java `TerminationValidator`; the default
   * denies, as `DefaultDenyTerminationValidator`).
   */
  readonly terminationValidator: (tokenBytes: Uint8Array) => boolean;
  /** Called when the validator allows a termination: the driver closes itself (Java `terminationHook` path). */
  readonly terminate: () => void;
}

/** The conductor agent; see the module comment. Call `onStart` once, then `doWork` repeatedly. */
export class DriverConductor
  implements
    ClientCommandHandler,
    ResourceConductor,
    IpcPublicationConductor,
    NetworkPublicationConductor,
    SenderConductorProxy,
    ReceiverConductorProxy
{
  readonly #ctx: DriverConductorContext;
  readonly #toDriverCommands: ManyToOneRingBuffer;
  readonly #clientProxy: ClientProxy;
  readonly #countersManager: CountersManager;
  readonly #commandAdapter: ClientCommandAdapter;
  readonly #dutyCycleTracker: DutyCycleTracker;
  readonly #unblockedCommands: AtomicCounter;
  readonly #imagesRejected: AtomicCounter;
  readonly #errors: AtomicCounter;
  readonly #clients: AeronClient[] = [];
  readonly #counterLinks: CounterLink[] = [];
  readonly #ipcPublications: IpcPublication[] = [];
  readonly #publicationLinks: (PublicationLink | NetworkPublicationLink)[] = [];
  readonly #networkPublications: NetworkPublication[] = [];
  /** Send channel endpoints by canonical form (Java `sendChannelEndpointByChannelMap`). */
  readonly #sendChannelEndpoints = new Map<string, SendChannelEndpoint>();
  #threadLocals: NetworkPublicationThreadLocals | null = null;
  #sender: Sender | null = null;
  /** Receive channel endpoints by canonical form (Java `receiveChannelEndpointByChannelMap`). */
  readonly #receiveChannelEndpoints = new Map<string, ReceiveChannelEndpoint>();
  readonly #networkSubscriptionLinks: NetworkSubscriptionLink[] = [];
  readonly #spySubscriptionLinks: SpySubscriptionLink[] = [];
  readonly #publicationImages: PublicationImage[] = [];
  #receiver: Receiver | null = null;
  readonly #subscriptionLinks: IpcSubscriptionLink[] = [];
  /** `<sessionId>:<streamId>` of every IPC publication not yet lingering (Java `activeSessionSet`). */
  readonly #activeSessions = new Set<string>();
  #nextSessionId = generateRandomisedId();
  #osSocketBuffers: OsSocketBufferLengths | null = null;
  #feedbackDelays: FeedbackDelayGenerators | null = null;
  #nowMs = 0;
  /** The cycle's clock reading (a stale one in an idle cycle that skips the clock; see `doWork`). */
  #nowNs = 0;
  /**
   * Where the cycle stands in an idle streak: 0 after a cycle with work (read and measure), RESUMING after a cycle
   * with work that ran on a stale reading (read, restart the cycle timer), 1..IDLE_CYCLES_PER_CLOCK_READ in an idle
   * streak (read at IDLE_CYCLES_PER_CLOCK_READ only).
   */
  #idleCycles = 0;
  #clockUpdateDeadlineNs = 0;
  #timerCheckDeadlineNs = 0;
  #lastCommandConsumerPosition = 0;
  #timeOfLastToDriverPositionChangeNs = 0;

  constructor(ctx: DriverConductorContext) {
    this.#ctx = ctx;
    this.#toDriverCommands = ctx.toDriverCommands;
    this.#clientProxy = ctx.clientProxy;
    this.#countersManager = ctx.countersManager;
    const counters = ctx.systemCounters;
    this.#unblockedCommands = counters.get('UNBLOCKED_COMMANDS');
    this.#imagesRejected = counters.get('IMAGES_REJECTED');
    this.#errors = counters.get('ERRORS');
    this.#dutyCycleTracker = new DutyCycleTracker(
      counters.get('CONDUCTOR_MAX_CYCLE_TIME'),
      counters.get('CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED'),
      ctx.conductorCycleThresholdNs,
    );
    this.#commandAdapter = new ClientCommandAdapter(
      ctx.toDriverCommands,
      ctx.clientProxy,
      this,
      counters.get('ERRORS'),
      ctx.errorHandler,
    );
  }

  /** Number of clients the driver knows. */
  get clientCount(): number {
    return this.#clients.length;
  }

  /** Starts the clocks: the first timer tick comes one interval from now. */
  onStart(): void {
    const nowNs = this.#ctx.nanoClock();
    this.#nowNs = nowNs;
    this.#nowMs = this.#ctx.epochClock();
    this.#dutyCycleTracker.update(nowNs);
    this.#timerCheckDeadlineNs = nowNs + this.#ctx.timerIntervalNs;
    this.#timeOfLastToDriverPositionChangeNs = nowNs;
    this.#lastCommandConsumerPosition = this.#toDriverCommands.consumerPosition();
  }

  /**
   * One duty cycle; returns the amount of work done (0 = idle).
   *
   * Reading a clock allocates on Node (16 bytes: `performance.now()` and `Date.now()` return a boxed double), so
   * an idle streak reads it only every IDLE_CYCLES_PER_CLOCK_READ cycles:
   *
   * ```
   *  after a cycle with work         read the clock, measure the cycle time (Java DriverConductor.doWork)
   *  idle cycle 2..63 of a streak    reuse the last reading: timers run up to 63 idle cycles late (about 64 ms
   *                                  with the SHARED backoff's 1 ms parks)
   *  idle cycle 64 of a streak       read the clock, restart the cycle timer (nothing measured across the skips)
   *  after work found on a stale     read the clock, restart the cycle timer (RESUMING)
   *  reading
   * ```
   */
  doWork(): number {
    const idleCycles = this.#idleCycles;
    const readsClock = idleCycles <= 0 || idleCycles === IDLE_CYCLES_PER_CLOCK_READ;
    if (readsClock) this.#readClock(idleCycles === 0);
    // The reading is used from its field, never a local: a local merging a fresh reading with the stored one (or
    // passed to a call) can be boxed by optimised code on every cycle, 16 bytes each.
    let workCount = this.#timerCheckDeadlineNs - this.#nowNs < 0 ? this.#processTimers() : 0;
    workCount += this.#commandAdapter.receive();
    workCount += this.#trackStreamPositions();
    if (workCount > 0) this.#idleCycles = readsClock ? 0 : RESUMING;
    else this.#idleCycles = idleCycles <= 0 || idleCycles === IDLE_CYCLES_PER_CLOCK_READ ? 1 : idleCycles + 1;
    return workCount;
  }

  /** Reads the clock into the cycle's reading; `measure` reports the cycle just ended to the duty-cycle tracker. */
  #readClock(measure: boolean): void {
    const nowNs = this.#ctx.nanoClock();
    this.#nowNs = nowNs;
    if (measure) this.#dutyCycleTracker.measureAndUpdate(nowNs);
    else this.#dutyCycleTracker.update(nowNs);
    if (this.#clockUpdateDeadlineNs - nowNs < 0) {
      this.#clockUpdateDeadlineNs = nowNs + CLOCK_UPDATE_INTERVAL_NS;
      this.#nowMs = this.#ctx.epochClock();
    }
  }

  /**
   * Marks the driver as shut down for clients (heartbeat -1), deletes the publications' log files and closes the
   * channel endpoints' sockets.
   */
  onClose(): void {
    this.#toDriverCommands.setConsumerHeartbeatTime(-1);
    const resources: { free(): boolean }[] = [...this.#ipcPublications, ...this.#networkPublications];
    for (const resource of resources) {
      try {
        resource.free();
      } catch (e) {
        this.#ctx.errorHandler(e);
      }
    }
    for (const image of this.#publicationImages) {
      try {
        image.free();
      } catch (e) {
        this.#ctx.errorHandler(e);
      }
    }
    const endpoints: { close(): void }[] = [
      ...this.#sendChannelEndpoints.values(),
      ...this.#receiveChannelEndpoints.values(),
    ];
    for (const endpoint of endpoints) {
      try {
        endpoint.close();
      } catch (e) {
        this.#ctx.errorHandler(e);
      }
    }
    this.#sendChannelEndpoints.clear();
    this.#receiveChannelEndpoints.clear();
  }

  /**
   * The sender the conductor hands network publications and send channel endpoints to (Java `SenderProxy`: direct
   * calls, one thread). Set once by `MediaDriverCore` before the first duty cycle.
   */
  setSender(sender: Sender): void {
    this.#sender = sender;
  }

  /**
   * The receiver the conductor hands subscriptions, receive channel endpoints and images to (Java `ReceiverProxy`:
   * direct calls, one thread). Set once by `MediaDriverCore` before the first duty cycle.
   */
  setReceiver(receiver: Receiver): void {
    this.#receiver = receiver;
  }

  /** The publication images (read-only view, for inspection and tests). */
  get publicationImages(): readonly PublicationImage[] {
    return this.#publicationImages;
  }

  /** The network publications (read-only view, for inspection and tests). */
  get networkPublications(): readonly NetworkPublication[] {
    return this.#networkPublications;
  }

  /** Number of open send channel endpoints. */
  get sendChannelEndpointCount(): number {
    return this.#sendChannelEndpoints.size;
  }

  /** Number of IPC publications (shared ones once). */
  get ipcPublicationCount(): number {
    return this.#ipcPublications.length;
  }

  /** The IPC publications (read-only view, for inspection and tests). */
  get ipcPublications(): readonly IpcPublication[] {
    return this.#ipcPublications;
  }

  /** Number of subscriptions. */
  get subscriptionCount(): number {
    return this.#subscriptionLinks.length;
  }

  // ---- client commands --------------------------------------------------------------------------------------

  /** Stamps the client's heartbeat with now; ignored for a client the driver does not know. */
  onClientKeepalive(clientId: number): void {
    const client = this.#findClient(clientId);
    if (client !== null) client.timeOfLastKeepaliveMs(this.#nowMs);
  }

  /**
   * Allocates the counter (registration id = `correlationId`, owner = `clientId`), links it to the client (made
   * known first if new) and broadcasts ON_COUNTER_READY. A full counters buffer throws `IllegalStateError`.
   */
  onAddCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    correlationId: number,
    clientId: number,
  ): void {
    const client = this.#getOrAddClient(clientId);
    const manager = this.#countersManager;
    const counterId = this.#allocateCounter(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
      correlationId,
      clientId,
    );
    this.#counterLinks.push(
      new CounterLink(new AtomicCounter(manager.valuesBuffer, counterId, manager), correlationId, client),
    );
    this.#clientProxy.onCounterReady(correlationId, counterId);
  }

  /**
   * ADD_STATIC_COUNTER (Java `onAddStaticCounter`): the client is made known; an ALLOCATED counter of `typeId` and
   * `registrationId` without owner (owner id -1) is answered as is, one with an owner is refused with ON_ERROR
   * GENERIC_ERROR (sent directly, not logged, as Java does); otherwise a new counter (registration id =
   * `registrationId`, owner -1, linked to no client: it outlives every client). ON_STATIC_COUNTER carries its id.
   * A full counters buffer throws `IllegalStateError`.
   */
  onAddStaticCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    registrationId: number,
    correlationId: number,
    clientId: number,
  ): void {
    this.#getOrAddClient(clientId);
    const manager = this.#countersManager;
    let counterId = manager.findByTypeIdAndRegistrationId(typeId, registrationId);
    if (counterId !== NULL_COUNTER_ID) {
      if (manager.getCounterOwnerId(counterId) !== NULL_VALUE) {
        this.#clientProxy.onError(
          correlationId,
          ERROR_CODE_GENERIC_ERROR,
          `cannot add static counter, because a non-static counter exists (counterId=${counterId}) for ` +
            `typeId=${typeId} and registrationId=${registrationId}`,
        );
        return;
      }
    } else {
      counterId = this.#allocateCounter(
        typeId,
        keyBuffer,
        keyOffset,
        keyLength,
        labelBuffer,
        labelOffset,
        labelLength,
        registrationId,
        NULL_VALUE,
      );
    }
    this.#clientProxy.onStaticCounter(correlationId, counterId);
  }

  /**
   * Frees a client-added counter: ON_OPERATION_SUCCESS for `correlationId`, then ON_UNAVAILABLE_COUNTER. Throws
   * `ControlProtocolError` (UNKNOWN_COUNTER) when no counter has that registration id.
   */
  onRemoveCounter(registrationId: number, correlationId: number): void {
    const links = this.#counterLinks;
    let index = links.length - 1;
    while (index >= 0 && links[index]!.registrationId !== registrationId) index--;
    if (index < 0) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_COUNTER, `unknown counter: ${registrationId}`);
    }
    const link = links[index]!;
    fastUnorderedRemove(links, index);
    this.#clientProxy.operationSucceeded(correlationId);
    this.#clientProxy.onUnavailableCounter(registrationId, link.counterId);
    link.close();
  }

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:ipc` (Java `onAddIpcPublication`; module comment).
   * Throws `ControlProtocolError` (INVALID_CHANNEL for a bad channel or parameter, GENERIC_ERROR for a mismatch
   * with the shared publication) or `MappedFileError` (the log file).
   */
  onAddIpcPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    const channelUri = parseChannelUri(channel);
    const params = getPublicationParams(channelUri, this.#ctx.driverContext, this, streamId);
    let publication = isExclusive ? null : this.#findSharedIpcPublication(streamId, params.responseCorrelationId);
    let isNewPublication = false;
    if (publication === null) {
      this.#checkForSessionClash(params.sessionId, streamId, channel);
      publication = this.#addIpcPublication(correlationId, clientId, streamId, channel, isExclusive, params);
      isNewPublication = true;
    } else {
      confirmMatch(channelUri, params, publication);
    }
    this.#publicationLinks.push(new PublicationLink(correlationId, this.#getOrAddClient(clientId), publication));
    this.#clientProxy.onPublicationReady(
      correlationId,
      publication.registrationId,
      streamId,
      publication.sessionId,
      publication.rawLog.fileName,
      publication.publisherLimitId,
      NO_ID_ALLOCATED,
      isExclusive,
    );
    if (isNewPublication) this.#linkIpcSubscriptions(publication);
  }

  // ---- UDP: network publications (issue 17) --------------------------------------------------------------------

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:udp` (Java `onAddNetworkPublication`; module comment).
   * A request publication (`response-correlation-id=<response subscription>`) needs that subscription; a response
   * publication (`control-mode=response|response-correlation-id=<image>`) needs an image whose SETUP asked for a
   * response channel, and that image then sends RSP_SETUP with the publication's session id until it connects.
   * Throws `ControlProtocolError` (INVALID_CHANNEL, GENERIC_ERROR), `SocketError` (the endpoint's socket) or
   * `MappedFileError` (the log file).
   */
  onAddNetworkPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    const udpChannel = UdpChannel.parse(channel);
    const channelUri = udpChannel.channelUri;
    const params = getPublicationParams(channelUri, this.#ctx.driverContext, this, streamId);
    validateEndpointForPublication(udpChannel);
    validateControlForPublication(udpChannel);
    this.#validateResponseSubscription(params);
    const channelEndpoint = this.#getOrCreateSendChannelEndpoint(udpChannel, correlationId);
    let publication: NetworkPublication | null = null;
    if (!isExclusive) {
      for (const candidate of this.#networkPublications) {
        if (
          candidate.streamId === streamId &&
          candidate.channelEndpoint === channelEndpoint &&
          candidate.state === 'ACTIVE' &&
          !candidate.isExclusive &&
          candidate.responseCorrelationId === params.responseCorrelationId
        ) {
          publication = candidate;
          break;
        }
      }
    }
    let isNewPublication = false;
    let responsePublicationImage: PublicationImage | null;
    try {
      responsePublicationImage = this.#findResponsePublicationImage(params);
      if (publication === null) {
        if (this.#activeSessions.has(networkSessionKey(params.sessionId, streamId, udpChannel.canonicalForm))) {
          throw new ControlProtocolError(
            ERROR_CODE_INVALID_CHANNEL,
            `existing publication has clashing sessionId=${params.sessionId} for streamId=${streamId} channel=${channel}`,
          );
        }
        publication = this.#newNetworkPublication(
          correlationId,
          clientId,
          streamId,
          channel,
          udpChannel,
          channelEndpoint,
          params,
          isExclusive,
        );
        isNewPublication = true;
      } else {
        confirmMatch(channelUri, params, publication);
      }
    } catch (e) {
      this.#closeSendChannelEndpointIfUnused(channelEndpoint);
      throw e;
    }
    this.#publicationLinks.push(new NetworkPublicationLink(correlationId, this.#getOrAddClient(clientId), publication));
    this.#clientProxy.onPublicationReady(
      correlationId,
      publication.registrationId,
      streamId,
      publication.sessionId,
      publication.rawLog.fileName,
      publication.publisherLimitId,
      channelEndpoint.statusIndicatorCounterId,
      isExclusive,
    );
    if (isNewPublication) this.#linkSpies(publication);
    responsePublicationImage?.responseSessionId(publication.sessionId);
  }

  /**
   * Java `validateResponseSubscription`: a request publication (`response-correlation-id` without
   * `control-mode=response`) names the registration id of a subscription of this driver; GENERIC_ERROR otherwise.
   */
  #validateResponseSubscription(params: PublicationParams): void {
    const id = params.responseCorrelationId;
    if (params.isResponse || id === NULL_VALUE) return;
    const lists: readonly { readonly registrationId: number }[][] = [
      this.#subscriptionLinks,
      this.#networkSubscriptionLinks,
      this.#spySubscriptionLinks,
    ];
    for (const list of lists) {
      for (const link of list) if (link.registrationId === id) return;
    }
    throw illegalArgument(`unable to find response subscription for response-correlation-id=${id}`);
  }

  /**
   * Java `findResponsePublicationImage`: for a response publication (`control-mode=response`), the image whose
   * correlation id is its `response-correlation-id` and whose SETUP asked for a response setup; none for
   * `prototype` or a publication that is not a response one. GENERIC_ERROR with Java's texts otherwise.
   */
  #findResponsePublicationImage(params: PublicationParams): PublicationImage | null {
    if (!params.isResponse) return null;
    const id = params.responseCorrelationId;
    if (id === NULL_VALUE) {
      throw illegalArgument('control-mode=response was specified, but no response-correlation-id set');
    }
    if (id === PROTOTYPE_VALUE_CORRELATION_ID) return null;
    for (const image of this.#publicationImages) {
      if (image.correlationId === id) {
        if (image.hasSendResponseSetup()) return image;
        throw illegalArgument(`image.correlationId=${id} did not request a response channel`);
      }
    }
    throw illegalArgument(`image.correlationId=${id} not found`);
  }

  #getOrCreateSendChannelEndpoint(udpChannel: UdpChannel, registrationId: number): SendChannelEndpoint {
    let endpoint = this.#sendChannelEndpoints.get(udpChannel.canonicalForm);
    if (endpoint !== undefined) return endpoint;
    endpoint = newSendChannelEndpoint(this.#endpointSupplierContext(), udpChannel, registrationId);
    this.#senderProxy().onRegisterSendChannelEndpoint(endpoint);
    this.#sendChannelEndpoints.set(udpChannel.canonicalForm, endpoint);
    return endpoint;
  }

  #endpointSupplierContext(): ChannelEndpointSupplierContext {
    const ctx = this.#ctx;
    return {
      countersManager: this.#countersManager,
      systemCounters: ctx.systemCounters,
      errorHandler: ctx.errorHandler,
      driverContext: ctx.driverContext,
      nanoClock: ctx.nanoClock,
    };
  }

  /** The driver's NAK and retransmit delay generators, built once from its options (Java `Context.conclude`). */
  #feedbackDelayGenerators(): FeedbackDelayGenerators {
    this.#feedbackDelays ??= newFeedbackDelayGenerators(this.#ctx.driverContext);
    return this.#feedbackDelays;
  }

  #closeSendChannelEndpointIfUnused(endpoint: SendChannelEndpoint): void {
    if (endpoint.shouldBeClosed()) {
      this.#senderProxy().onCloseSendChannelEndpoint(endpoint);
      this.#sendChannelEndpoints.delete(endpoint.udpChannel.canonicalForm);
      endpoint.close();
    }
  }

  #newNetworkPublication(
    registrationId: number,
    clientId: number,
    streamId: number,
    channel: string,
    udpChannel: UdpChannel,
    channelEndpoint: SendChannelEndpoint,
    params: PublicationParams,
    isExclusive: boolean,
  ): NetworkPublication {
    const sender = this.#senderProxy();
    this.#osSocketBuffers ??= readOsSocketBufferLengths();
    this.#threadLocals ??= new NetworkPublicationThreadLocals();
    const publication = newNetworkPublication(
      {
        countersManager: this.#countersManager,
        systemCounters: this.#ctx.systemCounters,
        driverContext: this.#ctx.driverContext,
        nanoClock: this.#ctx.nanoClock,
        feedbackDelayGenerators: this.#feedbackDelayGenerators(),
        threadLocals: this.#threadLocals,
        osSocketBuffers: this.#osSocketBuffers,
      },
      { registrationId, clientId, streamId, channel, udpChannel, channelEndpoint, params, isExclusive },
    );
    channelEndpoint.incRef();
    this.#networkPublications.push(publication);
    sender.onNewNetworkPublication(publication);
    this.#activeSessions.add(networkSessionKey(params.sessionId, streamId, udpChannel.canonicalForm));
    return publication;
  }

  // ---- sender's conductor proxy -----------------------------------------------------------------------------

  /**
   * An error frame from a receiver of a network publication (Java `onPublicationError`): a WARN entry in the
   * distinct error log as Java records it (see `imageRejected`), then ON_PUBLICATION_ERROR to the clients with the
   * receiver's address, id and group tag.
   */
  onPublicationError(
    registrationId: number,
    destinationRegistrationId: number,
    sessionId: number,
    streamId: number,
    receiverId: bigint,
    groupTag: bigint | null,
    srcAddress: SocketAddress,
    errorCode: number,
    errorMessage: string,
  ): void {
    this.#recordError(
      publicationErrorEvent(
        registrationId,
        destinationRegistrationId,
        sessionId,
        streamId,
        receiverId,
        groupTag ?? NULL_VALUE,
        errorCode,
        errorMessage,
      ),
    );
    this.#clientProxy.onPublicationErrorFrame(
      registrationId,
      destinationRegistrationId,
      sessionId,
      streamId,
      receiverId,
      groupTag,
      srcAddress,
      errorCode,
      errorMessage,
    );
  }

  /**
   * A publication's first receiver connected (Java `responseConnected`): when it answers an image that asked for a
   * response channel (`responseCorrelationId` = the image's correlation id), that image stops sending RSP_SETUP.
   */
  responseConnected(responseCorrelationId: number): void {
    const images = this.#publicationImages;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (image.correlationId === responseCorrelationId && image.hasSendResponseSetup()) {
        image.responseSessionId(null);
      }
    }
  }

  /**
   * A RSP_SETUP reached a request publication (Java `responseSetup`): its response subscription (registration id
   * `responseCorrelationId`) takes `responseSessionId` and joins the receiver for that session, whose SETUP it
   * elicits from the response publication's control address; one with a session already elicits the SETUP again.
   */
  responseSetup(responseCorrelationId: number, responseSessionId: number): void {
    const links = this.#networkSubscriptionLinks;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (link.registrationId !== responseCorrelationId) continue;
      const sessionId = link.sessionId;
      if (sessionId !== null) {
        this.#receiverProxy().requestSetup(link.channelEndpoint, link.streamId, sessionId);
      } else {
        link.setSessionId(responseSessionId);
        this.#addNetworkSubscriptionToReceiver(link);
        link.channelEndpoint.decResponseRefToStream(link.streamId);
      }
      break;
    }
  }

  // ---- network publication callbacks ----------------------------------------------------------------------

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, every spy of `publication` (Java `cleanupSpies`). */
  cleanupSpies(publication: NetworkPublication): void {
    for (const link of this.#spySubscriptionLinks) {
      if (link.isLinked(publication)) {
        this.#clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
        link.unlink(publication);
      }
    }
  }

  /** A network publication is done: the sender drops it, its endpoint closes when unused, its session is free. */
  cleanupPublication(publication: NetworkPublication): void {
    this.#senderProxy().onRemoveNetworkPublication(publication);
    const canonicalForm = publication.channelEndpoint.udpChannel.canonicalForm;
    const endpoint = this.#sendChannelEndpoints.get(canonicalForm);
    if (endpoint !== undefined) this.#closeSendChannelEndpointIfUnused(endpoint);
    this.#activeSessions.delete(networkSessionKey(publication.sessionId, publication.streamId, canonicalForm));
  }

  /** ON_AVAILABLE_IMAGE to every matching spy of a new network publication (Java `linkSpies`). */
  #linkSpies(publication: NetworkPublication): void {
    for (const link of this.#spySubscriptionLinks) {
      if (link.matches(publication) && !link.isLinked(publication)) {
        this.#clientProxy.onAvailableImage(
          publication.registrationId,
          publication.streamId,
          publication.sessionId,
          link.registrationId,
          this.#linkSpy(publication, link),
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  #senderProxy(): Sender {
    const sender = this.#sender;
    if (sender === null) throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, 'no sender: UDP is not available');
    return sender;
  }

  /**
   * REMOVE_PUBLICATION (Java `onRemovePublication`): the link of `registrationId` is closed (revoking the
   * publication first when asked); ON_OPERATION_SUCCESS. Unknown id: `ControlProtocolError` UNKNOWN_PUBLICATION.
   */
  onRemovePublication(registrationId: number, correlationId: number, revoke: boolean): void {
    const links = this.#publicationLinks;
    let index = 0;
    while (index < links.length && links[index]!.registrationId !== registrationId) index++;
    if (index === links.length) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_PUBLICATION, `unknown publication: ${registrationId}`);
    }
    const link = links[index]!;
    fastUnorderedRemove(links, index);
    if (revoke) link.revoke();
    link.close();
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * ADD_SUBSCRIPTION on `aeron:ipc` (Java `onAddIpcSubscription`): ON_SUBSCRIPTION_READY, then an image of every
   * matching publication that accepts subscriptions.
   */
  onAddIpcSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const params = getSubscriptionParams(channel, this.#ctx.driverContext);
    const link = new IpcSubscriptionLink(
      registrationId,
      streamId,
      channel,
      this.#getOrAddClient(clientId),
      params.sessionId,
      false,
      params.isTether,
      params.isRejoin,
      params.isResponse,
    );
    this.#subscriptionLinks.push(link);
    this.#clientProxy.onSubscriptionReady(registrationId, NO_ID_ALLOCATED);
    this.#linkMatchingIpcPublications(link);
  }

  /** An image (ON_AVAILABLE_IMAGE) for `link` of every matching IPC publication that accepts subscriptions. */
  #linkMatchingIpcPublications(link: IpcSubscriptionLink): void {
    for (const publication of this.#ipcPublications) {
      if (link.matches(publication) && publication.isAcceptingSubscriptions()) {
        const positionId = this.#linkIpcSubscription(publication, link);
        this.#clientProxy.onAvailableImage(
          publication.registrationId,
          link.streamId,
          publication.sessionId,
          link.registrationId,
          positionId,
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /**
   * ADD_SUBSCRIPTION on `aeron-spy:` (Java `onAddSpySubscription`): the spied UDP channel parsed (INVALID_CHANNEL
   * otherwise), a SpySubscriptionLink, ON_SUBSCRIPTION_READY with channel status -1 (`NO_ID_ALLOCATED`, as Java),
   * then ON_AVAILABLE_IMAGE (source `aeron:ipc`) for each matching network publication accepting subscriptions, the
   * spy's sub-pos at the publication's sender position.
   */
  onAddSpySubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const udpChannel = UdpChannel.parse(channel);
    const params = getSubscriptionParams(channel, this.#ctx.driverContext);
    const link = new SpySubscriptionLink(
      registrationId,
      udpChannel,
      streamId,
      this.#getOrAddClient(clientId),
      params.sessionId,
    );
    this.#spySubscriptionLinks.push(link);
    this.#clientProxy.onSubscriptionReady(registrationId, NO_ID_ALLOCATED);
    this.#linkMatchingNetworkPublications(link);
  }

  /** An image (ON_AVAILABLE_IMAGE, source `aeron:ipc`) for spy `link` of every matching network publication. */
  #linkMatchingNetworkPublications(link: SpySubscriptionLink): void {
    for (const publication of this.#networkPublications) {
      if (link.matches(publication) && publication.isAcceptingSubscriptions()) {
        this.#clientProxy.onAvailableImage(
          publication.registrationId,
          link.streamId,
          publication.sessionId,
          link.registrationId,
          this.#linkSpy(publication, link),
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /** A sub-pos for spy `link` in `publication` at its sender position; returns the counter id (Java `linkSpy`). */
  #linkSpy(publication: NetworkPublication, link: SpySubscriptionLink): number {
    const joinPosition = publication.consumerPosition();
    const manager = this.#countersManager;
    const position = allocateSubscriberPosition(
      manager,
      {
        clientId: link.client.clientId,
        registrationId: link.registrationId,
        sessionId: publication.sessionId,
        streamId: publication.streamId,
        channel: link.channel,
      },
      joinPosition,
    );
    manager.setCounterReferenceId(position.id, publication.registrationId);
    position.setRelease(joinPosition);
    link.link(publication, position);
    publication.addSubscriber(position);
    return position.id;
  }

  // ---- UDP: network subscriptions and publication images (issue 17) -----------------------------------------

  /**
   * ADD_SUBSCRIPTION on `aeron:udp` (Java `onAddNetworkSubscription`): the receive channel endpoint of the
   * channel's canonical form reused or opened (rcv-channel and rcv-local-sockaddr counters, socket bound to the
   * endpoint), a NetworkSubscriptionLink, the receiver told of the stream (or stream and session) interest,
   * ON_SUBSCRIPTION_READY with the channel status counter id, then ON_AVAILABLE_IMAGE for each matching image.
   * A response subscription (`control-mode=response`) joins the receiver only once a response setup names its
   * session (`responseSetup`). A subscription of the same stream and session kind on the endpoint must agree on
   * `reliable`, `rejoin` and `control-mode=response` (INVALID_CHANNEL, Java `checkForClashingSubscription`).
   */
  onAddNetworkSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    const udpChannel = UdpChannel.parse(channel);
    if (udpChannel.hasExplicitControl && udpChannel.localControl.port === 0) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `control has port=0 for subscription: channel=${udpChannel.originalUriString}`,
        { javaExceptionClass: 'java.lang.IllegalArgumentException' },
      );
    }
    const params = getNetworkSubscriptionParams(udpChannel, this.#ctx.driverContext);
    this.#checkForClashingSubscription(params, udpChannel, streamId);
    const channelEndpoint = this.#getOrCreateReceiveChannelEndpoint(udpChannel, registrationId);
    const link = new NetworkSubscriptionLink(
      registrationId,
      streamId,
      channel,
      this.#getOrAddClient(clientId),
      channelEndpoint,
      params,
    );
    this.#networkSubscriptionLinks.push(link);
    if (udpChannel.isResponseControlMode) channelEndpoint.incResponseRefToStream(streamId);
    else this.#addNetworkSubscriptionToReceiver(link);
    this.#clientProxy.onSubscriptionReady(registrationId, channelEndpoint.statusIndicator.id);
    const images = this.#publicationImages;
    for (let i = 0; i < images.length; i++) {
      const image = images[i]!;
      if (
        link.matches(image.channelEndpoint as ReceiveChannelEndpoint, image.streamId, image.sessionId) &&
        image.isAcceptingSubscriptions()
      ) {
        const joinPosition = image.joinPosition();
        const position = allocateImageSubscriberPosition(
          this.#countersManager,
          link,
          image.sessionId,
          image.correlationId,
          joinPosition,
        );
        link.link(image, position);
        image.addSubscriber(link, position, this.#ctx.nanoClock());
        this.#clientProxy.onAvailableImage(
          image.correlationId,
          streamId,
          image.sessionId,
          registrationId,
          position.id,
          image.rawLog.fileName,
          image.sourceIdentity,
        );
      }
    }
  }

  /** The receiver's stream (or stream and session) interest for `link` (Java `addNetworkSubscriptionToReceiver`). */
  #addNetworkSubscriptionToReceiver(link: NetworkSubscriptionLink): void {
    const endpoint = link.channelEndpoint;
    const sessionId = link.sessionId;
    if (sessionId !== null) {
      if (endpoint.incRefToStreamAndSession(link.streamId, sessionId) === 1) {
        this.#receiverProxy().addSubscription(endpoint, link.streamId, sessionId);
      }
    } else if (endpoint.incRefToStream(link.streamId) === 1) {
      this.#receiverProxy().addSubscription(endpoint, link.streamId);
    }
  }

  /**
   * Java `checkForClashingSubscription`: on the endpoint the channel maps to, a subscription of the same stream
   * and session kind (by tag when the channel has one) must agree on `reliable`, `rejoin` and response mode.
   */
  #checkForClashingSubscription(params: NetworkSubscriptionParams, udpChannel: UdpChannel, streamId: number): void {
    const endpoint = this.#findExistingReceiveChannelEndpoint(udpChannel);
    if (endpoint === null) return;
    for (const link of this.#networkSubscriptionLinks) {
      if (!link.matchesParams(endpoint, streamId, params)) continue;
      const conflict =
        params.isReliable !== link.isReliable
          ? `reliable=${params.isReliable}`
          : params.isRejoin !== link.isRejoin
            ? `rejoin=${params.isRejoin}`
            : params.isResponse !== link.isResponse
              ? `isResponse=${params.isResponse}`
              : null;
      if (conflict !== null) {
        throw new ControlProtocolError(
          ERROR_CODE_INVALID_CHANNEL,
          `option conflicts with existing subscription: ${conflict} existingChannel=${link.channel} channel=${udpChannel.originalUriString}`,
        );
      }
    }
  }

  /**
   * Java `findExistingReceiveChannelEndpoint`: a channel with a tag finds the endpoint it names by tag first; else
   * the endpoint of its canonical form, unless both have tags and they differ.
   */
  #findExistingReceiveChannelEndpoint(udpChannel: UdpChannel): ReceiveChannelEndpoint | null {
    if (udpChannel.hasTag) {
      for (const endpoint of this.#receiveChannelEndpoints.values()) {
        if (endpoint.matchesTag(udpChannel)) return endpoint;
      }
    }
    const endpoint = this.#receiveChannelEndpoints.get(udpChannel.canonicalForm);
    if (endpoint === undefined) return null;
    if (endpoint.udpChannel.hasTag && udpChannel.hasTag && endpoint.udpChannel.tag !== udpChannel.tag) return null;
    return endpoint;
  }

  #getOrCreateReceiveChannelEndpoint(udpChannel: UdpChannel, registrationId: number): ReceiveChannelEndpoint {
    const existing = this.#findExistingReceiveChannelEndpoint(udpChannel);
    if (existing !== null) return existing;
    const receiver = this.#receiverProxy();
    const endpoint = newReceiveChannelEndpoint(
      this.#endpointSupplierContext(),
      udpChannel,
      registrationId,
      new DataPacketDispatcher(this, receiver),
      receiver.cachedNanoClock,
    );
    receiver.registerReceiveChannelEndpoint(endpoint);
    this.#receiveChannelEndpoints.set(udpChannel.canonicalForm, endpoint);
    return endpoint;
  }

  /**
   * A SETUP for a session the endpoint's subscriptions want (Java `onCreatePublicationImage`; the receiver's
   * `ReceiverConductorProxy.createPublicationImage`): a sub-pos per matching subscription at the SETUP's position,
   * the image log, rcv-hwm, rcv-pos and rcv-naks-sent counters, static window congestion control, the
   * `PublicationImage` handed to the receiver, ON_AVAILABLE_IMAGE to each subscription with the source identity
   * (`host:port` of the SETUP's source).
   */
  createPublicationImage(
    sessionId: number,
    streamId: number,
    initialTermId: number,
    activeTermId: number,
    termOffset: number,
    termLength: number,
    mtuLength: number,
    transportIndex: number,
    flags: number,
    controlAddress: SocketAddress,
    srcAddress: SocketAddress,
    channelEndpoint: DispatcherEndpoint,
  ): void {
    const endpoint = channelEndpoint as ReceiveChannelEndpoint;
    const mtuProblem = mtuLengthProblem(mtuLength);
    if (mtuProblem !== null) {
      throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, `ERROR - ${mtuProblem}`, {
        javaExceptionClass: 'io.aeron.exceptions.ConfigurationException',
      });
    }
    const links: NetworkSubscriptionLink[] = [];
    for (const link of this.#networkSubscriptionLinks) {
      if (link.matches(endpoint, streamId, sessionId)) links.push(link);
    }
    if (links.length === 0) return;
    const receiver = this.#receiverProxy();
    this.#osSocketBuffers ??= readOsSocketBufferLengths();
    const correlationId = this.#toDriverCommands.nextCorrelationId();
    const { image, positions } = newPublicationImage(
      {
        countersManager: this.#countersManager,
        systemCounters: this.#ctx.systemCounters,
        driverContext: this.#ctx.driverContext,
        feedbackDelayGenerators: this.#feedbackDelayGenerators(),
        osSocketBuffers: this.#osSocketBuffers,
        imageConductor: this.#imageConductor,
        cachedNanoClock: receiver.cachedNanoClock,
        nanoClock: this.#ctx.nanoClock,
        epochClock: this.#ctx.epochClock,
      },
      {
        correlationId,
        endpoint,
        transportIndex,
        sessionId,
        streamId,
        initialTermId,
        activeTermId,
        termOffset,
        termLength,
        mtuLength,
        flags,
        controlAddress,
        srcAddress,
        links,
      },
    );
    endpoint.incRefImages();
    this.#publicationImages.push(image);
    receiver.newPublicationImage(endpoint, image);
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      const position = positions[i]!;
      link.link(image, position);
      this.#clientProxy.onAvailableImage(
        correlationId,
        streamId,
        sessionId,
        link.registrationId,
        position.id,
        image.rawLog.fileName,
        image.sourceIdentity,
      );
    }
  }

  /** The receiver stopped polling `endpoint`: it is closed and forgotten (Java `receiveChannelEndpointClosed`). */
  receiveChannelEndpointClosed(channelEndpoint: ReceiveChannelEndpoint): void {
    this.#receiveChannelEndpoints.delete(channelEndpoint.udpChannel.canonicalForm);
    channelEndpoint.close();
  }

  /** The image side of the conductor (Java: the `DriverConductor` methods `PublicationImage` calls). */
  readonly #imageConductor: ImageConductor = {
    transitionToLinger: (image) => {
      // Java: the last linked subscription's `rejoin` decides; rejoin=false keeps the image's session in cool-down
      let rejoin = true;
      for (const link of this.#networkSubscriptionLinks) {
        if (link.isLinked(image)) {
          rejoin = link.isRejoin;
          this.#clientProxy.onUnavailableImage(image.correlationId, link.registrationId, link.streamId, link.channel);
        }
      }
      if (rejoin) {
        this.#receiver?.removeCoolDown(
          image.channelEndpoint as ReceiveChannelEndpoint,
          image.sessionId,
          image.streamId,
        );
      }
    },
    cleanupImage: (image) => {
      for (const link of this.#networkSubscriptionLinks) link.unlink(image);
    },
    tryCloseReceiveChannelEndpoint: (endpoint) => {
      this.#tryCloseReceiveChannelEndpoint(endpoint as ReceiveChannelEndpoint);
    },
    notifyUnavailableImageLink: (correlationId, link) => {
      const subscription = link as NetworkSubscriptionLink;
      this.#clientProxy.onUnavailableImage(
        correlationId,
        subscription.registrationId,
        subscription.streamId,
        subscription.channel,
      );
    },
    notifyAvailableImageLink: (
      correlationId,
      sessionId,
      link,
      positionId,
      joinPosition,
      logFileName,
      sourceIdentity,
    ) => {
      const subscription = link as NetworkSubscriptionLink;
      this.#countersManager.setCounterValue(positionId, joinPosition);
      this.#clientProxy.onAvailableImage(
        correlationId,
        subscription.streamId,
        sessionId,
        subscription.registrationId,
        positionId,
        logFileName,
        sourceIdentity,
      );
    },
  };

  #tryCloseReceiveChannelEndpoint(endpoint: ReceiveChannelEndpoint): void {
    if (endpoint.shouldBeClosed()) {
      endpoint.indicateClosing();
      this.#receiverProxy().closeReceiveChannelEndpoint(endpoint);
    }
  }

  /** A network subscription is gone: the receiver loses interest, the endpoint closes when unused. */
  #cleanupNetworkSubscriptionLink(link: NetworkSubscriptionLink): void {
    const endpoint = link.channelEndpoint;
    const receiver = this.#receiverProxy();
    const sessionId = link.sessionId;
    if (sessionId !== null) {
      if (endpoint.decRefToStreamAndSession(link.streamId, sessionId) === 0) {
        receiver.removeSubscription(endpoint, link.streamId, sessionId);
      }
    } else if (link.isResponse) {
      endpoint.decResponseRefToStream(link.streamId);
    } else if (endpoint.decRefToStream(link.streamId) === 0) {
      receiver.removeSubscription(endpoint, link.streamId);
    }
    this.#tryCloseReceiveChannelEndpoint(endpoint);
  }

  #receiverProxy(): Receiver {
    const receiver = this.#receiver;
    if (receiver === null)
      throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, 'no receiver: UDP is not available');
    return receiver;
  }

  /**
   * TERMINATE_DRIVER (Java `onTerminateDriver`): the token (copied) goes to the termination validator; when it
   * allows, the driver terminates (`terminate`). No reply either way, as Java.
   */
  onTerminateDriver(tokenBuffer: AtomicBuffer, tokenOffset: number, tokenLength: number): void {
    const token = new Uint8Array(tokenLength);
    tokenBuffer.getBytes(tokenOffset, token, 0, tokenLength);
    if (this.#ctx.terminationValidator(token)) this.#ctx.terminate();
  }

  /**
   * ADD_DESTINATION (Java `onAddSendDestination`): the destination URI is validated as Java does, then the
   * publication must be a network publication with manual control; none exists here, so UNKNOWN_PUBLICATION.
   */
  onAddSendDestination(registrationId: number, channel: string, correlationId: number): void {
    const uri = parseChannelUri(channel);
    if (uri.prefix === SPY_PREFIX) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `Aeron spies are invalid as send destinations: channel=${channel}`,
      );
    }
    for (const key of INVALID_DESTINATION_KEYS) {
      if (uri.get(key) !== undefined) {
        throw new ControlProtocolError(
          ERROR_CODE_INVALID_CHANNEL,
          `destinations must not contain the key: ${key} channel=${channel}`,
        );
      }
    }
    if (uri.get('control-mode') === 'response') {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'destinations may not specify control-mode=response');
    }
    const endpoint = uri.get('endpoint');
    if (endpoint?.endsWith(':0') === true) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `endpoint has port=0 for send destination: channel=${channel}`,
      );
    }
    const destinations = this.#manualSndDestinations(registrationId);
    destinations.addDestination(endpoint ?? null, destinationSocketAddress(uri, channel), correlationId);
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /** REMOVE_DESTINATION (Java `onRemoveSendDestination`): the destination with the URI's address, if any. */
  onRemoveSendDestination(registrationId: number, channel: string, correlationId: number): void {
    const uri = parseChannelUri(channel);
    const destinations = this.#manualSndDestinations(registrationId);
    destinations.removeDestination(destinationSocketAddress(uri, channel));
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /** REMOVE_DESTINATION_BY_ID (Java `onRemoveSendDestination(long, long, long)`). */
  onRemoveSendDestinationById(publicationRegistrationId: number, destinationId: number, correlationId: number): void {
    this.#manualSndDestinations(publicationRegistrationId).removeDestinationById(destinationId);
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * The MDC destinations of network publication `registrationId` (Java: its endpoint, then
   * `validateAllowsManualControl`): UNKNOWN_PUBLICATION when there is none, INVALID_CHANNEL `channel does not allow
   * manual control` unless `control-mode=manual`.
   */
  #manualSndDestinations(registrationId: number): MultiSndDestination {
    const publication = this.#networkPublications.find((p) => p.registrationId === registrationId);
    if (publication === undefined) throw unknownPublication(registrationId);
    const destinations = (publication.channelEndpoint as SendChannelEndpoint).multiSndDestination;
    if (destinations === null || destinations.isDynamic) {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'channel does not allow manual control');
    }
    return destinations;
  }

  /**
   * ADD_RCV_DESTINATION (Java `onAddRcvDestination`): only a multi-destination (MDS, UDP `control-mode=manual`)
   * subscription takes destinations (else UNKNOWN_SUBSCRIPTION `unknown MDS subscription`): a UDP destination opens
   * a transport on its endpoint (ON_OPERATION_SUCCESS). An `aeron:ipc` destination is an IPC subscription link and an
   * `aeron-spy:` one a spy link, both with the MDS subscription's registration id, stream and client
   * (ON_OPERATION_SUCCESS, then an image of every matching publication; Java `onAddRcvIpcDestination` /
   * `onAddRcvSpyDestination`).
   */
  onAddRcvDestination(registrationId: number, channel: string, correlationId: number): void {
    parseChannelUri(channel);
    const findMdsLink = (): NetworkSubscriptionLink => {
      const link = this.#networkSubscriptionLinks.find(
        (l) => l.registrationId === registrationId && l.channelEndpoint.hasDestinationControl(),
      );
      if (link === undefined) {
        throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown MDS subscription: ${registrationId}`);
      }
      return link;
    };
    if (channel.startsWith(IPC_CHANNEL)) {
      const params = getSubscriptionParams(channel, this.#ctx.driverContext);
      const mdsLink = findMdsLink();
      const link = new IpcSubscriptionLink(
        registrationId,
        mdsLink.streamId,
        channel,
        mdsLink.client,
        params.sessionId,
        false,
        params.isTether,
        params.isRejoin,
        params.isResponse,
      );
      this.#subscriptionLinks.push(link);
      this.#clientProxy.operationSucceeded(correlationId);
      this.#linkMatchingIpcPublications(link);
      return;
    }
    if (channel.startsWith(SPY_PREFIX)) {
      const udpChannel = UdpChannel.parse(channel);
      const params = getSubscriptionParams(channel, this.#ctx.driverContext);
      const mdsLink = findMdsLink();
      const link = new SpySubscriptionLink(
        registrationId,
        udpChannel,
        mdsLink.streamId,
        mdsLink.client,
        params.sessionId,
      );
      this.#spySubscriptionLinks.push(link);
      this.#clientProxy.operationSucceeded(correlationId);
      this.#linkMatchingNetworkPublications(link);
      return;
    }
    const udpChannel = UdpChannel.parse(channel);
    for (const key of INVALID_DESTINATION_KEYS) {
      if (udpChannel.channelUri.get(key) !== undefined) {
        throw new ControlProtocolError(
          ERROR_CODE_INVALID_CHANNEL,
          `destinations must not contain the key: ${key} channel=${channel}`,
        );
      }
    }
    const driverContext = this.#ctx.driverContext;
    const endpoint = findMdsLink().channelEndpoint;
    const manager = this.#countersManager;
    // Java: a rcv-local-sockaddr counter per destination (ReplayMerge resolves an ephemeral replay port from it)
    const localSocketAddress = allocateLocalSocketAddress(
      manager,
      registrationId,
      endpoint.statusIndicator.id,
      RECEIVE_LOCAL_SOCKET_ADDRESS_NAME,
    );
    let transportIndex: number;
    try {
      transportIndex = endpoint.addDestination(
        udpChannel,
        driverContext.socketSndbufLength,
        driverContext.socketRcvbufLength,
        driverContext.multicastTtl,
        localSocketAddress,
      );
    } catch (e) {
      localSocketAddress.close();
      throw channelOpenError(e, channel);
    }
    updateBindAddress(manager, localSocketAddress, endpoint.transportBindAddress(transportIndex));
    localSocketAddress.set(CHANNEL_STATUS_ACTIVE);
    this.#receiverProxy().addDestination(endpoint, transportIndex);
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REMOVE_RCV_DESTINATION (Java `onRemoveRcvDestination`): an `aeron:ipc`/`aeron-spy` destination removes the
   * subscription link with that registration id and exactly that channel (ON_OPERATION_SUCCESS, then
   * ON_UNAVAILABLE_IMAGE for each publication it was linked to), as Java does; otherwise UNKNOWN_SUBSCRIPTION. A UDP destination of an MDS subscription closes its transport
   * (ON_OPERATION_SUCCESS); of another network subscription: INVALID_CHANNEL `channel does not allow manual control`.
   */
  onRemoveRcvDestination(registrationId: number, channel: string, correlationId: number): void {
    if (channel.startsWith(IPC_CHANNEL) || channel.startsWith(SPY_PREFIX)) {
      const links: (IpcSubscriptionLink | SpySubscriptionLink)[][] = [
        this.#subscriptionLinks,
        this.#spySubscriptionLinks,
      ];
      for (const list of links) {
        for (let i = 0; i < list.length; i++) {
          const link = list[i]!;
          if (link.registrationId === registrationId && link.channel === channel) {
            fastUnorderedRemove(list, i);
            const linked = link.linkedRegistrationIds();
            link.close();
            this.#clientProxy.operationSucceeded(correlationId);
            for (const id of linked) this.#clientProxy.onUnavailableImage(id, registrationId, link.streamId, channel);
            return;
          }
        }
      }
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
    }
    const link = this.#networkSubscriptionLinks.find((l) => l.registrationId === registrationId);
    if (link === undefined) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
    }
    if (!link.channelEndpoint.hasDestinationControl()) {
      throw new ControlProtocolError(ERROR_CODE_INVALID_CHANNEL, 'channel does not allow manual control');
    }
    link.channelEndpoint.removeDestination(UdpChannel.parse(channel));
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REJECT_IMAGE (Java `onRejectImage`): a reason longer than Java's limit is GENERIC_ERROR; a network image is
   * rejected by the receiver (`PublicationImage.reject`: no more frames taken, ERROR frames IMAGE_REJECTED to its
   * sender); an id that is neither is GENERIC_ERROR `Unable to resolve image`; an IPC publication's image is rejected (see
   * `IpcPublication.reject`: ON_PUBLICATION_ERROR IMAGE_REJECTED, subscribers unlinked, cool-down of
   * `imageLivenessTimeoutNs`), IMAGES_REJECTED + 1, ON_OPERATION_SUCCESS. The position is not used for IPC.
   */
  onRejectImage(correlationId: number, imageCorrelationId: number, position: number, reason: string): void {
    if (reason.length > MAX_ERROR_MESSAGE_LENGTH) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `Invalidation reason must be ${MAX_ERROR_MESSAGE_LENGTH} bytes or less`,
      );
    }
    const images = this.#publicationImages;
    for (let i = 0; i < images.length; i++) {
      if (images[i]!.correlationId === imageCorrelationId) {
        // a network image: the receiver stops it taking frames and sends ERROR frames IMAGE_REJECTED (Java)
        this.#receiverProxy().rejectImage(imageCorrelationId, position, reason);
        this.#imagesRejected.increment();
        this.#clientProxy.operationSucceeded(correlationId);
        return;
      }
    }
    const publications = this.#ipcPublications;
    let publication: IpcPublication | undefined;
    for (let i = 0; i < publications.length; i++) {
      if (publications[i]!.registrationId === imageCorrelationId) {
        publication = publications[i];
        break;
      }
    }
    if (publication === undefined) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `Unable to resolve image for correlationId=${imageCorrelationId}`,
      );
    }
    publication.reject(reason, this, this.#ctx.nanoClock(), this.#ctx.driverContext.imageLivenessTimeoutNs);
    this.#imagesRejected.increment();
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REMOVE_SUBSCRIPTION (Java `onRemoveSubscription`): its positions freed, ON_OPERATION_SUCCESS. Unknown id:
   * `ControlProtocolError` UNKNOWN_SUBSCRIPTION.
   */
  onRemoveSubscription(registrationId: number, correlationId: number): void {
    const links = this.#subscriptionLinks;
    let found = false;
    for (let i = links.length - 1; i >= 0; i--) {
      const link = links[i]!;
      if (link.registrationId === registrationId) {
        fastUnorderedRemove(links, i);
        link.close();
        found = true;
      }
    }
    const networkLinks = this.#networkSubscriptionLinks;
    for (let i = networkLinks.length - 1; i >= 0; i--) {
      const link = networkLinks[i]!;
      if (link.registrationId === registrationId) {
        fastUnorderedRemove(networkLinks, i);
        link.close();
        this.#cleanupNetworkSubscriptionLink(link);
        found = true;
      }
    }
    const spyLinks = this.#spySubscriptionLinks;
    for (let i = spyLinks.length - 1; i >= 0; i--) {
      const link = spyLinks[i]!;
      if (link.registrationId === registrationId) {
        fastUnorderedRemove(spyLinks, i);
        link.close();
        found = true;
      }
    }
    if (!found) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
    }
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * The next session id outside the reserved range and not used by an active publication of `streamId`
   * (Java `nextAvailableSessionId`).
   */
  nextAvailableSessionId(streamId: number): number {
    const { publicationReservedSessionIdLow: low, publicationReservedSessionIdHigh: high } = this.#ctx.driverContext;
    for (;;) {
      let sessionId = this.#nextSessionId;
      this.#nextSessionId = (sessionId + 1) | 0;
      if (low <= sessionId && sessionId <= high) {
        sessionId = (high + 1) | 0;
        this.#nextSessionId = (sessionId + 1) | 0;
      }
      if (!this.#activeSessions.has(sessionKey(sessionId, streamId))) return sessionId;
    }
  }

  /**
   * GET_NEXT_AVAILABLE_SESSION_ID (Java `onNextAvailableSessionId`): the next session id outside the reserved
   * range and not active on `streamId`, as ON_NEXT_AVAILABLE_SESSION_ID.
   */
  onNextAvailableSessionId(correlationId: number, streamId: number): void {
    this.#clientProxy.onNextAvailableSessionId(correlationId, this.nextAvailableSessionId(streamId));
  }

  /** The IPC publication with entity tag `tag`, or null (Java `findIpcPublicationByTag`). */
  findIpcPublicationByTag(tag: number): IpcPublication | null {
    if (tag === -1) return null;
    for (const publication of this.#ipcPublications) {
      if (publication.tag === tag) return publication;
    }
    return null;
  }

  /** Marks the client closed by command: it is reaped at the next timer tick without counting as a timeout. */
  onClientClose(clientId: number): void {
    this.#findClient(clientId)?.onClosedByCommand();
  }

  // ---- resource callbacks -------------------------------------------------------------------------------------

  /** Broadcasts ON_CLIENT_TIMEOUT for `clientId`. */
  clientTimeout(clientId: number): void {
    this.#clientProxy.onClientTimeout(clientId);
  }

  /** Broadcasts ON_UNAVAILABLE_COUNTER for counter `counterId` of `registrationId`. */
  unavailableCounter(registrationId: number, counterId: number): void {
    this.#clientProxy.onUnavailableCounter(registrationId, counterId);
  }

  /** An IPC publication is done draining: its session is free, ON_UNAVAILABLE_IMAGE to each linked subscription. */
  transitionToLinger(publication: IpcPublication): void {
    this.#activeSessions.delete(sessionKey(publication.sessionId, publication.streamId));
    for (const link of this.#subscriptionLinks) {
      if (link.isLinked(publication)) {
        this.#clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
      }
    }
  }

  /**
   * ON_PUBLICATION_ERROR IMAGE_REJECTED from the IPC source for `publication` (Java `onPublicationError`), after a
   * WARN entry in the distinct error log (and ERRORS + 1) as Java records it:
   * `WARN - onPublicationError: registrationId=…, destinationRegistrationId=-1, sessionId=…, streamId=…,
   * receiverId=-1, groupId=-1, errorCode=<IMAGE_REJECTED>, errorMessage=<reason>`.
   */
  imageRejected(publication: IpcPublication, reason: string): void {
    this.#recordError(
      publicationErrorEvent(
        publication.registrationId,
        NULL_VALUE,
        publication.sessionId,
        publication.streamId,
        NULL_VALUE,
        NULL_VALUE,
        ERROR_CODE_IMAGE_REJECTED,
        reason,
      ),
    );
    this.#clientProxy.onPublicationErrorFromIpc(
      publication.registrationId,
      NULL_VALUE,
      publication.sessionId,
      publication.streamId,
      NULL_VALUE,
      NULL_VALUE,
      ERROR_CODE_IMAGE_REJECTED,
      reason,
    );
  }

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, each subscription linked to `publication`. */
  unlinkIpcSubscriptions(publication: IpcPublication): void {
    const links = this.#subscriptionLinks;
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!;
      if (link.isLinked(publication)) {
        this.#clientProxy.onUnavailableImage(
          publication.registrationId,
          link.registrationId,
          link.streamId,
          link.channel,
        );
        link.unlink(publication);
      }
    }
  }

  /** ON_UNAVAILABLE_IMAGE of `publication` to `link` (Java `notifyUnavailableImageLink`). */
  notifyUnavailableImageLink(publication: IpcPublication, link: LinkedSubscription): void {
    const subscription = link as IpcSubscriptionLink;
    this.#clientProxy.onUnavailableImage(
      publication.registrationId,
      subscription.registrationId,
      subscription.streamId,
      subscription.channel,
    );
  }

  /**
   * Counter `positionId` := `joinPosition`, then ON_AVAILABLE_IMAGE of `publication` to `link` (Java
   * `notifyAvailableImageLink`: an untethered subscription rejoins with its sub-pos counter).
   */
  notifyAvailableImageLink(
    publication: IpcPublication,
    link: LinkedSubscription,
    positionId: number,
    joinPosition: number,
  ): void {
    const subscription = link as IpcSubscriptionLink;
    this.#countersManager.setCounterValue(positionId, joinPosition);
    this.#clientProxy.onAvailableImage(
      publication.registrationId,
      subscription.streamId,
      publication.sessionId,
      subscription.registrationId,
      positionId,
      publication.rawLog.fileName,
      IPC_CHANNEL,
    );
  }

  /** ON_AVAILABLE_IMAGE to every matching subscription not linked to `publication` yet (after a cool-down). */
  linkIpcSubscriptions(publication: IpcPublication): void {
    this.#linkIpcSubscriptions(publication);
  }

  /** An IPC publication reached end of life: every subscription forgets it. */
  cleanupIpcPublication(publication: IpcPublication): void {
    for (const link of this.#subscriptionLinks) link.unlink(publication);
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  #trackStreamPositions(): number {
    let workCount = 0;
    const publications = this.#ipcPublications;
    for (let i = 0; i < publications.length; i++) workCount += publications[i]!.updatePublisherPositionAndLimit();
    const networkPublications = this.#networkPublications;
    for (let i = 0; i < networkPublications.length; i++) {
      workCount += networkPublications[i]!.updatePublisherPositionAndLimit();
    }
    const images = this.#publicationImages;
    const nowNs = this.#nowNs;
    for (let i = 0; i < images.length; i++) workCount += images[i]!.trackRebuild(nowNs);
    return workCount;
  }

  #findSharedIpcPublication(streamId: number, responseCorrelationId: number): IpcPublication | null {
    for (const publication of this.#ipcPublications) {
      if (
        publication.streamId === streamId &&
        !publication.isExclusive &&
        publication.state === 'ACTIVE' &&
        publication.responseCorrelationId === responseCorrelationId
      ) {
        return publication;
      }
    }
    return null;
  }

  #checkForSessionClash(sessionId: number, streamId: number, channel: string): void {
    if (this.#activeSessions.has(sessionKey(sessionId, streamId))) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `existing publication has clashing sessionId=${sessionId} for streamId=${streamId} channel=${channel}`,
      );
    }
  }

  #addIpcPublication(
    registrationId: number,
    clientId: number,
    streamId: number,
    channel: string,
    isExclusive: boolean,
    params: ReturnType<typeof getPublicationParams>,
  ): IpcPublication {
    const driverContext = this.#ctx.driverContext;
    const rawLog = RawLog.newPublication(
      driverContext.aeronDir,
      registrationId,
      params.termLength,
      driverContext.filePageSize,
      params.isSparse,
      this.#ctx.systemCounters.get('BYTES_CURRENTLY_MAPPED'),
    );
    this.#osSocketBuffers ??= readOsSocketBufferLengths();
    const manager = this.#countersManager;
    const stream = { clientId, registrationId, sessionId: params.sessionId, streamId, channel };
    let publisherPos: ReturnType<typeof allocatePublisherPosition> | undefined;
    let publisherLimit: ReturnType<typeof allocatePublisherLimit> | undefined;
    try {
      initIpcPublicationMetadata(
        rawLog.metaData,
        params,
        registrationId,
        params.termLength,
        driverContext.filePageSize,
        isExclusive,
        this.#osSocketBuffers,
      );
      publisherPos = allocatePublisherPosition(manager, stream, isExclusive);
      publisherLimit = allocatePublisherLimit(manager, stream);
      if (params.hasPosition) {
        const position = initialPosition(params);
        publisherPos.setRelease(position);
        publisherLimit.setRelease(position);
      }
      const counters = this.#ctx.systemCounters;
      const publication = new IpcPublication(
        registrationId,
        channel,
        params,
        rawLog,
        publisherPos,
        publisherLimit,
        isExclusive,
        driverContext.publicationUnblockTimeoutNs,
        counters.get('UNBLOCKED_PUBLICATIONS'),
        counters.get('PUBLICATIONS_REVOKED'),
        this.#ctx.nanoClock(),
      );
      this.#findAndUpdateResponseIpcSubscription(params, publication);
      this.#ipcPublications.push(publication);
      this.#activeSessions.add(sessionKey(params.sessionId, streamId));
      return publication;
    } catch (e) {
      publisherPos?.close();
      publisherLimit?.close();
      rawLog.free();
      throw e;
    }
  }

  /**
   * Java `findAndUpdateResponseIpcSubscription`: a publication whose `response-correlation-id` names an IPC
   * publication (the request) gives its session id to the IPC subscription that request named as its response
   * subscription, which then matches it.
   */
  #findAndUpdateResponseIpcSubscription(params: PublicationParams, publication: IpcPublication): void {
    if (params.responseCorrelationId === NULL_VALUE) return;
    for (const request of this.#ipcPublications) {
      if (request.registrationId !== params.responseCorrelationId) continue;
      for (const link of this.#subscriptionLinks) {
        if (request.responseCorrelationId === link.registrationId && !link.isSpy) {
          link.setSessionId(publication.sessionId);
          break;
        }
      }
      break;
    }
  }

  /** Links every matching subscription to a new publication (Java `linkIpcSubscriptions`). */
  #linkIpcSubscriptions(publication: IpcPublication): void {
    for (const link of this.#subscriptionLinks) {
      if (link.matches(publication) && !link.isLinked(publication) && publication.isAcceptingSubscriptions()) {
        const positionId = this.#linkIpcSubscription(publication, link);
        this.#clientProxy.onAvailableImage(
          publication.registrationId,
          publication.streamId,
          publication.sessionId,
          link.registrationId,
          positionId,
          publication.rawLog.fileName,
          IPC_CHANNEL,
        );
      }
    }
  }

  /**
   * A sub-pos counter for `link` in `publication` at the publication's join position (reference id = the
   * publication's registration id); returns its id (Java `linkIpcSubscription`).
   */
  #linkIpcSubscription(publication: IpcPublication, link: IpcSubscriptionLink): number {
    const joinPosition = publication.joinPosition();
    const manager = this.#countersManager;
    const position = allocateSubscriberPosition(
      manager,
      {
        clientId: link.client.clientId,
        registrationId: link.registrationId,
        sessionId: publication.sessionId,
        streamId: link.streamId,
        channel: link.channel,
      },
      joinPosition,
    );
    manager.setCounterReferenceId(position.id, publication.registrationId);
    position.setRelease(joinPosition);
    link.link(publication, position);
    publication.addSubscriber(link, position, this.#ctx.nanoClock());
    return position.id;
  }

  /** The timer tick (every timerIntervalNs, at the cycle's reading): heartbeat, managed resources, blocked commands. */
  #processTimers(): number {
    const nowNs = this.#nowNs;
    this.#timerCheckDeadlineNs = nowNs + this.#ctx.timerIntervalNs;
    const nowMs = this.#nowMs;
    this.#toDriverCommands.setConsumerHeartbeatTime(nowMs);
    this.#checkManagedResources(this.#clients, nowNs, nowMs);
    this.#checkManagedResources(this.#publicationLinks, nowNs, nowMs);
    this.#checkManagedResources(this.#subscriptionLinks, nowNs, nowMs);
    this.#checkManagedResources(this.#ipcPublications, nowNs, nowMs);
    this.#checkManagedResources(this.#networkPublications, nowNs, nowMs);
    this.#checkManagedResources(this.#publicationImages, nowNs, nowMs);
    this.#checkManagedResources(this.#spySubscriptionLinks, nowNs, nowMs);
    const networkLinks = this.#networkSubscriptionLinks;
    for (let i = networkLinks.length - 1; i >= 0; i--) {
      const link = networkLinks[i]!;
      link.onTimeEvent(nowNs, nowMs, this);
      if (link.hasReachedEndOfLife()) {
        fastUnorderedRemove(networkLinks, i);
        try {
          link.close();
          this.#cleanupNetworkSubscriptionLink(link);
        } catch (e) {
          this.#ctx.errorHandler(e);
        }
      }
    }
    this.#checkManagedResources(this.#counterLinks, nowNs, nowMs);
    this.#checkForBlockedToDriverCommands(nowNs);
    return 1;
  }

  #checkManagedResources(resources: DriverManagedResource[], nowNs: number, nowMs: number): void {
    for (let i = resources.length - 1; i >= 0; i--) {
      const resource = resources[i]!;
      resource.onTimeEvent(nowNs, nowMs, this);
      if (resource.hasReachedEndOfLife()) {
        try {
          resource.close();
        } catch (e) {
          this.#ctx.errorHandler(e);
        }
        fastUnorderedRemove(resources, i);
        this.#free(resource);
      }
    }
  }

  #free(resource: DriverManagedResource): void {
    try {
      if (resource.free !== undefined && !resource.free()) this.#ctx.systemCounters.get('FREE_FAILS').increment();
    } catch (e) {
      this.#ctx.systemCounters.get('FREE_FAILS').increment();
      this.#ctx.errorHandler(e);
    }
  }

  #checkForBlockedToDriverCommands(nowNs: number): void {
    const ring = this.#toDriverCommands;
    const consumerPosition = ring.consumerPosition();
    if (consumerPosition === this.#lastCommandConsumerPosition && ring.producerPosition() > consumerPosition) {
      if (this.#timeOfLastToDriverPositionChangeNs + this.#ctx.clientLivenessTimeoutNs - nowNs < 0) {
        if (unblockToDriverCommands(ring)) this.#unblockedCommands.increment();
      }
    } else {
      this.#timeOfLastToDriverPositionChangeNs = nowNs;
      this.#lastCommandConsumerPosition = consumerPosition;
    }
  }

  /** Java `recordError`: the error handler (distinct error log, `errorHandler` option), then ERRORS + 1. */
  #recordError(error: unknown): void {
    this.#ctx.errorHandler(error);
    this.#errors.increment();
  }

  /**
   * Allocates a client's counter from the command's key and label (ADD_COUNTER, ADD_STATIC_COUNTER) with its
   * registration and owner ids; returns its id. A full counters buffer throws `IllegalStateError`.
   */
  #allocateCounter(
    typeId: number,
    keyBuffer: AtomicBuffer,
    keyOffset: number,
    keyLength: number,
    labelBuffer: AtomicBuffer,
    labelOffset: number,
    labelLength: number,
    registrationId: number,
    ownerId: number,
  ): number {
    const manager = this.#countersManager;
    const counterId = manager.allocateFromBuffers(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
    );
    manager.setCounterRegistrationId(counterId, registrationId);
    manager.setCounterOwnerId(counterId, ownerId);
    return counterId;
  }

  #findClient(clientId: number): AeronClient | null {
    for (const client of this.#clients) {
      if (client.clientId === clientId) return client;
    }
    return null;
  }

  #getOrAddClient(clientId: number): AeronClient {
    let client = this.#findClient(clientId);
    if (client === null) {
      const manager = this.#countersManager;
      const counterId = manager.allocate(`${CLIENT_HEARTBEAT_NAME}: id=${clientId}`, DRIVER_HEARTBEAT_TYPE_ID, (key) =>
        key.putInt64(0, clientId),
      );
      const heartbeat = new AtomicCounter(manager.valuesBuffer, counterId, manager);
      heartbeat.set(this.#nowMs);
      manager.setCounterRegistrationId(counterId, clientId);
      manager.setCounterOwnerId(counterId, clientId);
      client = new AeronClient(
        clientId,
        this.#ctx.clientLivenessTimeoutNs,
        this.#ctx.systemCounters.get('CLIENT_TIMEOUTS'),
        heartbeat,
      );
      this.#clients.push(client);
      this.#clientProxy.onCounterReady(clientId, counterId);
    }
    return client;
  }
}

/** How often the cached epoch clock is read again (Java `DriverConductor.CLOCK_UPDATE_INTERNAL_NS`: 1 ms). */
const CLOCK_UPDATE_INTERVAL_NS = 1_000_000;

/** In an idle streak, the nano clock is read every this many cycles (`doWork`). */
export const IDLE_CYCLES_PER_CLOCK_READ = 64;

/** `#idleCycles` after a cycle that found work on a stale clock reading. */
const RESUMING = -1;

/** Aeron's null value (Java `Aeron.NULL_VALUE`): the owner id of a static counter. */
const NULL_VALUE = -1;

/** Channel status indicator id of channels that have none, IPC (Java `ChannelEndpointStatus.NO_ID_ALLOCATED`). */
const NO_ID_ALLOCATED = -1;

/** Key of an active network session (Java `SessionKey` with the channel's canonical form). */
function networkSessionKey(sessionId: number, streamId: number, canonicalForm: string): string {
  return `${sessionId}:${streamId}:${canonicalForm}`;
}

/**
 * Java `validateEndpointForPublication`: a unicast publication's endpoint needs a port. GENERIC_ERROR as Java's
 * `IllegalArgumentException`.
 */
function validateEndpointForPublication(udpChannel: UdpChannel): void {
  if (!udpChannel.isMultiDestination && udpChannel.hasExplicitEndpoint && udpChannel.remoteData.port === 0) {
    throw new ControlProtocolError(
      ERROR_CODE_GENERIC_ERROR,
      `endpoint has port=0 for publication: channel=${udpChannel.originalUriString}`,
      { javaExceptionClass: 'java.lang.IllegalArgumentException' },
    );
  }
}

/** Java `validateControlForPublication`. GENERIC_ERROR as Java's `IllegalArgumentException`. */
function validateControlForPublication(udpChannel: UdpChannel): void {
  if (udpChannel.isDynamicControlMode && !udpChannel.hasExplicitControl) {
    throw new ControlProtocolError(
      ERROR_CODE_GENERIC_ERROR,
      `'control-mode=dynamic' requires that 'control' parameter is set, channel=${udpChannel.originalUriString}`,
      { javaExceptionClass: 'java.lang.IllegalArgumentException' },
    );
  }
  if (udpChannel.hasExplicitControl && !udpChannel.hasExplicitEndpoint && udpChannel.controlMode === 'NONE') {
    throw new ControlProtocolError(
      ERROR_CODE_GENERIC_ERROR,
      `'control' parameter requires that either 'endpoint' or 'control-mode' is specified, channel=${udpChannel.originalUriString}`,
      { javaExceptionClass: 'java.lang.IllegalArgumentException' },
    );
  }
}

/** Key of an active session (Java `SessionKey` for the IPC media). */
function sessionKey(sessionId: number, streamId: number): string {
  return `${sessionId}:${streamId}`;
}

/**
 * The WARN event Java's `DriverConductor.onPublicationError` records (an `AeronEvent`, category WARN): a
 * `ControlProtocolError` carrying the frame's error code, whose error-log text is `<name>: WARN - <message>`
 * without a stack (an `AeronEvent` has none), so repeats of one event share one distinct entry.
 */
function publicationErrorEvent(
  registrationId: number,
  destinationRegistrationId: number,
  sessionId: number,
  streamId: number,
  receiverId: number | bigint,
  groupId: number | bigint,
  errorCode: number,
  errorMessage: string,
): ControlProtocolError {
  const event = new ControlProtocolError(
    errorCode,
    `WARN - onPublicationError: registrationId=${registrationId}, ` +
      `destinationRegistrationId=${destinationRegistrationId}, sessionId=${sessionId}, streamId=${streamId}, ` +
      `receiverId=${receiverId}, groupId=${groupId}, errorCode=${errorCode}, errorMessage=${errorMessage}`,
  );
  event.stack = `${event.name}: ${event.message}`;
  return event;
}

/** Keys a destination may not have (Java `DriverConductor.INVALID_DESTINATION_KEYS`). */
const INVALID_DESTINATION_KEYS: readonly string[] = [
  'mtu',
  'rcv-wnd',
  'so-rcvbuf',
  'so-sndbuf',
  'response-correlation-id',
];

/** Java `ErrorFlyweight.MAX_ERROR_MESSAGE_LENGTH`: the longest REJECT_IMAGE reason. */
const MAX_ERROR_MESSAGE_LENGTH = 1023;

/** A refusal Java's conductor makes with an `IllegalArgumentException`: GENERIC_ERROR with Java's class name. */
function illegalArgument(message: string): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, message, {
    javaExceptionClass: 'java.lang.IllegalArgumentException',
  });
}

/** `aeron-spy` (Java `ChannelUri.SPY_QUALIFIER`). */
const SPY_PREFIX = 'aeron-spy';

/** The address of a send destination's `endpoint` (Java `UdpChannel.destinationAddress`); unresolvable: UNKNOWN_HOST. */
function destinationSocketAddress(uri: ChannelUri, channel: string): SocketAddress {
  const address = UdpChannel.destinationAddress(uri);
  if (address === null) {
    throw new ControlProtocolError(ERROR_CODE_UNKNOWN_HOST, `unresolved destination endpoint: channel=${channel}`);
  }
  return SocketAddress.of(address);
}

function unknownPublication(registrationId: number): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_UNKNOWN_PUBLICATION, `unknown publication: ${registrationId}`);
}
