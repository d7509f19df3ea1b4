/**
 * Golden bytes both ways for the kitchen-sink schema (every SBE feature we generate): Java codecs are
 * generated at test time by the real SBE tool from `codecs/schema/kitchen-sink.xml` and held against
 * our generated `codecs/generated/kitchen-sink/` for every message and value case
 * (min, max, null, typical with 0/1/3-entry and nested groups, three seeded random).
 *
 * The same schema is also generated big-endian (the codegen variant in `codecs/generator/schemas.ts`,
 * into `codecs/generated/kitchen-sink-big-endian/`); the SBE tool gets the identical variant XML.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kitchenSink from '../../codecs/generated/kitchen-sink/index.ts';
import * as kitchenSinkBigEndian from '../../codecs/generated/kitchen-sink-big-endian/index.ts';
import { SCHEMAS, schemaVariantXml } from '../../codecs/generator/schemas.ts';
import { interopGate, PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import {
  type CodecModule,
  checkOurDecoders,
  checkOurEncoders,
  type EncodeReport,
  type GoldenCase,
  type GoldenReport,
  type GoldenTool,
  generatedGoldenTool,
  javaEncodeCases,
} from '../support/sbe-golden.ts';
import { checkFlatPath } from '../support/sbe-golden-flat.ts';

const gate = interopGate(['aeron', 'sbe']);

/** The schema file the SBE tool reads for a codegen entry: the file itself, or its variant written to the cache. */
function schemaFileFor(outDir: string): string {
  const entry = SCHEMAS.find((e) => e.outDir === outDir);
  if (entry === undefined) throw new Error(`no codegen entry for ${outDir}`);
  const path = join(PROJECT_ROOT, entry.schema);
  if (entry.variant === undefined) return path;
  const dir = join(PROJECT_ROOT, 'node_modules', '.cache', 'aeron-ts-schema-variants');
  mkdirSync(dir, { recursive: true });
  const variantPath = join(dir, `${entry.variant.package}.xml`);
  writeFileSync(variantPath, schemaVariantXml(readFileSync(path, 'utf8'), entry.variant));
  return variantPath;
}

const VARIANTS: ReadonlyArray<{ readonly name: string; readonly outDir: string; readonly codecs: CodecModule }> = [
  { name: 'kitchen-sink', outDir: 'codecs/generated/kitchen-sink', codecs: kitchenSink },
  { name: 'kitchen-sink big-endian', outDir: 'codecs/generated/kitchen-sink-big-endian', codecs: kitchenSinkBigEndian },
];

describe.skipIf(gate.mode === 'skip').each(VARIANTS)(
  `$name codecs vs SBE's Java codecs${gate.missing ? ` (${gate.missing})` : ''}`,
  ({ name, outDir, codecs }) => {
    let tool: GoldenTool;
    let cases: GoldenCase[];
    let schemaMessages: string[];

    beforeAll(async () => {
      if (gate.mode === 'fail') throw new Error(gate.missing);
      const schemaPath = schemaFileFor(outDir);
      const schema = readFileSync(schemaPath, 'utf8');
      schemaMessages = [...schema.matchAll(/<sbe:message\s+name="(\w+)"/g)].map((m) => m[1]!);
      tool = generatedGoldenTool(schemaPath);
      cases = await javaEncodeCases(tool);
    });

    it('the Java side covers every message of the schema', () => {
      expect([...new Set(cases.map((c) => c.message))].sort()).toEqual([...schemaMessages].sort());
      expect(schemaMessages.length).toBeGreaterThan(0);
    });

    let decodeReport: GoldenReport;
    let encodeReport: EncodeReport;

    it('direction 1: our decoders read every Java-encoded case exactly', () => {
      decodeReport = checkOurDecoders(codecs, cases);
      expect(decodeReport.failures).toEqual([]);
    });

    it("flat path: decodeX reads every Java case into one reused object, encodeX writes Java's bytes", () => {
      const flat = checkFlatPath(codecs, cases);
      console.info(
        `flat path: ${flat.checked} cases checked both ways, ${flat.decodeOnly} decode only (64-bit values past 2^53)`,
      );
      expect(flat.failures).toEqual([]);
      expect([...flat.passed].sort()).toEqual([...schemaMessages].sort());
    });

    it('direction 2: our encoders write the same bytes as Java, and Java decodes them to the same values', async () => {
      encodeReport = await checkOurEncoders(codecs, tool, cases);
      expect(encodeReport.bytes.failures).toEqual([]);
      expect(encodeReport.javaDecode.failures).toEqual([]);
    });

    it('every template passes both ways', () => {
      const both = schemaMessages.filter(
        (m) =>
          decodeReport?.passed.has(m) && encodeReport?.bytes.passed.has(m) && encodeReport?.javaDecode.passed.has(m),
      );
      console.info(
        `golden ${name}: ${both.length}/${schemaMessages.length} templates both ways (${cases.length} cases)`,
      );
      expect(`${both.length}/${schemaMessages.length}`).toBe(`${schemaMessages.length}/${schemaMessages.length}`);
    });
  },
);
