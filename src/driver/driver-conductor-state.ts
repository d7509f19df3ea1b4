/**
 * What the parts of the driver conductor share (Aeron 1.51.0 keeps all of it in `DriverConductor` fields): the
 * collaborators, the resource lists the duty cycle walks, the active session set, the sender and receiver, and the
 * things built once on first use.
 *
 * ```
 *  DriverConductor               the API: client commands, sender/receiver/resource callbacks, duty cycle,
 *   │                            clients; delegates each concern to its part, walks the lists below every cycle
 *   ├─ CounterConductor          the counters clients add
 *   ├─ IpcConductor              aeron:ipc publications and subscriptions
 *   ├─ UdpPublicationConductor   aeron:udp publications, send channel endpoints, MDC destinations, spies
 *   └─ UdpSubscriptionConductor  aeron:udp subscriptions, receive channel endpoints, MDS destinations, images
 *          │ each holds what only it uses (endpoint maps, thread locals) and shares through ConductorState:
 *          ▼
 *  ConductorState   ipcPublications  networkPublications  publicationImages  publicationLinks
 *                   subscriptionLinks (IPC)  networkSubscriptionLinks  spySubscriptionLinks  counterLinks
 *                   activeSessions (IPC "<session>:<stream>", UDP "<session>:<stream>:<canonical form>")
 *                   sender / receiver (set once by MediaDriverCore), OS socket buffers, feedback delay generators
 *                   nameResolver: the options' resolver timed into NAME_RESOLVER_MAX_TIME / _THRESHOLD_EXCEEDED
 * ```
 *
 * The lists are the very arrays the conductor's duty cycle reads from its own fields: one array per list, created
 * here, never replaced.
 */
import type { AtomicCounter } from '../transport/atomic-counter.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import type { ManyToOneRingBuffer } from '../transport/ring-buffer.ts';
import type { AeronClient } from './aeron-client.ts';
import type { ChannelEndpointSupplierContext } from './channel-endpoint-supplier.ts';
import type { ClientProxy } from './client-proxy.ts';
import { ERROR_CODE_GENERIC_ERROR, ERROR_CODE_UNKNOWN_SUBSCRIPTION } from './command/control-protocol.ts';
import { NAME_RESOLVER_THRESHOLD_DEFAULT_NS } from './configuration.ts';
import type { CounterLink } from './counter-link.ts';
import { sessionKey } from './driver-conductor-util.ts';
import { ControlProtocolError } from './driver-error.ts';
import { DutyCycleTracker } from './duty-cycle-tracker.ts';
import { type FeedbackDelayGenerators, newFeedbackDelayGenerators } from './feedback-delay-generator.ts';
import type { IpcPublication } from './ipc-publication.ts';
import { type NameResolver, TimeTrackingNameResolver } from './media/name-resolver.ts';
import type { MediaDriverContext } from './media-driver-context.ts';
import type { NetworkPublication } from './network-publication.ts';
import type { NetworkPublicationLink } from './network-publication-link.ts';
import type { NetworkSubscriptionLink } from './network-subscription-link.ts';
import { type OsSocketBufferLengths, readOsSocketBufferLengths } from './os-socket-buffers.ts';
import type { PublicationImage } from './publication-image.ts';
import type { PublicationLink } from './publication-link.ts';
import { generateRandomisedId, type PublicationParamsConductor } from './publication-params.ts';
import type { Receiver } from './receiver.ts';
import type { Sender } from './sender.ts';
import type { SpySubscriptionLink } from './spy-subscription-link.ts';
import type { IpcSubscriptionLink } from './subscription-link.ts';
import type { SystemCounters } from './system-counters.ts';

/** The conductor's collaborators that its parts use too (`DriverConductorContext` adds the timers and termination). */
export interface ConductorStateContext {
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
  /**
   * The driver's resolved options (Aeron directory, term lengths, MTUs, windows, linger, session id range,
   * unblock timeout, page size): what publications and subscriptions are made with.
   */
  readonly driverContext: MediaDriverContext;
}

/** The clients the conductor knows; a command that adds a resource makes its client known first. */
export interface ConductorClients {
  /** The client `clientId`, made known (heartbeat counter, ON_COUNTER_READY) when new. */
  getOrAddClient(clientId: number): AeronClient;
}

/** What the conductor's parts share; see the module comment. */
export class ConductorState implements PublicationParamsConductor {
  /** The collaborators. */
  readonly ctx: ConductorStateContext;
  /** Broadcasts the responses (the same as `ctx.clientProxy`). */
  readonly clientProxy: ClientProxy;
  /** The counters of `cnc.dat` (the same as `ctx.countersManager`). */
  readonly countersManager: CountersManager;
  /** The clients. */
  readonly clients: ConductorClients;
  /** IPC publications (shared ones once). */
  readonly ipcPublications: IpcPublication[] = [];
  /** Network publications (shared ones once). */
  readonly networkPublications: NetworkPublication[] = [];
  /** Publication images of network subscriptions. */
  readonly publicationImages: PublicationImage[] = [];
  /** One link per ADD_(EXCLUSIVE_)PUBLICATION, IPC or network. */
  readonly publicationLinks: (PublicationLink | NetworkPublicationLink)[] = [];
  /** IPC subscriptions (and IPC destinations of MDS subscriptions). */
  readonly subscriptionLinks: IpcSubscriptionLink[] = [];
  /** Network (UDP) subscriptions. */
  readonly networkSubscriptionLinks: NetworkSubscriptionLink[] = [];
  /** Spy subscriptions (and spy destinations of MDS subscriptions). */
  readonly spySubscriptionLinks: SpySubscriptionLink[] = [];
  /** Counters added by clients (ADD_COUNTER). */
  readonly counterLinks: CounterLink[] = [];
  /** Keys of the sessions of publications not yet lingering (Java `activeSessionSet`; see the module comment). */
  readonly activeSessions = new Set<string>();
  /** The sender, set once before the first duty cycle (Java `SenderProxy`: direct calls, one thread). */
  sender: Sender | null = null;
  /** The receiver, set once before the first duty cycle (Java `ReceiverProxy`: direct calls, one thread). */
  receiver: Receiver | null = null;
  /**
   * Resolves the host names of channels, destinations and re-resolutions: the options' `nameResolver`, each call
   * timed into NAME_RESOLVER_MAX_TIME and NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED (Java `TimeTrackingNameResolver`).
   */
  readonly nameResolver: NameResolver;
  readonly #errors: AtomicCounter;
  #nextSessionId = generateRandomisedId();
  #osSocketBuffers: OsSocketBufferLengths | null = null;
  #feedbackDelays: FeedbackDelayGenerators | null = null;

  /**
   * @param ctx the collaborators.
   * @param clients the conductor's clients.
   */
  constructor(ctx: ConductorStateContext, clients: ConductorClients) {
    this.ctx = ctx;
    this.clientProxy = ctx.clientProxy;
    this.countersManager = ctx.countersManager;
    this.clients = clients;
    this.#errors = ctx.systemCounters.get('ERRORS');
    this.nameResolver = new TimeTrackingNameResolver(
      ctx.driverContext.nameResolver,
      ctx.nanoClock,
      new DutyCycleTracker(
        ctx.systemCounters.get('NAME_RESOLVER_MAX_TIME'),
        ctx.systemCounters.get('NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED'),
        NAME_RESOLVER_THRESHOLD_DEFAULT_NS,
      ),
    );
  }

  /** The sender; GENERIC_ERROR `no sender: UDP is not available` before one is set. */
  senderProxy(): Sender {
    const sender = this.sender;
    if (sender === null) throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, 'no sender: UDP is not available');
    return sender;
  }

  /** The receiver; GENERIC_ERROR `no receiver: UDP is not available` before one is set. */
  receiverProxy(): Receiver {
    const receiver = this.receiver;
    if (receiver === null)
      throw new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, 'no receiver: UDP is not available');
    return receiver;
  }

  /** The OS socket buffer lengths log metadata records, read once on first use. */
  osSocketBuffers(): OsSocketBufferLengths {
    this.#osSocketBuffers ??= readOsSocketBufferLengths();
    return this.#osSocketBuffers;
  }

  /** The driver's NAK and retransmit delay generators, built once from its options (Java `Context.conclude`). */
  feedbackDelayGenerators(): FeedbackDelayGenerators {
    this.#feedbackDelays ??= newFeedbackDelayGenerators(this.ctx.driverContext);
    return this.#feedbackDelays;
  }

  /** What opening a send or receive channel endpoint needs (a new object per endpoint opened). */
  endpointSupplierContext(): ChannelEndpointSupplierContext {
    const ctx = this.ctx;
    return {
      countersManager: this.countersManager,
      systemCounters: ctx.systemCounters,
      errorHandler: ctx.errorHandler,
      driverContext: ctx.driverContext,
      nanoClock: ctx.nanoClock,
    };
  }

  /** Java `recordError`: the error handler (distinct error log, `errorHandler` option), then ERRORS + 1. */
  recordError(error: unknown): void {
    this.ctx.errorHandler(error);
    this.#errors.increment();
  }

  /**
   * The next session id outside the reserved range and not used by an active publication of `streamId`
   * (Java `nextAvailableSessionId`).
   */
  nextAvailableSessionId(streamId: number): number {
    const { publicationReservedSessionIdLow: low, publicationReservedSessionIdHigh: high } = this.ctx.driverContext;
    for (;;) {
      let sessionId = this.#nextSessionId;
      this.#nextSessionId = (sessionId + 1) | 0;
      if (low <= sessionId && sessionId <= high) {
        sessionId = (high + 1) | 0;
        this.#nextSessionId = (sessionId + 1) | 0;
      }
      if (!this.activeSessions.has(sessionKey(sessionId, streamId))) return sessionId;
    }
  }

  /** The IPC publication with entity tag `tag`, or null (Java `findIpcPublicationByTag`). */
  findIpcPublicationByTag(tag: number): IpcPublication | null {
    if (tag === -1) return null;
    for (const publication of this.ipcPublications) {
      if (publication.tag === tag) return publication;
    }
    return null;
  }

  /**
   * The multi-destination (MDS, `control-mode=manual`) network subscription `registrationId`, which takes receive
   * destinations; UNKNOWN_SUBSCRIPTION `unknown MDS subscription` when there is none.
   */
  findMdsSubscription(registrationId: number): NetworkSubscriptionLink {
    const link = this.networkSubscriptionLinks.find(
      (l) => l.registrationId === registrationId && l.channelEndpoint.hasDestinationControl(),
    );
    if (link === undefined) {
      throw new ControlProtocolError(ERROR_CODE_UNKNOWN_SUBSCRIPTION, `unknown MDS subscription: ${registrationId}`);
    }
    return link;
  }
}
