/**
 * Holds our archive schemas (codecs/schema/) against the ones inside the pinned aeron-all jar:
 * both are normalized into a semantic form (test/codecs/schema-normalize.ts, independent of our
 * generator) and every difference is reported by path, e.g.
 * `message ReplayRequest / field replayToken: sinceVersion 10 != 9` (ours != jar).
 *
 * The self-tests below mutate our schema every way they can and check that each mutation is caught,
 * so this conformance check cannot silently pass on everything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AERON_VERSION, aeronJarPath, PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { readJarEntry } from '../../harness/jar-entry.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { diffSchemas, messageNames, type NormalizedSchema, normalizeSchema } from './schema-normalize.ts';

const SCHEMAS = [
  { ours: 'codecs/schema/aeron-archive-codecs.xml', jarEntry: 'archive/aeron-archive-codecs.xml' },
  { ours: 'codecs/schema/aeron-archive-mark-codecs.xml', jarEntry: 'archive/aeron-archive-mark-codecs.xml' },
] as const;

const CONTROL_XML = readFileSync(join(PROJECT_ROOT, SCHEMAS[0].ours), 'utf8');
const MARK_XML = readFileSync(join(PROJECT_ROOT, SCHEMAS[1].ours), 'utf8');

function field(schema: NormalizedSchema, path: string, key: string): string | undefined {
  return schema.get(path)?.get(key);
}

function report(diff: readonly string[], what: string): string {
  return `${what} differs from the pinned Aeron ${AERON_VERSION} schema (ours != jar):\n  ${diff.join('\n  ')}`;
}

describeInterop(`archive schema conformance with the pinned Aeron ${AERON_VERSION} jar`, () => {
  for (const { ours, jarEntry } of SCHEMAS) {
    it(`${ours} is wire-identical to ${jarEntry}`, () => {
      const theirs = normalizeSchema(readJarEntry(aeronJarPath(), jarEntry).toString('utf8'));
      const mine = normalizeSchema(readFileSync(join(PROJECT_ROOT, ours), 'utf8'));
      const diff = diffSchemas(mine, theirs);
      expect(diff, report(diff, ours)).toEqual([]);
    });
  }

  it('the jar control schema is id 101 version 13 with exactly 50 messages, ConnectRequest among them', () => {
    const theirs = normalizeSchema(readJarEntry(aeronJarPath(), SCHEMAS[0].jarEntry).toString('utf8'));
    expect(field(theirs, 'schema', 'id')).toBe('101');
    expect(field(theirs, 'schema', 'version')).toBe('13');
    expect(field(theirs, 'schema', 'package')).toBe('io.aeron.archive.codecs');
    const names = messageNames(theirs);
    expect(names).toHaveLength(50);
    expect(names).toContain('ConnectRequest');
    expect(field(theirs, 'message ConnectRequest', 'id')).toBe('2');
  });

  it('the jar mark schema is id 100 version 2 with the single MarkFileHeader message', () => {
    const theirs = normalizeSchema(readJarEntry(aeronJarPath(), SCHEMAS[1].jarEntry).toString('utf8'));
    expect(field(theirs, 'schema', 'id')).toBe('100');
    expect(field(theirs, 'schema', 'version')).toBe('2');
    expect(messageNames(theirs)).toEqual(['MarkFileHeader']);
  });
});

describe('schema normalizer', () => {
  const control = normalizeSchema(CONTROL_XML);
  const mark = normalizeSchema(MARK_XML);

  it('our control schema has 50 messages', () => {
    expect(messageNames(control)).toHaveLength(50);
  });

  it('computes offsets and block lengths from type sizes', () => {
    expect(field(control, 'message ReplayRequest / field replayStreamId', 'offset')).toBe('40');
    expect(field(control, 'message ReplayRequest / field fileIoMaxLength', 'offset')).toBe('44');
    expect(field(control, 'message ReplayRequest / field replayToken', 'offset')).toBe('48');
    expect(field(control, 'message ReplayRequest', 'blockLength')).toBe('56');
    expect(field(control, 'message ControlResponse / field code', 'offset')).toBe('24');
    expect(field(control, 'message ControlResponse', 'blockLength')).toBe('32');
    expect(field(control, 'message CatalogHeader', 'blockLength')).toBe('32');
    expect(field(control, 'message RecordingDescriptorHeader / field reserved', 'offset')).toBe('31');
    expect(field(control, 'message RecordingDescriptor', 'blockLength')).toBe('80');
    expect(field(control, 'composite varAsciiEncoding / type varData', 'offset')).toBe('4');
    expect(field(control, 'composite messageHeader', 'size')).toBe('8');
    expect(field(mark, 'message MarkFileHeader / field archiveId', 'offset')).toBe('56');
    expect(field(mark, 'message MarkFileHeader / field errorBufferLength', 'offset')).toBe('48');
    expect(field(mark, 'message MarkFileHeader', 'blockLength')).toBe('128');
  });

  it('ignores descriptions, comments, attribute layout and message order', () => {
    const relaid = CONTROL_XML.replace(/\s+description="[^"]*"/g, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<field name="(\w+)" id="(\d+)" type="(\w+)"\/>/g, '<field type="$3"\n   name="$1"   id="$2" />');
    expect(diffSchemas(normalizeSchema(relaid), control)).toEqual([]);
  });

  it('names the path of a changed sinceVersion', () => {
    const mutated = CONTROL_XML.replace(
      '<field name="replayToken" id="9" type="int64" sinceVersion="10"/>',
      '<field name="replayToken" id="9" type="int64" sinceVersion="9"/>',
    );
    expect(mutated).not.toBe(CONTROL_XML);
    expect(diffSchemas(normalizeSchema(mutated), control)).toEqual([
      'message ReplayRequest / field replayToken: sinceVersion 9 != 10',
    ]);
  });

  it('reports a changed field type with every offset it moves', () => {
    const mutated = CONTROL_XML.replace(
      '<field name="relevantId" id="3" type="int64"/>',
      '<field name="relevantId" id="3" type="int32"/>',
    );
    expect(mutated).not.toBe(CONTROL_XML);
    expect(diffSchemas(normalizeSchema(mutated), control)).toEqual([
      'message ControlResponse / field relevantId: type int32 != int64',
      'message ControlResponse / field relevantId: size 4 != 8',
      'message ControlResponse / field code: offset 20 != 24',
      'message ControlResponse / field version: offset 24 != 28',
      'message ControlResponse: blockLength 28 != 32',
    ]);
  });

  it('reports a changed enum value', () => {
    const mutated = CONTROL_XML.replace(
      '<validValue name="DELETE">6</validValue>',
      '<validValue name="DELETE">9</validValue>',
    );
    expect(mutated).not.toBe(CONTROL_XML);
    expect(diffSchemas(normalizeSchema(mutated), control)).toEqual([
      'enum RecordingSignal / validValue DELETE: value 9 != 6',
    ]);
  });

  it('reports swapped fields, a missing message and an extra one', () => {
    const swapped = MARK_XML.replace(
      /(<field name="startTimestamp"[^>]*\/>)(\s*)(<field name="pid"[^>]*\/>)/,
      '$3$2$1',
    );
    expect(diffSchemas(normalizeSchema(swapped), mark)).toEqual([
      'message MarkFileHeader / field startTimestamp: index 3 != 2',
      'message MarkFileHeader / field startTimestamp: offset 24 != 16',
      'message MarkFileHeader / field pid: index 2 != 3',
      'message MarkFileHeader / field pid: offset 16 != 24',
    ]);
    const renamed = CONTROL_XML.replace('name="Ping"', 'name="Pong"');
    expect(diffSchemas(normalizeSchema(renamed), control)).toEqual([
      'message Ping / field controlSessionId: missing from ours',
      'message Ping: missing from ours',
      'message Pong / field controlSessionId: only in ours',
      'message Pong: only in ours',
    ]);
  });

  /** Every mutation of one attribute or value must be caught (by a difference, or by a parse error). */
  function catches(mutated: string, reference: NormalizedSchema): boolean {
    try {
      return diffSchemas(normalizeSchema(mutated), reference).length > 0;
    } catch {
      return true;
    }
  }

  function mutations(xml: string): Array<{ at: string; xml: string }> {
    const out: Array<{ at: string; xml: string }> = [];
    const at = (index: number): string => `line ${xml.slice(0, index).split('\n').length}`;
    const comments = [...xml.matchAll(/<!--[\s\S]*?-->/g)].map((m) => [m.index, m.index + m[0].length] as const);
    const inComment = (i: number): boolean => comments.some(([s, e]) => i >= s && i < e);
    const replaceAt = (index: number, length: number, text: string): string =>
      xml.slice(0, index) + text + xml.slice(index + length);
    // Every integer attribute and every integer element value, incremented.
    for (const m of xml.matchAll(/(?:\b\w+="|>)(-?\d+)(?="|<)/g)) {
      const digits = m[1] ?? '';
      const index = m.index + m[0].length - digits.length;
      if (inComment(index)) continue;
      out.push({ at: `${at(index)}: ${digits}+1`, xml: replaceAt(index, digits.length, String(Number(digits) + 1)) });
    }
    // Every type reference and every name, changed.
    for (const m of xml.matchAll(
      /\b(type|primitiveType|encodingType|name|presence|characterEncoding|package|byteOrder)="([^"]*)"/g,
    )) {
      const [whole, attr = '', value = ''] = m;
      if (inComment(m.index)) continue;
      let changed: string;
      if (attr === 'type' || attr === 'primitiveType' || attr === 'encodingType')
        changed = value === 'int16' ? 'uint16' : 'int16';
      else if (attr === 'presence') changed = value === 'optional' ? 'required' : 'optional';
      else if (attr === 'byteOrder') changed = 'bigEndian';
      else changed = `${value}X`;
      out.push({
        at: `${at(m.index)}: ${attr} ${value} -> ${changed}`,
        xml: replaceAt(m.index, whole.length, `${attr}="${changed}"`),
      });
    }
    return out;
  }

  for (const [name, xml, reference] of [
    ['control', CONTROL_XML, control],
    ['mark', MARK_XML, mark],
  ] as const) {
    it(`catches every single-value mutation of our ${name} schema`, () => {
      const all = mutations(xml);
      expect(all.length).toBeGreaterThan(name === 'control' ? 800 : 80);
      const missed = all.filter((m) => !catches(m.xml, reference)).map((m) => m.at);
      expect(missed).toEqual([]);
    });
  }
});
