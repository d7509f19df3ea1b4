/**
 * The generator's entry points: schema XML -> generated files, in memory. `cli.ts` writes or checks them.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { emitFlat } from './emit-flat.ts';
import { fileHeader } from './emit-header.ts';
import { emitMessage } from './emit-message.ts';
import { emitIndex, emitSchemaMeta } from './emit-meta.ts';
import { emitComposite, emitEnum, emitSet, type GeneratedFile } from './emit-types.ts';
import { parseSchema } from './parse-schema.ts';
import { type SchemaEntry, schemaVariantXml } from './schemas.ts';

export type { GeneratedFile };

export interface GenerateOptions {
  /** How generated files import the runtime; default `../../runtime/index.ts` (codecs/generated/<dir>/). */
  readonly runtimePath?: string;
  /** Schema file name for the header comment and for errors (`SchemaError.file`). */
  readonly schemaFile?: string;
  /**
   * Extension of the imports between generated files: `.ts` (default, as in this repository), `.js` (what `tsc`
   * with `moduleResolution` node16/nodenext and bundlers resolve to the `.ts` file) or `''` (bundler resolution).
   */
  readonly importExtension?: '.ts' | '.js' | '';
}

/** `from './X.ts'` -> `from './X<extension>'` in every import and export of a generated file. */
function withImportExtension(content: string, extension: string): string {
  return extension === '.ts' ? content : content.replace(/(from '\.\/[\w$-]+)\.ts';/g, `$1${extension}';`);
}

/** Generates every file for one schema (file name -> content), sorted by name. */
export function generateFromXml(xml: string, options: GenerateOptions = {}): GeneratedFile[] {
  const schema = parseSchema(xml, options.schemaFile);
  const header = fileHeader(schema, options.schemaFile ?? 'schema', options.runtimePath ?? '../../runtime/index.ts');
  const files: GeneratedFile[] = [];
  for (const t of schema.types) {
    if (t.kind === 'enum') files.push(emitEnum(header, t));
    else if (t.kind === 'set') files.push(...emitSet(header, t));
    else if (t.kind === 'composite') files.push(...emitComposite(header, t));
  }
  for (const m of schema.messages) files.push(...emitMessage(schema, header, m), emitFlat(schema, header, m));
  files.push(emitSchemaMeta(schema, header));
  files.push(emitIndex(header, files));
  const extension = options.importExtension ?? '.ts';
  return files
    .map((f) => ({ name: f.name, content: withImportExtension(f.content, extension) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Generates one schema entry; file paths are relative to the project root. */
export function generateEntry(root: string, entry: SchemaEntry): Map<string, string> {
  const written = readFileSync(join(root, entry.schema), 'utf8');
  const xml = entry.variant === undefined ? written : schemaVariantXml(written, entry.variant);
  const out = new Map<string, string>();
  for (const f of generateFromXml(xml, { schemaFile: relative(root, join(root, entry.schema)) })) {
    out.set(join(entry.outDir, f.name), f.content);
  }
  return out;
}
