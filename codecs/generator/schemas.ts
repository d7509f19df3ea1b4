/** The schemas `npm run codegen` generates, each into its own folder under codecs/generated/. */
import { SchemaError } from './schema-error.ts';

export interface SchemaEntry {
  /** Schema XML, relative to the project root. */
  readonly schema: string;
  /** Output folder, relative to the project root. */
  readonly outDir: string;
  /** Generate a variant of the schema instead of the file as written (see `schemaVariantXml`). */
  readonly variant?: SchemaVariant;
}

/** A schema generated with another byte order and package, so one test schema covers both byte orders. */
export interface SchemaVariant {
  readonly byteOrder: 'littleEndian' | 'bigEndian';
  readonly package: string;
}

/** The schema XML with the variant's byteOrder and package set on the root element. */
export function schemaVariantXml(xml: string, variant: SchemaVariant): string {
  const root = /<sbe:messageSchema\b[^>]*>/.exec(xml);
  if (root === null) throw new SchemaError('SCHEMA_INVALID', 'the schema has no <sbe:messageSchema> element');
  const setAttribute = (element: string, name: string, value: string): string => {
    const attribute = new RegExp(`\\s${name}="[^"]*"`);
    return attribute.test(element)
      ? element.replace(attribute, ` ${name}="${value}"`)
      : element.replace(/\s*>$/, ` ${name}="${value}">`);
  };
  const rewritten = setAttribute(setAttribute(root[0], 'byteOrder', variant.byteOrder), 'package', variant.package);
  return xml.slice(0, root.index) + rewritten + xml.slice(root.index + root[0].length);
}

export const SCHEMAS: readonly SchemaEntry[] = [
  { schema: 'codecs/schema/aeron-archive-codecs.xml', outDir: 'codecs/generated/archive' },
  { schema: 'codecs/schema/aeron-archive-mark-codecs.xml', outDir: 'codecs/generated/archive-mark' },
  { schema: 'codecs/schema/kitchen-sink.xml', outDir: 'codecs/generated/kitchen-sink' },
  {
    schema: 'codecs/schema/kitchen-sink.xml',
    outDir: 'codecs/generated/kitchen-sink-big-endian',
    variant: { byteOrder: 'bigEndian', package: 'aeronts.kitchensink.bigendian' },
  },
];
