/**
 * Where the CLI's `recordings` and `describe-recording` get descriptors from. `CatalogRecordingSource`
 * reads an archive directory's catalog offline; an archive-client source (listRecordings through a running
 * archive) implements the same interface.
 */
import type { RecordingDescriptor } from '../recording-descriptor.ts';
import type { CatalogEntryState } from './catalog-entry.ts';
import { CatalogError } from './catalog-error.ts';
import { openCatalog } from './open-catalog.ts';

/** Java `listRecordings(fromRecordingId, recordCount)` plus optional stream / channel-substring filters. */
export interface RecordingQuery {
  /** Lowest recording id listed. */
  readonly fromRecordingId: number;
  /** Most recordings returned, counted after the filters. */
  readonly recordCount: number;
  /** Only recordings of this stream id. */
  readonly streamId?: number;
  /** Substring of the original channel (Java's listRecordingsForUri matches the stripped channel). */
  readonly channelFragment?: string;
}

/** A descriptor and, when the source knows it, the catalog state. */
export interface RecordingListing extends RecordingDescriptor {
  /** The catalog entry state (offline catalog only: an archive's listing does not carry it). */
  readonly state?: CatalogEntryState;
  /** The descriptor checksum as stored (offline catalog only; 0 when the archive computes none). */
  readonly checksum?: number;
}

/** Lists and describes recordings: {@link CatalogRecordingSource} (offline) or `ArchiveRecordingSource` (online). */
export interface RecordingSource {
  /** Describes where the descriptors come from, for output. */
  readonly description: string;
  /** VALID recordings with id >= from, in id order, at most `recordCount` after filtering. */
  listRecordings(query: RecordingQuery): Promise<RecordingListing[]>;
  /** One recording (any state), or throws `CatalogError` UNKNOWN_RECORDING. */
  describeRecording(recordingId: number): Promise<RecordingListing>;
}

/** True when `descriptor` passes the query's stream / channel filters. */
export function matchesQuery(descriptor: RecordingDescriptor, query: RecordingQuery): boolean {
  if (query.streamId !== undefined && descriptor.streamId !== query.streamId) return false;
  if (query.channelFragment !== undefined && !descriptor.originalChannel.includes(query.channelFragment)) return false;
  return true;
}

/**
 * The offline {@link RecordingSource}: reads `<archiveDir>/archive.catalog` (opened and closed on each call, so
 * it sees what the archive has written since). Throws `CatalogError` (see its codes) for a catalog it cannot use.
 */
export class CatalogRecordingSource implements RecordingSource {
  /** The archive directory whose catalog is read. */
  readonly archiveDir: string;
  /** `catalog of <archiveDir>`. */
  readonly description: string;

  constructor(archiveDir: string) {
    this.archiveDir = archiveDir;
    this.description = `catalog of ${archiveDir}`;
  }

  /** VALID entries with id >= `fromRecordingId`, in catalog order, at most `recordCount` after the filters. */
  listRecordings(query: RecordingQuery): Promise<RecordingListing[]> {
    using catalog = openCatalog(this.archiveDir);
    const out: RecordingListing[] = [];
    if (query.recordCount <= 0) return Promise.resolve(out);
    for (const entry of catalog.view.entries()) {
      if (entry.state !== 'VALID' || entry.recordingId < query.fromRecordingId) continue;
      if (!matchesQuery(entry, query)) continue;
      out.push(entry);
      if (out.length >= query.recordCount) break;
    }
    return Promise.resolve(out);
  }

  /** The entry of `recordingId` in any state; rejects with `CatalogError` UNKNOWN_RECORDING when there is none. */
  describeRecording(recordingId: number): Promise<RecordingListing> {
    using catalog = openCatalog(this.archiveDir);
    const entry = catalog.view.find(recordingId);
    if (entry === undefined) {
      return Promise.reject(
        new CatalogError('UNKNOWN_RECORDING', `recording ${recordingId} is not in the catalog ${catalog.path}`),
      );
    }
    return Promise.resolve(entry);
  }
}
