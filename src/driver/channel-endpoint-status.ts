/**
 * The status counters of a UDP channel endpoint (Aeron 1.51.0 `ChannelEndpointStatus`, `SendChannelStatus`,
 * `ReceiveChannelStatus`, `LocalSocketAddressStatus`, `SendLocalSocketAddress`, `ReceiveLocalSocketAddress`):
 * what `Publication.channelStatus()` / `Subscription.channelStatus()` and `localSocketAddresses()` read.
 *
 * ```
 *  channel status (snd-channel type 6, rcv-channel type 7), registration id = the adding command's:
 *    key:    +0 int32 channel length  +4 channel (ASCII, at most 108 bytes)
 *    label:  "<name>: <channel> " then, once the socket is bound, the bound "address:port"
 *    value:  INITIALIZING 0 -> ACTIVE 1 | ERRORED -1; CLOSING 2
 *  MDC destinations (mdc-num-dest, type 18; Java MdcDestinations), an MDC send channel's, key and label as a
 *    channel status; value: the number of destinations
 *  local socket address (snd-local-sockaddr / rcv-local-sockaddr, type 14):
 *    key:    +0 int32 channel status counter id  +4 int32 address length  +8 address (ASCII, "host:port")
 *    label:  "<name>: <channel status id> " + the address
 *    value:  ACTIVE 1 once the address is written
 * ```
 */
import {
  DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
  DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID,
  DRIVER_SEND_CHANNEL_STATUS_TYPE_ID,
  MDC_DESTINATIONS_COUNTER_TYPE_ID,
} from '../transport/aeron-counters.ts';
import { AtomicCounter } from '../transport/atomic-counter.ts';
import { MAX_KEY_LENGTH, MAX_LABEL_LENGTH } from '../transport/counters-descriptor.ts';
import type { CountersManager } from '../transport/counters-manager.ts';
import { ERROR_CODE_GENERIC_ERROR } from './command/control-protocol.ts';
import { ControlProtocolError } from './driver-error.ts';

/** `ChannelEndpointStatus.INITIALIZING`. */
export const CHANNEL_STATUS_INITIALIZING = 0;
/** `ChannelEndpointStatus.ERRORED`. */
export const CHANNEL_STATUS_ERRORED = -1;
/** `ChannelEndpointStatus.ACTIVE`. */
export const CHANNEL_STATUS_ACTIVE = 1;
/** `ChannelEndpointStatus.CLOSING`. */
export const CHANNEL_STATUS_CLOSING = 2;
/** `SendChannelStatus.NAME`. */
export const SEND_CHANNEL_STATUS_NAME = 'snd-channel';
/** `ReceiveChannelStatus.NAME`. */
export const RECEIVE_CHANNEL_STATUS_NAME = 'rcv-channel';
/** `SendLocalSocketAddress.NAME`. */
export const SEND_LOCAL_SOCKET_ADDRESS_NAME = 'snd-local-sockaddr';
/** `MdcDestinations.NAME`. */
export const MDC_DESTINATIONS_NAME = 'mdc-num-dest';
/** `ReceiveLocalSocketAddress.NAME`. */
export const RECEIVE_LOCAL_SOCKET_ADDRESS_NAME = 'rcv-local-sockaddr';

const CHANNEL_OFFSET = 0;
const MAX_CHANNEL_LENGTH = MAX_KEY_LENGTH - (CHANNEL_OFFSET + 4);
const CHANNEL_STATUS_ID_OFFSET = 0;
const LOCAL_SOCKET_ADDRESS_LENGTH_OFFSET = 4;
const LOCAL_SOCKET_ADDRESS_STRING_OFFSET = 8;
/** Longest address Java writes (`[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65536`). */
const MAX_IPV6_LENGTH = 53;

/** The name of a channel status value (`ChannelEndpointStatus.status`). */
export function channelStatusName(status: number): string {
  switch (status) {
    case CHANNEL_STATUS_INITIALIZING:
      return 'INITIALIZING';
    case CHANNEL_STATUS_ERRORED:
      return 'ERRORED';
    case CHANNEL_STATUS_ACTIVE:
      return 'ACTIVE';
    case CHANNEL_STATUS_CLOSING:
      return 'CLOSING';
    default:
      return `unknown id=${status}`;
  }
}

function allocateChannelStatus(
  manager: CountersManager,
  name: string,
  typeId: number,
  registrationId: number,
  channel: string,
): AtomicCounter {
  const keyChannel = channel.slice(0, MAX_CHANNEL_LENGTH);
  let label = `${name}: `;
  label += channel.slice(0, MAX_LABEL_LENGTH - label.length);
  if (label.length < MAX_LABEL_LENGTH) label += ' ';
  const counterId = manager.allocate(label, typeId, (key) => {
    key.putStringAscii(CHANNEL_OFFSET, keyChannel);
  });
  manager.setCounterRegistrationId(counterId, registrationId);
  return new AtomicCounter(manager.valuesBuffer, counterId, manager);
}

/** A send channel's status counter (`SendChannelStatus.allocate`), INITIALIZING. */
export function allocateSendChannelStatus(
  manager: CountersManager,
  registrationId: number,
  channel: string,
): AtomicCounter {
  return allocateChannelStatus(
    manager,
    SEND_CHANNEL_STATUS_NAME,
    DRIVER_SEND_CHANNEL_STATUS_TYPE_ID,
    registrationId,
    channel,
  );
}

/** A receive channel's status counter (`ReceiveChannelStatus.allocate`), INITIALIZING. */
export function allocateReceiveChannelStatus(
  manager: CountersManager,
  registrationId: number,
  channel: string,
): AtomicCounter {
  return allocateChannelStatus(
    manager,
    RECEIVE_CHANNEL_STATUS_NAME,
    DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID,
    registrationId,
    channel,
  );
}

/**
 * The destination count of an MDC send channel (`MdcDestinations.allocate`: a channel status counter's key and
 * label with its own name and type), 0 until its destinations set it.
 */
export function allocateMdcDestinations(
  manager: CountersManager,
  registrationId: number,
  channel: string,
): AtomicCounter {
  return allocateChannelStatus(
    manager,
    MDC_DESTINATIONS_NAME,
    MDC_DESTINATIONS_COUNTER_TYPE_ID,
    registrationId,
    channel,
  );
}

/**
 * A local socket address counter of the channel whose status counter is `channelStatusId`
 * (`LocalSocketAddressStatus.allocate`; `name` is `SEND_LOCAL_SOCKET_ADDRESS_NAME` or
 * `RECEIVE_LOCAL_SOCKET_ADDRESS_NAME`). The address follows with {@link updateBindAddress}.
 */
export function allocateLocalSocketAddress(
  manager: CountersManager,
  registrationId: number,
  channelStatusId: number,
  name: string,
): AtomicCounter {
  const counterId = manager.allocate(
    `${name}: ${channelStatusId} `,
    DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID,
    (key) => {
      key.putInt32(CHANNEL_STATUS_ID_OFFSET, channelStatusId);
      key.putInt32(LOCAL_SOCKET_ADDRESS_LENGTH_OFFSET, 0);
    },
  );
  manager.setCounterRegistrationId(counterId, registrationId);
  return new AtomicCounter(manager.valuesBuffer, counterId, manager);
}

/**
 * Writes the bound `host:port` into a local socket address counter's key and label
 * (`LocalSocketAddressStatus.updateBindAddress`); the caller then sets it ACTIVE. A longer address than Java
 * allows is `ControlProtocolError` GENERIC_ERROR.
 */
export function updateBindAddress(manager: CountersManager, counter: AtomicCounter, bindAddressAndPort: string): void {
  if (bindAddressAndPort.length > MAX_IPV6_LENGTH) {
    throw new ControlProtocolError(
      ERROR_CODE_GENERIC_ERROR,
      `bindAddressAndPort value too long: ${bindAddressAndPort.length} max: ${MAX_IPV6_LENGTH}`,
      { javaExceptionClass: 'java.lang.IllegalArgumentException' },
    );
  }
  manager.setCounterKey(counter.id, (key) => {
    const length = key.putStringWithoutLengthAscii(LOCAL_SOCKET_ADDRESS_STRING_OFFSET, bindAddressAndPort);
    key.putInt32(LOCAL_SOCKET_ADDRESS_LENGTH_OFFSET, length);
  });
  manager.appendToLabel(counter.id, bindAddressAndPort);
}
