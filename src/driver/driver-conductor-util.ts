/**
 * The driver conductor's small shared rules (Aeron 1.51.0 `DriverConductor`'s static helpers and constants): the
 * keys of the active session set, Java's refusals of a UDP publication's `endpoint` and `control`, of a destination's
 * keys and address, and the WARN event an error frame leaves in the distinct error log.
 *
 * ```
 *  active session keys      IPC  "<sessionId>:<streamId>"                     (Java SessionKey, IPC media)
 *                           UDP  "<sessionId>:<streamId>:<canonical form>"    (Java SessionKey with the channel)
 *  ADD_PUBLICATION aeron:udp   endpoint=<host>:0 (unicast)            -> GENERIC_ERROR (IllegalArgumentException)
 *                              control-mode=dynamic without control   -> GENERIC_ERROR
 *                              control without endpoint/control-mode  -> GENERIC_ERROR
 *  ADD_(RCV_)DESTINATION       mtu|rcv-wnd|so-rcvbuf|so-sndbuf|response-correlation-id -> INVALID_CHANNEL
 *  ADD/REMOVE_DESTINATION      unresolvable endpoint -> kept unresolved (Java createUnresolved), sent to after a
 *                              re-resolution finds it; removed by the same host and port
 *  error frame / rejected IPC image  -> ControlProtocolError "WARN - onPublicationError: …" without a stack
 *  REMOVE_SUBSCRIPTION         each list of subscription links: every link of the id removed and closed
 *  driver close                each channel endpoint closed, a failure to the error handler
 * ```
 */
import type { ChannelUri } from '../logbuffer/channel-uri.ts';
import { fastUnorderedRemove } from './array-list-util.ts';
import {
  ERROR_CODE_GENERIC_ERROR,
  ERROR_CODE_INVALID_CHANNEL,
  ERROR_CODE_UNKNOWN_PUBLICATION,
} from './command/control-protocol.ts';
import { ControlProtocolError } from './driver-error.ts';
import type { SendDestinationAddress } from './media/multi-snd-destination.ts';
import type { NameResolver } from './media/name-resolver.ts';
import { SocketAddress } from './media/socket-address.ts';
import { UdpChannel } from './media/udp-channel.ts';

/** Aeron's null value (Java `Aeron.NULL_VALUE`): the owner id of a static counter, "no id" in replies. */
export const NULL_VALUE = -1;

/** Channel status indicator id of channels that have none, IPC (Java `ChannelEndpointStatus.NO_ID_ALLOCATED`). */
export const NO_ID_ALLOCATED = -1;

/** `aeron-spy` (Java `ChannelUri.SPY_QUALIFIER`). */
export const SPY_PREFIX = 'aeron-spy';

/** Java `ErrorFlyweight.MAX_ERROR_MESSAGE_LENGTH`: the longest REJECT_IMAGE reason. */
export const MAX_ERROR_MESSAGE_LENGTH = 1023;

/** Keys a destination may not have (Java `DriverConductor.INVALID_DESTINATION_KEYS`). */
const INVALID_DESTINATION_KEYS: readonly string[] = [
  'mtu',
  'rcv-wnd',
  'so-rcvbuf',
  'so-sndbuf',
  'response-correlation-id',
];

/** Key of an active session (Java `SessionKey` for the IPC media). */
export function sessionKey(sessionId: number, streamId: number): string {
  return `${sessionId}:${streamId}`;
}

/** Key of an active network session (Java `SessionKey` with the channel's canonical form). */
export function networkSessionKey(sessionId: number, streamId: number, canonicalForm: string): string {
  return `${sessionId}:${streamId}:${canonicalForm}`;
}

/**
 * Java `validateEndpointForPublication`: a unicast publication's endpoint needs a port. GENERIC_ERROR as Java's
 * `IllegalArgumentException`.
 */
export function validateEndpointForPublication(udpChannel: UdpChannel): void {
  if (!udpChannel.isMultiDestination && udpChannel.hasExplicitEndpoint && udpChannel.remoteData.port === 0) {
    throw new ControlProtocolError(
      ERROR_CODE_GENERIC_ERROR,
      `endpoint has port=0 for publication: channel=${udpChannel.originalUriString}`,
      { javaExceptionClass: 'java.lang.IllegalArgumentException' },
    );
  }
}

/** Java `validateControlForPublication`. GENERIC_ERROR as Java's `IllegalArgumentException`. */
export function validateControlForPublication(udpChannel: UdpChannel): void {
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

/**
 * A destination's URI has none of Java's `INVALID_DESTINATION_KEYS` (`mtu`, `rcv-wnd`, `so-rcvbuf`, `so-sndbuf`,
 * `response-correlation-id`); the first one found is INVALID_CHANNEL `destinations must not contain the key: …`.
 */
export function validateDestinationKeys(uri: ChannelUri, channel: string): void {
  for (const key of INVALID_DESTINATION_KEYS) {
    if (uri.get(key) !== undefined) {
      throw new ControlProtocolError(
        ERROR_CODE_INVALID_CHANNEL,
        `destinations must not contain the key: ${key} channel=${channel}`,
      );
    }
  }
}

/**
 * A WARN event as Java's conductor records one (an `AeronEvent`, category WARN): a `ControlProtocolError` carrying
 * `errorCode`, whose error-log text is `<name>: WARN - <message>` without a stack (an `AeronEvent` has none), so
 * repeats of one event share one distinct entry.
 */
export function warnEvent(message: string, errorCode: number = ERROR_CODE_GENERIC_ERROR): ControlProtocolError {
  const event = new ControlProtocolError(errorCode, `WARN - ${message}`);
  event.stack = `${event.name}: ${event.message}`;
  return event;
}

/** The WARN event Java's `DriverConductor.onPublicationError` records, with the frame's error code ({@link warnEvent}). */
export function publicationErrorEvent(
  registrationId: number,
  destinationRegistrationId: number,
  sessionId: number,
  streamId: number,
  receiverId: number | bigint,
  groupId: number | bigint,
  errorCode: number,
  errorMessage: string,
): ControlProtocolError {
  return warnEvent(
    `onPublicationError: registrationId=${registrationId}, ` +
      `destinationRegistrationId=${destinationRegistrationId}, sessionId=${sessionId}, streamId=${streamId}, ` +
      `receiverId=${receiverId}, groupId=${groupId}, errorCode=${errorCode}, errorMessage=${errorMessage}`,
    errorCode,
  );
}

/** A refusal Java's conductor makes with an `IllegalArgumentException`: GENERIC_ERROR with Java's class name. */
export function illegalArgument(message: string): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_GENERIC_ERROR, message, {
    javaExceptionClass: 'java.lang.IllegalArgumentException',
  });
}

/** UNKNOWN_PUBLICATION `unknown publication: <registrationId>`. */
export function unknownPublication(registrationId: number): ControlProtocolError {
  return new ControlProtocolError(ERROR_CODE_UNKNOWN_PUBLICATION, `unknown publication: ${registrationId}`);
}

/**
 * Where a manual MDC destination sends, from its URI's `endpoint` (Java `UdpChannel.destinationAddress`): the
 * resolved address; for a host the resolver does not know, Java's unresolved address (a placeholder `0.0.0.0:port`
 * with `unresolvedHost` set), which the destination keeps, sending nothing, until a re-resolution finds the host.
 */
export function sendDestinationOf(uri: ChannelUri, nameResolver: NameResolver): SendDestinationAddress {
  const parsed = UdpChannel.destinationSocketAddress(uri, nameResolver);
  if (parsed.resolved) return { address: SocketAddress.of(parsed.address), unresolvedHost: null };
  return { address: SocketAddress.of({ host: '0.0.0.0', port: parsed.port, family: 4 }), unresolvedHost: parsed.host };
}

/**
 * Removes every link of `registrationId` from `links` (last first, `fastUnorderedRemove`), closes it and hands it to
 * `onClosed` (REMOVE_SUBSCRIPTION, one list of subscription links at a time); true when there was one.
 */
export function removeLinksOf<T extends { readonly registrationId: number; close(): void }>(
  links: T[],
  registrationId: number,
  onClosed?: (link: T) => void,
): boolean {
  let found = false;
  for (let i = links.length - 1; i >= 0; i--) {
    const link = links[i]!;
    if (link.registrationId === registrationId) {
      fastUnorderedRemove(links, i);
      link.close();
      onClosed?.(link);
      found = true;
    }
  }
  return found;
}

/** Closes each of `resources`, a failure going to `errorHandler` before the next one (the driver's close). */
export function closeEach(resources: Iterable<{ close(): void }>, errorHandler: (error: unknown) => void): void {
  for (const resource of resources) {
    try {
      resource.close();
    } catch (e) {
      errorHandler(e);
    }
  }
}
