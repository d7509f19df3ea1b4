/**
 * The online `RecordingSource`: descriptors listed through a running archive's control session
 * (`listRecordings` / `listRecording`), with the same semantics as the offline `CatalogRecordingSource`:
 * VALID recordings with id >= from, in id order, at most `recordCount` AFTER the stream / channel filters.
 *
 * The archive applies `recordCount` before any client-side filter, so the listing is paged: batches of
 * `BATCH` from the last id seen + 1 until enough matched or the archive ran out (a short batch).
 */
import type { AeronArchive } from '../aeron-archive.ts';
import type { RecordingDescriptor } from '../recording-descriptor.ts';
import { CatalogError } from './catalog-error.ts';
import { matchesQuery, type RecordingListing, type RecordingQuery, type RecordingSource } from './recording-source.ts';

/** Descriptors requested per listRecordings call. */
const BATCH = 256;

/** The online {@link RecordingSource} over a connected `AeronArchive` (module comment). */
export class ArchiveRecordingSource implements RecordingSource {
  /** Names the archive in output; default `archive <archiveId>`. */
  readonly description: string;
  readonly #archive: AeronArchive;

  constructor(archive: AeronArchive, description = `archive ${archive.archiveId}`) {
    this.#archive = archive;
    this.description = description;
  }

  /**
   * VALID recordings with id >= `fromRecordingId`, in id order, at most `recordCount` after the filters, listed
   * in batches of 256. Rejects as `AeronArchive.listRecordings` does.
   */
  async listRecordings(query: RecordingQuery): Promise<RecordingListing[]> {
    const out: RecordingListing[] = [];
    let from = query.fromRecordingId;
    while (out.length < query.recordCount) {
      const batch: RecordingDescriptor[] = [];
      await this.#archive.listRecordings(from, BATCH, (d) => batch.push(d));
      for (const d of batch) {
        if (!matchesQuery(d, query)) continue;
        out.push(d);
        if (out.length >= query.recordCount) break;
      }
      const last = batch[batch.length - 1];
      if (batch.length < BATCH || last === undefined) break;
      from = last.recordingId + 1;
    }
    return out;
  }

  /**
   * The descriptor of `recordingId` (Java `listRecording`); rejects with `CatalogError` UNKNOWN_RECORDING when the
   * archive lists none, else as `AeronArchive.listRecording` does.
   */
  async describeRecording(recordingId: number): Promise<RecordingListing> {
    let found: RecordingDescriptor | undefined;
    await this.#archive.listRecording(recordingId, (d) => {
      found = d;
    });
    if (found === undefined) {
      throw new CatalogError('UNKNOWN_RECORDING', `recording ${recordingId} is not known to the ${this.description}`);
    }
    return found;
  }
}
