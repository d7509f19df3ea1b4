/**
 * The operating system's UDP socket buffer lengths, which Aeron records in every log's metadata (Java
 * `MediaDriver.Context.resolveOsSocketBufLengths`: the SO_SNDBUF / SO_RCVBUF of a fresh datagram socket, and
 * what the kernel grants when asked for `Integer.MAX_VALUE`).
 *
 * ```
 *  Linux: default = /proc/sys/net/core/{w,r}mem_default / 2
 *         max     = /proc/sys/net/core/{w,r}mem_max
 *  elsewhere, or unreadable: 0
 * ```
 *
 * Those are the figures a Java driver writes on Linux: the kernel reports a socket's buffer doubled (its
 * bookkeeping overhead) and caps a request at `*mem_max` before doubling it, and the JDK halves what
 * `getsockopt` returns (observed: wmem_default 212992, wmem_max 4194304 give 106496 and 4194304 in a Java driver's log).
 * Checked byte for byte against a Java driver's log (`test/driver/ipc-log-metadata.test.ts`).
 *
 * Read once per driver (control path).
 */
import { readFileSync } from 'node:fs';

/** The four lengths written at `LOG_OS_*_SOCKET_*BUF_LENGTH_OFFSET`. */
export interface OsSocketBufferLengths {
  /** Default SO_SNDBUF. */
  readonly defaultSndbuf: number;
  /** Largest SO_SNDBUF granted. */
  readonly maxSndbuf: number;
  /** Default SO_RCVBUF. */
  readonly defaultRcvbuf: number;
  /** Largest SO_RCVBUF granted. */
  readonly maxRcvbuf: number;
}

/** Reads the lengths (see the module comment). */
export function readOsSocketBufferLengths(): OsSocketBufferLengths {
  return {
    defaultSndbuf: procValue('wmem_default') >> 1,
    maxSndbuf: procValue('wmem_max'),
    defaultRcvbuf: procValue('rmem_default') >> 1,
    maxRcvbuf: procValue('rmem_max'),
  };
}

function procValue(name: string): number {
  try {
    const value = Number.parseInt(readFileSync(`/proc/sys/net/core/${name}`, 'ascii').trim(), 10);
    return Number.isSafeInteger(value) && value > 0 && value <= 0x3fffffff ? value : 0;
  } catch {
    return 0;
  }
}
