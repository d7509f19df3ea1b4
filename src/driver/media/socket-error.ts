/**
 * `SocketError`: a UDP socket of the media driver could not be opened, configured, or used. A `MediaDriverError`
 * (`instanceof` holds) with its own stable codes, the OS `errno` and the address involved.
 *
 * Messages read as the JDK's exception texts that Java's driver wraps ("Address already in use", …: libc's
 * `strerror`), followed by the operation and the address, e.g. `Address already in use: bind 127.0.0.1:40123`.
 */
import { ERROR_CODE_GENERIC_ERROR } from '../command/control-protocol.ts';
import { ControlProtocolError, MediaDriverError } from '../driver-error.ts';

/** Stable codes of `SocketError`. */
export type SocketErrorCode =
  /** `EADDRINUSE` on bind: another socket holds the address and port (Java: "Address already in use"). */
  | 'PORT_IN_USE'
  /** `EACCES` / `EPERM`: a privileged port, a broadcast address, or a firewall refusal. */
  | 'PERMISSION_DENIED'
  /** `EADDRNOTAVAIL`: the address is not one of this host's (bind, a multicast interface). */
  | 'ADDRESS_NOT_AVAILABLE'
  /** A host that is not a numeric IPv4/IPv6 address, mixed address families, or an unknown interface. */
  | 'INVALID_ADDRESS'
  /** Native memory could not be mapped, or the kernel ran out of memory for a socket (`ENOMEM`, `ENOBUFS`). */
  | 'NO_MEMORY'
  /** Any other failure while opening or configuring a socket (`socket`, `setsockopt`, `connect`, a group join). */
  | 'SOCKET_FAILED'
  /** `sendto` failed with an error other than would-block (`EMSGSIZE`, `ENETUNREACH`, `EHOSTUNREACH`, …). */
  | 'SEND_FAILED'
  /** `recvfrom` failed with an error other than would-block. */
  | 'RECEIVE_FAILED'
  /** The socket was used after `close()`. */
  | 'CLOSED';

/** Options of `SocketError`. */
export interface SocketErrorOptions extends ErrorOptions {
  /** OS errno (0, the default, when no system call failed). */
  readonly errno?: number;
  /** The address involved, as `host:port` (`[v6]:port`), or null. */
  readonly address?: string | null;
}

/** `MediaDriverError`'s constructor typed for this module's codes (`MediaDriverErrorCode` does not list them). */
const MediaDriverErrorBase = MediaDriverError as unknown as abstract new (
  code: SocketErrorCode,
  message: string,
  options?: ErrorOptions,
) => Omit<MediaDriverError, 'code'> & { readonly code: string };

/** Names of the errno values a socket commonly fails with (Linux numbering). */
const ERRNO_NAMES: Readonly<Record<number, string>> = {
  1: 'EPERM',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  19: 'ENODEV',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  90: 'EMSGSIZE',
  92: 'ENOPROTOOPT',
  93: 'EPROTONOSUPPORT',
  97: 'EAFNOSUPPORT',
  98: 'EADDRINUSE',
  99: 'EADDRNOTAVAIL',
  100: 'ENETDOWN',
  101: 'ENETUNREACH',
  105: 'ENOBUFS',
  106: 'EISCONN',
  111: 'ECONNREFUSED',
  113: 'EHOSTUNREACH',
};

/** The symbolic name of a Linux errno (`EADDRINUSE`), or `errno <n>` for one not in the table. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES[errno] ?? `errno ${errno}`;
}

/** The `SocketError` code for an errno from opening or configuring a socket (`op` is not send/receive). */
export function openErrorCode(errno: number): SocketErrorCode {
  switch (errno) {
    case 98:
      return 'PORT_IN_USE';
    case 1:
    case 13:
      return 'PERMISSION_DENIED';
    case 99:
      return 'ADDRESS_NOT_AVAILABLE';
    case 12:
    case 105:
      return 'NO_MEMORY';
    default:
      return 'SOCKET_FAILED';
  }
}

/** A socket of the media driver failed; see the module comment and {@link SocketErrorCode}. */
export class SocketError extends MediaDriverErrorBase {
  /** What went wrong: one of the {@link SocketErrorCode} values. */
  declare readonly code: SocketErrorCode;
  /** OS errno, 0 when no system call failed (`INVALID_ADDRESS`, `CLOSED`). */
  readonly errno: number;
  /** The address involved (`host:port`, `[v6]:port`), or null. */
  readonly address: string | null;

  /**
   * @param code stable code of the condition.
   * @param message human-readable description.
   * @param options `cause`, `errno` and `address`.
   */
  constructor(code: SocketErrorCode, message: string, options?: SocketErrorOptions) {
    super(code, message, options);
    this.errno = options?.errno ?? 0;
    this.address = options?.address ?? null;
  }

  /** The symbolic errno (`EADDRINUSE`), or `''` when no system call failed. */
  get errnoName(): string {
    return this.errno === 0 ? '' : errnoName(this.errno);
  }
}

/**
 * The refusal of an ADD command whose channel endpoint could not open its socket, as Java's
 * `UdpChannelTransport.openDatagramChannel` words it: GENERIC_ERROR, `io.aeron.exceptions.AeronException : ERROR -
 * channel error - <cause> (at <where>): <channel>`. Java's `<where>` is the JDK frame that failed; here it is the
 * system call and address (`bind 127.0.0.1:40123`). Any other error is returned as is.
 *
 * @param error what opening the socket threw.
 * @param originalUri the channel as the client gave it.
 */
export function channelOpenError(error: unknown, originalUri: string): unknown {
  if (!(error instanceof SocketError)) return error;
  const match = /^(.*) \((?:E[A-Z0-9]+|errno \d+)\): (.*)$/.exec(error.message);
  const cause = match?.[1] ?? error.message;
  const where = match?.[2] ?? error.code;
  return new ControlProtocolError(
    ERROR_CODE_GENERIC_ERROR,
    `ERROR - channel error - ${cause} (at ${where}): ${originalUri}`,
    {
      cause: error,
      javaExceptionClass: 'io.aeron.exceptions.AeronException',
    },
  );
}
