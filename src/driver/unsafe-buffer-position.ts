/**
 * The driver's position counters (publisher limit and position, subscriber positions, ...) are the transport
 * layer's `UnsafeBufferPosition` (`src/transport/unsafe-buffer-position.ts`, shared with the client), made with
 * the `CountersManager` that allocated them so that `close` frees the counter.
 *
 * ```
 *  new UnsafeBufferPosition(manager, counterId) == transport UnsafeBufferPosition(manager.valuesBuffer, counterId, manager)
 * ```
 *
 * This constructor adapter stays while `stream-counter.ts` builds positions from a manager; nothing else here.
 */
import type { CountersManager } from '../transport/counters-manager.ts';
import { UnsafeBufferPosition as TransportUnsafeBufferPosition } from '../transport/unsafe-buffer-position.ts';

/** A position counter allocated by `manager`; `close` frees it. See the module comment. */
export class UnsafeBufferPosition extends TransportUnsafeBufferPosition {
  /**
   * @param manager the counters manager that allocated counter `counterId` (frees it on `close`).
   * @param counterId the counter.
   */
  constructor(manager: CountersManager, counterId: number) {
    super(manager.valuesBuffer, counterId, manager);
  }
}
