/**
 * The contract of a fuzz target (see targets.ts for the registry) and the helpers every target file shares.
 *
 * A target is a fast-check arbitrary of inputs plus `execute(input)`. `execute` may throw only the typed
 * error its layer promises (`allowed`); anything else is a failure reported with the fast-check seed and
 * path. Hangs are caught outside, by the worker watchdog in `runner.ts`.
 */
import type fc from 'fast-check';
import { CodecError } from '../../codecs/runtime/index.ts';
import { TransportError } from '../../src/transport/index.ts';

export type FuzzLayer = 'archive-codec' | 'transport' | 'logbuffer' | 'client';

export interface FuzzTarget<T> {
  readonly name: string;
  readonly layer: FuzzLayer;
  /** Human name of what may escape `execute`. */
  readonly allowedName: string;
  allowed(error: unknown): boolean;
  arbitrary(): fc.Arbitrary<T>;
  execute(input: T): void;
  /** Errors a target observed without them escaping (e.g. routed to an error handler), by class name. */
  readonly observed: Map<string, number>;
}

// biome-ignore lint/suspicious/noExplicitAny: erased element type of a heterogeneous target list
export type AnyFuzzTarget = FuzzTarget<any>;

export const isCodecError = (e: unknown): boolean => e instanceof CodecError;
export const isTransportError = (e: unknown): boolean => e instanceof TransportError;

/**
 * Counts `error` in `map` under its class name and code, e.g. `AtomicBufferError(OUT_OF_BOUNDS)`; a string
 * is counted as itself (an event a target notes without an error object).
 */
export function observe(map: Map<string, number>, error: unknown): void {
  const name =
    typeof error === 'string'
      ? error
      : error instanceof Error
        ? `${error.constructor.name}${codeOf(error)}`
        : typeof error;
  map.set(name, (map.get(name) ?? 0) + 1);
}

function codeOf(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `(${code})` : '';
}
