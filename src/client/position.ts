/**
 * Positions kept in the media driver's counters, as the client's modules import them: the one implementation
 * lives in the transport layer (`src/transport/unsafe-buffer-position.ts`, shared with the media driver).
 *
 * - A publication reads its publication limit (written by the driver) once per offer (through the same words,
 *   `Publication.publicationLimitFor`).
 * - An image reads its subscriber position with `get()` (this client is the only writer) and writes it once
 *   per poll with `setRelease()`.
 */
export {
  counterValueWords,
  type ReadablePosition,
  UnsafeBufferPosition,
} from '../transport/unsafe-buffer-position.ts';
