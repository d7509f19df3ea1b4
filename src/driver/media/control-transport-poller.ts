/**
 * Reads the control frames that come back to the send channel endpoints (Aeron 1.51.0 `ControlTransportPoller`):
 * one datagram per endpoint per poll into one reused receive buffer, validated (at least the 8-byte header,
 * version 0; else INVALID_PACKETS + 1) and dispatched by frame type to its endpoint.
 *
 * ```
 *  pollTransports(nowNs):  each endpoint: receive -> (test-only control loss) -> NAK | SM | ERR | RTTM | RSP_SETUP
 *                          -> endpoint.onXxx
 *                          other types (DATA, SETUP, ...) are ignored; returns the bytes received
 *  checkForReResolutions(nowNs):  each endpoint's checkForReResolution (the sender calls it every re-resolution
 *                          check interval; due names go to the conductor, which resolves them at once)
 * ```
 *
 * The flyweights and the source address are reused for every datagram: nothing is allocated per frame. An error
 * while handling one endpoint's datagram goes to the error handler and the poll goes on.
 */
import {
  CURRENT_VERSION,
  HDR_TYPE_ERR,
  HDR_TYPE_NAK,
  HDR_TYPE_RSP_SETUP,
  HDR_TYPE_RTTM,
  HDR_TYPE_SM,
  MIN_HEADER_LENGTH,
  TYPE_FIELD_OFFSET,
  VERSION_FIELD_OFFSET,
} from '../../logbuffer/data-header-flyweight.ts';
import type { AtomicBuffer } from '../../transport/atomic-buffer.ts';
import type { AtomicCounter } from '../../transport/atomic-counter.ts';
import { MAX_UDP_PAYLOAD_LENGTH } from '../configuration.ts';
import type { SenderConductorProxy } from '../network-publication.ts';
import { ErrorFlyweight } from '../protocol/error-flyweight.ts';
import { NakFlyweight } from '../protocol/nak-flyweight.ts';
import { ResponseSetupFlyweight } from '../protocol/response-setup-flyweight.ts';
import { RttMeasurementFlyweight } from '../protocol/rtt-measurement-flyweight.ts';
import { StatusMessageFlyweight } from '../protocol/status-message-flyweight.ts';
import { incrementOrdered } from '../single-writer-counter.ts';
import type { ReResolveEndpointProxy } from './multi-snd-destination.ts';
import { allocateDirectBuffer } from './native-buffer.ts';
import type { SendChannelEndpoint } from './send-channel-endpoint.ts';
import { SocketAddress } from './socket-address.ts';

/** What the sender's poller tells the conductor: the publications' callbacks and the names due for re-resolution. */
export type SenderPollerConductorProxy = SenderConductorProxy & ReResolveEndpointProxy<SendChannelEndpoint>;

/** The sender's reader of control frames; see the module comment. */
export class ControlTransportPoller {
  readonly #buffer: AtomicBuffer = allocateDirectBuffer(MAX_UDP_PAYLOAD_LENGTH);
  readonly #srcAddress = new SocketAddress();
  readonly #nak = new NakFlyweight();
  readonly #statusMessage = new StatusMessageFlyweight();
  readonly #rttMeasurement = new RttMeasurementFlyweight();
  readonly #responseSetup = new ResponseSetupFlyweight();
  readonly #error = new ErrorFlyweight();
  readonly #endpoints: SendChannelEndpoint[] = [];
  readonly #conductorProxy: SenderPollerConductorProxy;
  readonly #invalidPackets: AtomicCounter;
  readonly #errorHandler: (error: unknown) => void;

  /**
   * @param conductorProxy what the publications tell the conductor, and where names due for re-resolution go.
   * @param invalidPackets the INVALID_PACKETS system counter.
   * @param errorHandler where errors go.
   */
  constructor(
    conductorProxy: SenderPollerConductorProxy,
    invalidPackets: AtomicCounter,
    errorHandler: (error: unknown) => void,
  ) {
    this.#conductorProxy = conductorProxy;
    this.#invalidPackets = invalidPackets;
    this.#errorHandler = errorHandler;
    const buffer = this.#buffer;
    this.#nak.wrap(buffer, 0);
    this.#statusMessage.wrap(buffer, 0);
    this.#rttMeasurement.wrap(buffer, 0);
    this.#responseSetup.wrap(buffer, 0);
    this.#error.wrap(buffer, 0);
  }

  /** Number of endpoints polled. */
  get endpointCount(): number {
    return this.#endpoints.length;
  }

  /** Starts polling `endpoint` (Java `registerForRead`). */
  registerForRead(endpoint: SendChannelEndpoint): void {
    this.#endpoints.push(endpoint);
  }

  /** Stops polling `endpoint` (Java `cancelRead`). */
  cancelRead(endpoint: SendChannelEndpoint): void {
    const index = this.#endpoints.indexOf(endpoint);
    if (index >= 0) this.#endpoints.splice(index, 1);
  }

  /** One datagram from each endpoint, dispatched; returns the bytes received. */
  pollTransports(nowNs: number): number {
    let bytesReceived = 0;
    const endpoints = this.#endpoints;
    for (let i = 0; i < endpoints.length; i++) {
      try {
        bytesReceived += this.#poll(endpoints[i]!, nowNs);
      } catch (e) {
        this.#errorHandler(e);
      }
    }
    return bytesReceived;
  }

  /**
   * Each endpoint's re-resolution check (Java `checkForReResolutions`); an error of one endpoint goes to the error
   * handler and the others are still checked.
   */
  checkForReResolutions(nowNs: number): void {
    const endpoints = this.#endpoints;
    for (let i = 0; i < endpoints.length; i++) {
      try {
        endpoints[i]!.checkForReResolution(nowNs, this.#conductorProxy);
      } catch (e) {
        this.#errorHandler(e);
      }
    }
  }

  #poll(endpoint: SendChannelEndpoint, nowNs: number): number {
    const socket = endpoint.socket;
    if (socket === null) return 0;
    const buffer = this.#buffer;
    const srcAddress = this.#srcAddress;
    const length = socket.receive(buffer, 0, buffer.capacity, srcAddress);
    if (length <= 0) return 0;
    if (length < MIN_HEADER_LENGTH || (buffer.getInt8(VERSION_FIELD_OFFSET) & 0xff) !== CURRENT_VERSION) {
      incrementOrdered(this.#invalidPackets);
      return length;
    }
    if (endpoint.shouldDropControlFrame(srcAddress, buffer, 0, length)) return length;
    const frameType = buffer.getInt16(TYPE_FIELD_OFFSET) & 0xffff;
    switch (frameType) {
      case HDR_TYPE_NAK:
        endpoint.onNakMessage(this.#nak);
        break;
      case HDR_TYPE_SM:
        endpoint.onStatusMessage(this.#statusMessage, srcAddress, this.#conductorProxy, nowNs);
        break;
      case HDR_TYPE_ERR:
        endpoint.onError(this.#error, srcAddress, this.#conductorProxy, nowNs);
        break;
      case HDR_TYPE_RTTM:
        endpoint.onRttMeasurement(this.#rttMeasurement, srcAddress);
        break;
      case HDR_TYPE_RSP_SETUP:
        endpoint.onResponseSetup(this.#responseSetup, this.#conductorProxy);
        break;
      default:
        break;
    }
    return length;
  }
}
