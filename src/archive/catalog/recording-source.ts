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
  readonly fromRecordingId: number;
  readonly recordCount: number;
  readonly streamId?: number;
  /** Substring of the original channel (Java's listRecordingsForUri matches the stripped channel). */
  readonly channelFragment?: string;
}

/** A descriptor and, when the source knows it, the catalog state. */
export interface RecordingListing extends RecordingDescriptor {
  readonly state?: CatalogEntryState;
  readonly checksum?: number;
}

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

export class CatalogRecordingSource implements RecordingSource {
  readonly archiveDir: string;
  readonly description: string;

  constructor(archiveDir: string) {
    this.archiveDir = archiveDir;
    this.description = `catalog of ${archiveDir}`;
  }

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
