/**
 * The shared control words between a measuring main thread and its worker (one `Int32Array` over a
 * `SharedArrayBuffer`, every access through `Atomics`):
 *
 * ```
 *  [0] STOP   main sets 1: the worker leaves its loop, closes its client and posts its report
 *  [1] READY  worker sets 1 once its publication/subscription exist (main waits for it)
 * ```
 * The worker reads STOP once every few thousand loop iterations, never per message.
 */
export const STOP = 0;
export const READY = 1;
export const CONTROL_WORDS = 2;

export function newControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
}

/** What the publisher worker reports when it stops. */
export interface PublisherReport {
  readonly sent: number;
  readonly backPressured: number;
}

export interface PublisherWorkerData {
  readonly control: Int32Array;
  readonly aeronDir: string;
  readonly channel: string;
  readonly streamId: number;
  readonly exclusive: boolean;
  readonly messageLength: number;
}

export interface PongWorkerData {
  readonly control: Int32Array;
  readonly aeronDir: string;
  readonly pingChannel: string;
  readonly pingStreamId: number;
  readonly pongChannel: string;
  readonly pongStreamId: number;
}
