/**
 * The operating system's UDP socket buffer lengths, which Aeron records in every log's metadata (Java
 * `MediaDriver.Context.resolveOsSocketBufLengths`: the SO_SNDBUF / SO_RCVBUF of a fresh datagram socket, and
 * what the kernel grants when asked for `Integer.MAX_VALUE`).
 *
 * ```
 *  Linux: default = /proc/sys/net/core/{w,r}mem_default
 *         max     = 2 x /proc/sys/net/core/{w,r}mem_max   (the kernel doubles a granted SO_*BUF)
 *  elsewhere, or unreadable: 0
 * ```
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
    defaultSndbuf: procValue('wmem_default'),
    maxSndbuf: procValue('wmem_max') * 2,
    defaultRcvbuf: procValue('rmem_default'),
    maxRcvbuf: procValue('rmem_max') * 2,
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
