/** One descriptor frame of the catalog: the recording descriptor plus its catalog header. */
import type { RecordingDescriptor } from '../recording-descriptor.ts';

/** Catalog entry states (RecordingState); anything else is shown as `UNKNOWN`. */
export type CatalogEntryState = 'INVALID' | 'VALID' | 'DELETED' | 'UNKNOWN';

/** One catalog frame read: the descriptor's fields, its header's state and checksum, and where the frame lies. */
export interface CatalogEntry extends RecordingDescriptor {
  /** The descriptor header's state, by name. */
  readonly state: CatalogEntryState;
  /** The raw state value (for `UNKNOWN`). */
  readonly stateValue: number;
  /** The descriptor checksum as stored (0 when the archive computes none). */
  readonly checksum: number;
  /** Byte offset of the frame in the catalog file. */
  readonly frameOffset: number;
  /** Frame length (descriptor header + descriptor, aligned). */
  readonly frameLength: number;
}

/** The name of a descriptor header's state value (Java `RecordingState`: 0 INVALID, 1 VALID, 2 DELETED). */
export function catalogEntryStateOf(value: number): CatalogEntryState {
  switch (value) {
    case 0:
      return 'INVALID';
    case 1:
      return 'VALID';
    case 2:
      return 'DELETED';
    default:
      return 'UNKNOWN';
  }
}
