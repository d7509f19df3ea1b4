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
 *
 * The class is the API every caller uses; each transport's resources live in a part it delegates to, all of them
 * sharing one `ConductorState` (driver-conductor-state.ts), whose lists the duty cycle walks from fields of its own:
 *
 * ```
 *  DriverConductor            client commands in, replies out; duty cycle; clients; REMOVE_PUBLICATION,
 *                             REMOVE_SUBSCRIPTION, REJECT_IMAGE, TERMINATE_DRIVER; the resources' timer callbacks
 *   ├─ CounterConductor          the counters clients add                        (counter-conductor.ts)
 *   ├─ IpcConductor              aeron:ipc publications and subscriptions        (ipc-conductor.ts)
 *   ├─ UdpPublicationConductor   aeron:udp publications, send endpoints, MDC     (udp-publication-conductor.ts)
 *   │                            destinations, spies, the sender's callbacks (re-resolution of endpoint names)
 *   └─ UdpSubscriptionConductor  aeron:udp subscriptions, receive endpoints,     (udp-subscription-conductor.ts)
 *                                MDS destinations, images, the receiver's callbacks (re-resolution of control names)
 * ```
 */

import { IPC_CHANNEL } from '../logbuffer/channel-uri.ts';
import { DRIVER_HEARTBEAT_TYPE_ID } from '../transport/aeron-counters.ts';
import type { AtomicBuffer } from '../transport/atomic-buffer.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import { AeronClient } from './aeron-client.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import { ClientCommandAdapter, type ClientCommandHandler } from './client-command-adapter.ts';
import type { ClientProxy } from './client-proxy.ts';
import {
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_UNKNOWN_PUBLICATION,
  ERROR_CODE_UNKNOWN_SUBSCRIPTION,
} from './command/control-protocol.ts';
import { CLIENT_HEARTBEAT_NAME } from './configuration.ts';
import { CounterConductor } from './counter-conductor.ts';
import type { CounterLink } from './counter-link.ts';
import type { DispatcherEndpoint } from './data-packet-dispatcher.ts';
import { ConductorState, type ConductorStateContext } from './driver-conductor-state.ts';
import { MAX_ERROR_MESSAGE_LENGTH, removeLinksOf, SPY_PREFIX } from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { DriverManagedResource, ResourceConductor } from './driver-managed-resource.ts';
import { DutyCycleTracker } from './duty-cycle-tracker.ts';
import { IpcConductor } from './ipc-conductor.ts';
import type { IpcPublication, IpcPublicationConductor, LinkedSubscription } from './ipc-publication.ts';
import type { ReResolveEndpointProxy } from './media/multi-snd-destination.ts';
import type { ReceiveChannelEndpoint } from './media/receive-channel-endpoint.ts';
import type { SendChannelEndpoint } from './media/send-channel-endpoint.ts';
import type { SocketAddress } from './media/socket-address.ts';
import type { UdpChannel } from './media/udp-channel.ts';
import type { NetworkPublication, NetworkPublicationConductor, SenderConductorProxy } from './network-publication.ts';
import type { NetworkPublicationLink } from './network-publication-link.ts';
import type { NetworkSubscriptionLink } from './network-subscription-link.ts';
import type { PublicationImage } from './publication-image.ts';
import type { PublicationLink } from './publication-link.ts';
import { parseChannelUri } from './publication-params.ts';
import type { Receiver } from './receiver.ts';
import type { ReceiverConductorProxy } from './receiver-conductor-proxy.ts';
import type { Sender } from './sender.ts';
import type { SpySubscriptionLink } from './spy-subscription-link.ts';
import type { IpcSubscriptionLink } from './subscription-link.ts';
import { unblockToDriverCommands } from './to-driver-commands-unblocker.ts';
import { UdpPublicationConductor } from './udp-publication-conductor.ts';
import { UdpSubscriptionConductor } from './udp-subscription-conductor.ts';

/** What the conductor works with: what its parts use too, the timers and the termination. */
export interface DriverConductorContext extends ConductorStateContext {
  /** How often the timers run (ns; Java `timerIntervalNs`). */
  readonly timerIntervalNs: number;
  /** How stale a client heartbeat may get, also how long a blocked to-driver command may stay (ns). */
  readonly clientLivenessTimeoutNs: number;
  /** A duty cycle longer than this (ns) counts in CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED. */
  readonly conductorCycleThresholdNs: number;
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
    ReResolveEndpointProxy<SendChannelEndpoint>,
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
  /** What the parts share: the lists below, the active sessions, the sender and receiver. */
  readonly #state: ConductorState;
  readonly #counters: CounterConductor;
  readonly #ipc: IpcConductor;
  readonly #udpPublications: UdpPublicationConductor;
  readonly #udpSubscriptions: UdpSubscriptionConductor;
  readonly #clients: AeronClient[] = [];
  // The state's lists, each the same array as there: the duty cycle reads them from fields of the conductor.
  readonly #counterLinks: CounterLink[];
  readonly #ipcPublications: IpcPublication[];
  readonly #publicationLinks: (PublicationLink | NetworkPublicationLink)[];
  readonly #networkPublications: NetworkPublication[];
  readonly #networkSubscriptionLinks: NetworkSubscriptionLink[];
  readonly #spySubscriptionLinks: SpySubscriptionLink[];
  readonly #publicationImages: PublicationImage[];
  readonly #subscriptionLinks: IpcSubscriptionLink[];
  /** REMOVE_SUBSCRIPTION's cleanup of a closed network subscription link (made once). */
  readonly #onNetworkLinkRemoved = (link: NetworkSubscriptionLink): void => this.#cleanupNetworkSubscriptionLink(link);
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
    const state = new ConductorState(ctx, { getOrAddClient: (clientId) => this.#getOrAddClient(clientId) });
    this.#state = state;
    this.#counterLinks = state.counterLinks;
    this.#ipcPublications = state.ipcPublications;
    this.#publicationLinks = state.publicationLinks;
    this.#networkPublications = state.networkPublications;
    this.#networkSubscriptionLinks = state.networkSubscriptionLinks;
    this.#spySubscriptionLinks = state.spySubscriptionLinks;
    this.#publicationImages = state.publicationImages;
    this.#subscriptionLinks = state.subscriptionLinks;
    this.#counters = new CounterConductor(state);
    this.#ipc = new IpcConductor(state);
    this.#udpPublications = new UdpPublicationConductor(state);
    this.#udpSubscriptions = new UdpSubscriptionConductor(state);
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
    this.#udpPublications.closeChannelEndpoints();
    this.#udpSubscriptions.closeChannelEndpoints();
  }

  /**
   * The sender the conductor hands network publications and send channel endpoints to (Java `SenderProxy`: direct
   * calls, one thread). Set once by `MediaDriverCore` before the first duty cycle.
   */
  setSender(sender: Sender): void {
    this.#state.sender = sender;
  }

  /**
   * The receiver the conductor hands subscriptions, receive channel endpoints and images to (Java `ReceiverProxy`:
   * direct calls, one thread). Set once by `MediaDriverCore` before the first duty cycle.
   */
  setReceiver(receiver: Receiver): void {
    this.#state.receiver = receiver;
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
    return this.#udpPublications.sendChannelEndpointCount;
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
   * ADD_COUNTER (Java `onAddCounter`): the counter (registration id = `correlationId`, owner = `clientId`) linked to
   * the client (made known first if new), ON_COUNTER_READY. A full counters buffer throws `IllegalStateError`.
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
    this.#counters.onAddCounter(
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
  }

  /**
   * ADD_STATIC_COUNTER (Java `onAddStaticCounter`): an ownerless counter of `typeId` and `registrationId`, reused or
   * allocated, ON_STATIC_COUNTER; one with an owner: ON_ERROR GENERIC_ERROR. A full buffer: `IllegalStateError`.
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
    this.#counters.onAddStaticCounter(
      typeId,
      keyBuffer,
      keyOffset,
      keyLength,
      labelBuffer,
      labelOffset,
      labelLength,
      registrationId,
      correlationId,
      clientId,
    );
  }

  /** REMOVE_COUNTER: ON_OPERATION_SUCCESS, then ON_UNAVAILABLE_COUNTER; an unknown one: UNKNOWN_COUNTER. */
  onRemoveCounter(registrationId: number, correlationId: number): void {
    this.#counters.onRemoveCounter(registrationId, correlationId);
  }

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:ipc` (Java `onAddIpcPublication`; module comment).
   * Throws `ControlProtocolError` (INVALID_CHANNEL, GENERIC_ERROR) or `MappedFileError` (the log file).
   */
  onAddIpcPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    this.#ipc.onAddIpcPublication(channel, streamId, correlationId, clientId, isExclusive);
  }

  /**
   * ADD_PUBLICATION / ADD_EXCLUSIVE_PUBLICATION on `aeron:udp` (Java `onAddNetworkPublication`; module comment).
   * Throws `ControlProtocolError` (INVALID_CHANNEL, GENERIC_ERROR), `SocketError` or `MappedFileError`.
   */
  onAddNetworkPublication(
    channel: string,
    streamId: number,
    correlationId: number,
    clientId: number,
    isExclusive: boolean,
  ): void {
    this.#udpPublications.onAddNetworkPublication(channel, streamId, correlationId, clientId, isExclusive);
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

  /** ADD_SUBSCRIPTION on `aeron:ipc` (Java `onAddIpcSubscription`): ON_SUBSCRIPTION_READY, then the images. */
  onAddIpcSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    this.#ipc.onAddIpcSubscription(channel, streamId, registrationId, clientId);
  }

  /** ADD_SUBSCRIPTION on `aeron-spy:` (Java `onAddSpySubscription`): ON_SUBSCRIPTION_READY, then the images. */
  onAddSpySubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    this.#udpPublications.onAddSpySubscription(channel, streamId, registrationId, clientId);
  }

  /**
   * ADD_SUBSCRIPTION on `aeron:udp` (Java `onAddNetworkSubscription`; module comment): ON_SUBSCRIPTION_READY, then
   * the images. Throws `ControlProtocolError` (INVALID_CHANNEL, GENERIC_ERROR) or `SocketError`.
   */
  onAddNetworkSubscription(channel: string, streamId: number, registrationId: number, clientId: number): void {
    this.#udpSubscriptions.onAddNetworkSubscription(channel, streamId, registrationId, clientId);
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
   * ADD_DESTINATION (Java `onAddSendDestination`): a destination of the manual MDC publication `registrationId`,
   * ON_OPERATION_SUCCESS (a name that does not resolve is kept unresolved, as Java). Throws `ControlProtocolError`
   * INVALID_CHANNEL or UNKNOWN_PUBLICATION.
   */
  onAddSendDestination(registrationId: number, channel: string, correlationId: number): void {
    this.#udpPublications.onAddSendDestination(registrationId, channel, correlationId);
  }

  /** REMOVE_DESTINATION (Java `onRemoveSendDestination`): the destination with the URI's address, if any. */
  onRemoveSendDestination(registrationId: number, channel: string, correlationId: number): void {
    this.#udpPublications.onRemoveSendDestination(registrationId, channel, correlationId);
  }

  /** REMOVE_DESTINATION_BY_ID (Java `onRemoveSendDestination(long, long, long)`). */
  onRemoveSendDestinationById(publicationRegistrationId: number, destinationId: number, correlationId: number): void {
    this.#udpPublications.onRemoveSendDestinationById(publicationRegistrationId, destinationId, correlationId);
  }

  /**
   * ADD_RCV_DESTINATION (Java `onAddRcvDestination`): only a multi-destination (MDS, UDP `control-mode=manual`)
   * subscription takes destinations (else UNKNOWN_SUBSCRIPTION): a UDP one opens a transport on its endpoint, an
   * `aeron:ipc` / `aeron-spy:` one is an IPC / spy link of the MDS subscription; ON_OPERATION_SUCCESS.
   */
  onAddRcvDestination(registrationId: number, channel: string, correlationId: number): void {
    parseChannelUri(channel);
    if (channel.startsWith(IPC_CHANNEL)) {
      this.#ipc.onAddRcvIpcDestination(registrationId, channel, correlationId);
    } else if (channel.startsWith(SPY_PREFIX)) {
      this.#udpPublications.onAddRcvSpyDestination(registrationId, channel, correlationId);
    } else {
      this.#udpSubscriptions.onAddRcvNetworkDestination(registrationId, channel, correlationId);
    }
  }

  /**
   * REMOVE_RCV_DESTINATION (Java `onRemoveRcvDestination`): an `aeron:ipc`/`aeron-spy` destination removes the link
   * of that registration id and channel (else UNKNOWN_SUBSCRIPTION); a UDP one closes its transport of an MDS
   * subscription (another one: INVALID_CHANNEL); ON_OPERATION_SUCCESS.
   */
  onRemoveRcvDestination(registrationId: number, channel: string, correlationId: number): void {
    if (channel.startsWith(IPC_CHANNEL) || channel.startsWith(SPY_PREFIX)) {
      this.#ipc.onRemoveRcvIpcOrSpyDestination(registrationId, channel, correlationId);
    } else {
      this.#udpSubscriptions.onRemoveRcvNetworkDestination(registrationId, channel, correlationId);
    }
  }

  /**
   * REJECT_IMAGE (Java `onRejectImage`): a reason longer than Java's limit is GENERIC_ERROR; a network image is
   * rejected by the receiver, an IPC publication's image by `IpcPublication.reject` (the position is not used);
   * an id that is neither is GENERIC_ERROR `Unable to resolve image`. IMAGES_REJECTED + 1, ON_OPERATION_SUCCESS.
   */
  onRejectImage(correlationId: number, imageCorrelationId: number, position: number, reason: string): void {
    if (reason.length > MAX_ERROR_MESSAGE_LENGTH) {
      throw new ControlProtocolError(
        ERROR_CODE_GENERIC_ERROR,
        `Invalidation reason must be ${MAX_ERROR_MESSAGE_LENGTH} bytes or less`,
      );
    }
    if (!this.#udpSubscriptions.rejectImage(imageCorrelationId, position, reason)) {
      this.#ipc.rejectImage(imageCorrelationId, reason, this);
    }
    this.#imagesRejected.increment();
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * REMOVE_SUBSCRIPTION (Java `onRemoveSubscription`): every IPC, network and spy link of `registrationId` removed
   * and closed (a network one: the receiver loses interest, the endpoint closes when unused), ON_OPERATION_SUCCESS.
   * Unknown id: `ControlProtocolError` UNKNOWN_SUBSCRIPTION.
   */
  onRemoveSubscription(registrationId: number, correlationId: number): void {
    const ipc = removeLinksOf(this.#subscriptionLinks, registrationId);
    const network = removeLinksOf(this.#networkSubscriptionLinks, registrationId, this.#onNetworkLinkRemoved);
    const spy = removeLinksOf(this.#spySubscriptionLinks, registrationId);
    if (!ipc && !network && !spy) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown subscription: ${registrationId}`);
    }
    this.#clientProxy.operationSucceeded(correlationId);
  }

  /**
   * The next session id outside the reserved range and not used by an active publication of `streamId`
   * (Java `nextAvailableSessionId`).
   */
  nextAvailableSessionId(streamId: number): number {
    return this.#state.nextAvailableSessionId(streamId);
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
    return this.#state.findIpcPublicationByTag(tag);
  }

  /** Marks the client closed by command: it is reaped at the next timer tick without counting as a timeout. */
  onClientClose(clientId: number): void {
    this.#findClient(clientId)?.onClosedByCommand();
  }

  // ---- sender's and receiver's conductor proxy ----------------------------------------------------------------

  /**
   * An error frame from a receiver of a network publication (Java `onPublicationError`): a WARN entry in the
   * distinct error log (ERRORS + 1), then ON_PUBLICATION_ERROR with the receiver's address, id and group tag.
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
    this.#udpPublications.onPublicationError(
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

  /** A publication's first receiver connected (Java `responseConnected`): its image stops sending RSP_SETUP. */
  responseConnected(responseCorrelationId: number): void {
    this.#udpSubscriptions.responseConnected(responseCorrelationId);
  }

  /**
   * A RSP_SETUP reached a request publication (Java `responseSetup`): its response subscription takes the session
   * and joins the receiver (or, with a session already, elicits the SETUP again).
   */
  responseSetup(responseCorrelationId: number, responseSessionId: number): void {
    this.#udpSubscriptions.responseSetup(responseCorrelationId, responseSessionId);
  }

  /**
   * A SETUP for a session the endpoint's subscriptions want (Java `onCreatePublicationImage`; module comment): the
   * image, its counters and sub-pos counters, handed to the receiver, ON_AVAILABLE_IMAGE to each subscription.
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
    this.#udpSubscriptions.createPublicationImage(
      sessionId,
      streamId,
      initialTermId,
      activeTermId,
      termOffset,
      termLength,
      mtuLength,
      transportIndex,
      flags,
      controlAddress,
      srcAddress,
      channelEndpoint,
    );
  }

  /** The receiver stopped polling `endpoint`: it is closed and forgotten (Java `receiveChannelEndpointClosed`). */
  receiveChannelEndpointClosed(channelEndpoint: ReceiveChannelEndpoint): void {
    this.#udpSubscriptions.receiveChannelEndpointClosed(channelEndpoint);
  }

  /**
   * The sender found an endpoint name due for re-resolution (Java `reResolveEndpoint` -> `onReResolveEndpoint`):
   * resolved at once; unresolved: WARN entry; another address: the sender moves there.
   */
  reResolveEndpoint(endpoint: string, channelEndpoint: SendChannelEndpoint, address: SocketAddress | null): void {
    this.#udpPublications.onReResolveEndpoint(endpoint, channelEndpoint, address);
  }

  /**
   * The receiver found a `control=` due for re-resolution (Java `reResolveControl` -> `onReResolveControl`):
   * resolved at once; unresolved: WARN entry; another address: the receiver elicits SETUPs there.
   */
  reResolveControl(
    control: string,
    udpChannel: UdpChannel,
    channelEndpoint: ReceiveChannelEndpoint,
    address: SocketAddress,
  ): void {
    this.#udpSubscriptions.onReResolveControl(control, udpChannel, channelEndpoint, address);
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
    this.#ipc.transitionToLinger(publication);
  }

  /** ON_PUBLICATION_ERROR IMAGE_REJECTED for `publication`, after a WARN entry in the error log (ERRORS + 1). */
  imageRejected(publication: IpcPublication, reason: string): void {
    this.#ipc.imageRejected(publication, reason);
  }

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, each subscription linked to `publication`. */
  unlinkIpcSubscriptions(publication: IpcPublication): void {
    this.#ipc.unlinkIpcSubscriptions(publication);
  }

  /** ON_UNAVAILABLE_IMAGE of `publication` to `link` (Java `notifyUnavailableImageLink`). */
  notifyUnavailableImageLink(publication: IpcPublication, link: LinkedSubscription): void {
    this.#ipc.notifyUnavailableImageLink(publication, link);
  }

  /** Counter `positionId` := `joinPosition`, then ON_AVAILABLE_IMAGE of `publication` to `link` (a rejoin). */
  notifyAvailableImageLink(
    publication: IpcPublication,
    link: LinkedSubscription,
    positionId: number,
    joinPosition: number,
  ): void {
    this.#ipc.notifyAvailableImageLink(publication, link, positionId, joinPosition);
  }

  /** ON_AVAILABLE_IMAGE to every matching subscription not linked to `publication` yet (after a cool-down). */
  linkIpcSubscriptions(publication: IpcPublication): void {
    this.#ipc.linkIpcSubscriptions(publication);
  }

  /** An IPC publication reached end of life: every subscription forgets it. */
  cleanupIpcPublication(publication: IpcPublication): void {
    this.#ipc.cleanupIpcPublication(publication);
  }

  /** ON_UNAVAILABLE_IMAGE to, and unlinking of, every spy of `publication` (Java `cleanupSpies`). */
  cleanupSpies(publication: NetworkPublication): void {
    this.#udpPublications.cleanupSpies(publication);
  }

  /** A network publication is done: the sender drops it, its endpoint closes when unused, its session is free. */
  cleanupPublication(publication: NetworkPublication): void {
    this.#udpPublications.cleanupPublication(publication);
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

  /** A network subscription is gone: the receiver loses interest, the endpoint closes when unused. */
  #cleanupNetworkSubscriptionLink(link: NetworkSubscriptionLink): void {
    this.#udpSubscriptions.cleanupNetworkSubscriptionLink(link);
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
