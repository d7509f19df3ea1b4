/** The schemas `npm run codegen` generates, each into its own folder under codecs/generated/. */
export interface SchemaEntry {
  /** Schema XML, relative to the project root. */
  readonly schema: string;
  /** Output folder, relative to the project root. */
  readonly outDir: string;
}

export const SCHEMAS: readonly SchemaEntry[] = [
  { schema: 'codecs/schema/aeron-archive-codecs.xml', outDir: 'codecs/generated/archive' },
  { schema: 'codecs/schema/aeron-archive-mark-codecs.xml', outDir: 'codecs/generated/archive-mark' },
  { schema: 'codecs/schema/kitchen-sink.xml', outDir: 'codecs/generated/kitchen-sink' },
];
