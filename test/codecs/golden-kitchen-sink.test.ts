/**
 * Golden bytes both ways for the kitchen-sink schema (every SBE feature we generate): Java codecs are
 * generated at test time by the real SBE tool from `codecs/schema/kitchen-sink.xml` and held against
 * our generated `codecs/generated/kitchen-sink/` for every message and value case
 * (min, max, null, typical with 0/1/3-entry and nested groups, three seeded random).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as kitchenSink from '../../codecs/generated/kitchen-sink/index.ts';
import { interopGate, PROJECT_ROOT } from '../support/aeron-jars.ts';
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

const SCHEMA = join(PROJECT_ROOT, 'codecs', 'schema', 'kitchen-sink.xml');
const gate = interopGate(['aeron', 'sbe']);
const codecs: CodecModule = kitchenSink;

describe.skipIf(gate.mode === 'skip')(
  `kitchen-sink codecs vs SBE's Java codecs${gate.missing ? ` (${gate.missing})` : ''}`,
  () => {
    let tool: GoldenTool;
    let cases: GoldenCase[];
    let schemaMessages: string[];

    beforeAll(async () => {
      if (gate.mode === 'fail') throw new Error(gate.missing);
      const schema = readFileSync(SCHEMA, 'utf8');
      schemaMessages = [...schema.matchAll(/<sbe:message\s+name="(\w+)"/g)].map((m) => m[1]!);
      tool = generatedGoldenTool(SCHEMA);
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
        `golden kitchen-sink: ${both.length}/${schemaMessages.length} templates both ways (${cases.length} cases)`,
      );
      expect(`${both.length}/${schemaMessages.length}`).toBe(`${schemaMessages.length}/${schemaMessages.length}`);
    });
  },
);
