/**
 * Golden bytes both ways: our generated archive codecs (schema id 101 v13) against the Java codecs
 * shipped in the pinned aeron-all jar, for every message and several value cases each
 * (min, max, null, typical, three seeded random).
 *
 *   direction 1: Java encodes → our decoders read the same values
 *   direction 2: our encoders write the same values → bytes identical to Java's, and Java decodes them
 */
import { beforeAll, expect, it } from 'vitest';
import * as archive from '../../codecs/generated/archive/index.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { readJarEntry } from '../../harness/jar-entry.ts';
import { describeInterop } from '../support/describe-interop.ts';
import {
  archiveGoldenTool,
  type CodecModule,
  checkOurDecoders,
  checkOurEncoders,
  type EncodeReport,
  type GoldenCase,
  type GoldenReport,
  type GoldenTool,
  javaEncodeCases,
} from '../support/sbe-golden.ts';
import { checkFlatPath } from '../support/sbe-golden-flat.ts';

const codecs: CodecModule = archive;

describeInterop("archive codecs vs Aeron's Java codecs", () => {
  let tool: GoldenTool;
  let cases: GoldenCase[];
  let schemaMessages: string[];

  beforeAll(async () => {
    const schema = readJarEntry(aeronJarPath(), 'archive/aeron-archive-codecs.xml').toString('utf8');
    schemaMessages = [...schema.matchAll(/<sbe:message\s+name="(\w+)"/g)].map((m) => m[1]!);
    tool = archiveGoldenTool();
    cases = await javaEncodeCases(tool);
  });

  it('the Java side covers every message of the schema, with all value cases', () => {
    const messages = new Set(cases.map((c) => c.message));
    expect([...messages].sort()).toEqual([...schemaMessages].sort());
    expect(schemaMessages.length).toBe(50);
    for (const m of messages) {
      expect(cases.filter((c) => c.message === m).map((c) => c.case)).toEqual([
        'min',
        'max',
        'null',
        'typical',
        'random1',
        'random2',
        'random3',
      ]);
    }
  });

  let decodeReport: GoldenReport;
  let encodeReport: EncodeReport;

  it('direction 1: our decoders read every Java-encoded case exactly', () => {
    decodeReport = checkOurDecoders(codecs, cases);
    expect(decodeReport.failures).toEqual([]);
    expect(decodeReport.passed.size).toBe(schemaMessages.length);
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

  it(`all ${50} templates pass both ways`, () => {
    const both = [...schemaMessages].filter(
      (m) => decodeReport?.passed.has(m) && encodeReport?.bytes.passed.has(m) && encodeReport?.javaDecode.passed.has(m),
    );
    console.info(`golden archive: ${both.length}/${schemaMessages.length} templates both ways (${cases.length} cases)`);
    expect(`${both.length}/${schemaMessages.length}`).toBe(`${schemaMessages.length}/${schemaMessages.length}`);
  });
}, ['aeron', 'sbe']);
