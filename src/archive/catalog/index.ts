/** Offline reading of an archive directory: the catalog (`archive.catalog`) and the recordings' segment files. */
export { ArchiveRecordingSource } from './archive-recording-source.ts';
export { type CatalogEntry, type CatalogEntryState, catalogEntryStateOf } from './catalog-entry.ts';
export { CatalogError, type CatalogErrorCode } from './catalog-error.ts';
export * from './catalog-layout.ts';
export { type CatalogHeader, CatalogView } from './catalog-view.ts';
export { type OpenCatalog, openCatalog } from './open-catalog.ts';
export {
  CatalogRecordingSource,
  matchesQuery,
  type RecordingListing,
  type RecordingQuery,
  type RecordingSource,
} from './recording-source.ts';
export { listSegmentFiles, type SegmentFile } from './segment-files.ts';
