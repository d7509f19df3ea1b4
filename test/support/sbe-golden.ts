/**
 * Golden bytes both ways between our generated TypeScript codecs and the real SBE Java codecs.
 *
 * `test/java/SbeGolden.java` is schema-generic: it parses a schema with the SBE tool's own parser and
 * drives the Java codecs by reflection. `encode` prints one JSON line per message and value case:
 *
 *   {"message":"ReplayRequest","templateId":6,"case":"max","hex":"…","fields":[…]}
 *
 * and `decode` reads `<MessageName> <hex>` lines and prints `{"message","fields"}` (or `"error"`).
 * A field is `{name, kind, value}` plus `type` (enums, sets, composites) and `of` (arrays):
 *
 *   kind        value
 *   int         JSON number (int8..uint32, and a single char as its byte)
 *   int64       decimal string            uint64   decimal string
 *   float       8 hex digits (IEEE bits)  double   16 hex digits (IEEE bits)
 *   char        string (char array, up to the first NUL)
 *   array       list of element values, element kind in `of`
 *   enum        constant name (NULL_VAL for the null value)
 *   set         names of the choices that are set
 *   composite   nested field list
 *   varString   string                    varBytes hex
 *   group       list of entries, each a field list
 *   constant    the constant as a string (enum constants: the name)
 *
 * This module runs the tool (one JVM per direction per schema) and holds the adapter that reads and
 * writes the same field trees through our generated codecs, reached by name through the contract in
 * `codecs/generator/README.md`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aeronJarPath, PROJECT_ROOT, sbeJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';

const TOOL_SOURCE = join(PROJECT_ROOT, 'test', 'java', 'SbeGolden.java');
const SBE_CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'aeron-ts-sbe-java');
const RUN_TIMEOUT_MS = 150_000;

// ---------------------------------------------------------------------------------------------------
// Field trees

export const FIELD_KINDS = [
  'int',
  'int64',
  'uint64',
  'float',
  'double',
  'char',
  'array',
  'enum',
  'set',
  'composite',
  'varString',
  'varBytes',
  'group',
  'constant',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export interface GoldenField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly type?: string;
  readonly of?: string;
  readonly value: unknown;
}

export interface GoldenCase {
  readonly message: string;
  readonly templateId: number;
  readonly case: string;
  readonly hex: string;
  readonly fields: readonly GoldenField[];
}

export interface GoldenDecoded {
  readonly message: string;
  readonly fields?: readonly GoldenField[];
  readonly error?: string;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isFieldKind(x: unknown): x is FieldKind {
  return typeof x === 'string' && (FIELD_KINDS as readonly string[]).includes(x);
}

function toField(x: unknown): GoldenField {
  if (!isRecord(x) || typeof x.name !== 'string' || !isFieldKind(x.kind) || !('value' in x)) {
    throw new Error(`not a golden field: ${JSON.stringify(x)}`);
  }
  let value: unknown = x.value;
  if (x.kind === 'composite') value = toFields(value);
  if (x.kind === 'group') {
    if (!Array.isArray(value)) throw new Error(`group ${x.name}: value is not a list`);
    value = value.map((entry: unknown) => toFields(entry));
  }
  return {
    name: x.name,
    kind: x.kind,
    ...(typeof x.type === 'string' ? { type: x.type } : {}),
    ...(typeof x.of === 'string' ? { of: x.of } : {}),
    value,
  };
}

function toFields(x: unknown): GoldenField[] {
  if (!Array.isArray(x)) throw new Error(`not a field list: ${JSON.stringify(x)}`);
  return x.map((f: unknown) => toField(f));
}

function parseCase(line: string): GoldenCase {
  const x: unknown = JSON.parse(line);
  if (
    !isRecord(x) ||
    typeof x.message !== 'string' ||
    typeof x.templateId !== 'number' ||
    typeof x.case !== 'string' ||
    typeof x.hex !== 'string'
  ) {
    throw new Error(`not a golden case: ${line.slice(0, 200)}`);
  }
  return { message: x.message, templateId: x.templateId, case: x.case, hex: x.hex, fields: toFields(x.fields) };
}

function parseDecoded(line: string): GoldenDecoded {
  const x: unknown = JSON.parse(line);
  if (!isRecord(x) || typeof x.message !== 'string') throw new Error(`not a decode result: ${line.slice(0, 200)}`);
  if (typeof x.error === 'string') return { message: x.message, error: x.error };
  return { message: x.message, fields: toFields(x.fields) };
}

function fieldsOf(f: GoldenField): readonly GoldenField[] {
  if (!Array.isArray(f.value)) throw new Error(`${f.name}: expected nested fields`);
  return f.value as readonly GoldenField[];
}

function entriesOf(f: GoldenField): readonly (readonly GoldenField[])[] {
  if (!Array.isArray(f.value)) throw new Error(`${f.name}: expected group entries`);
  return f.value as readonly (readonly GoldenField[])[];
}

function stringOf(f: GoldenField): string {
  if (typeof f.value !== 'string') throw new Error(`${f.name}: expected a string value`);
  return f.value;
}

function numberOf(f: GoldenField): number {
  if (typeof f.value !== 'number') throw new Error(`${f.name}: expected a number value`);
  return f.value;
}

function listOf(f: GoldenField): readonly (string | number)[] {
  const v = f.value;
  if (!Array.isArray(v) || !v.every((e: unknown) => typeof e === 'string' || typeof e === 'number')) {
    throw new Error(`${f.name}: expected a list of scalars`);
  }
  return v as readonly (string | number)[];
}

// ---------------------------------------------------------------------------------------------------
// The Java tool

export interface GoldenTool {
  readonly classpath: readonly string[];
  /** The schema argument for SbeGolden: a file path or `classpath:<resource>`. */
  readonly schema: string;
}

/** SbeGolden against the archive codecs shipped in the pinned Aeron jar (schema read from the jar). */
export function archiveGoldenTool(): GoldenTool {
  const classpath = [aeronJarPath(), sbeJarPath()];
  const classes = compileJava({ sources: [TOOL_SOURCE], classpath });
  return { classpath: [classes, ...classpath], schema: 'classpath:archive/aeron-archive-codecs.xml' };
}

/** SbeGolden against Java codecs the real SBE tool generates from `schemaPath` (cached by content). */
export function generatedGoldenTool(schemaPath: string): GoldenTool {
  const sourcesDir = generateJavaCodecs(schemaPath);
  const classpath = [aeronJarPath(), sbeJarPath()];
  const classes = compileJava({ sources: [...javaFilesUnder(sourcesDir), TOOL_SOURCE], classpath });
  return { classpath: [classes, ...classpath], schema: schemaPath };
}

function generateJavaCodecs(schemaPath: string): string {
  const hash = createHash('sha256').update(readFileSync(schemaPath)).update(sbeJarPath()).digest('hex').slice(0, 16);
  const outDir = join(SBE_CACHE_DIR, hash);
  if (existsSync(join(outDir, '.complete'))) return outDir;
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  try {
    execFileSync(
      'java',
      [
        `-Dsbe.output.dir=${tmpDir}`,
        '-Dsbe.target.language=Java',
        '-Dsbe.validation.stop.on.error=true',
        '-jar',
        sbeJarPath(),
        schemaPath,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 },
    );
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(
      `SBE tool failed on ${schemaPath}:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`,
    );
  }
  writeFileSync(join(tmpDir, '.complete'), '');
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(tmpDir, outDir);
  } catch {
    rmSync(tmpDir, { recursive: true, force: true }); // another process won the race with identical output
  }
  return outDir;
}

function javaFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...javaFilesUnder(path));
    else if (entry.name.endsWith('.java')) out.push(path);
  }
  return out.sort();
}

/** Every message × value case, encoded by the Java encoders (one JVM). */
export async function javaEncodeCases(tool: GoldenTool): Promise<GoldenCase[]> {
  const result = await runJava({
    classpath: tool.classpath,
    mainClass: 'SbeGolden',
    args: ['encode', tool.schema],
    jvmArgs: AERON_JVM_FLAGS,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  if (result.code !== 0) throw new Error(`SbeGolden encode exited ${result.code}:\n${result.stderr}`);
  return lines(result.stdout).map(parseCase);
}

/** Decodes each `{message, hex}` with the Java decoders (one JVM), results in input order. */
export async function javaDecode(
  tool: GoldenTool,
  items: readonly { readonly message: string; readonly hex: string }[],
): Promise<GoldenDecoded[]> {
  const result = await runJava({
    classpath: tool.classpath,
    mainClass: 'SbeGolden',
    args: ['decode', tool.schema],
    jvmArgs: AERON_JVM_FLAGS,
    stdin: items.map((i) => `${i.message} ${i.hex}\n`).join(''),
    timeoutMs: RUN_TIMEOUT_MS,
  });
  if (result.code !== 0) throw new Error(`SbeGolden decode exited ${result.code}:\n${result.stderr}`);
  const decoded = lines(result.stdout).map(parseDecoded);
  if (decoded.length !== items.length) {
    throw new Error(`SbeGolden decode answered ${decoded.length} of ${items.length} lines:\n${result.stderr}`);
  }
  return decoded;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/**
 * Per message, a case whose trees show the full shape: every group has at least one entry at every
 * depth and every set has all its choices (SbeGolden's `max` case).
 */
export function shapesByMessage(cases: readonly GoldenCase[]): Map<string, readonly GoldenField[]> {
  const shapes = new Map<string, readonly GoldenField[]>();
  for (const c of cases) if (c.case === 'max') shapes.set(c.message, c.fields);
  return shapes;
}

// ---------------------------------------------------------------------------------------------------
// Dynamic access to our generated codecs

/** A generated codec module (`codecs/generated/<schema>/index.ts`) seen as a name → export map. */
export type CodecModule = Readonly<Record<string, unknown>>;

function describe(target: unknown): string {
  if (typeof target === 'object' && target !== null) return target.constructor.name;
  return typeof target;
}

function hasMethod(target: unknown, name: string): boolean {
  return typeof target === 'object' && target !== null && typeof Reflect.get(target, name) === 'function';
}

/** Calls `target[name](...args)`; a schema name that is not a method also tries its lower-first form. */
function invoke(target: unknown, name: string, ...args: unknown[]): unknown {
  if (typeof target !== 'object' || target === null) throw new Error(`cannot call ${name} on ${describe(target)}`);
  let method: unknown = Reflect.get(target, name);
  if (typeof method !== 'function') method = Reflect.get(target, lowerFirst(name));
  if (typeof method !== 'function') throw new Error(`${describe(target)} has no method ${name}`);
  const result: unknown = Reflect.apply(method, target, args);
  return result;
}

function lowerFirst(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

function construct(mod: CodecModule, className: string): object {
  const ctor = mod[className];
  if (typeof ctor !== 'function') throw new Error(`generated module has no class ${className}`);
  const instance: unknown = Reflect.construct(ctor, []);
  if (typeof instance !== 'object' || instance === null) throw new Error(`${className} did not construct`);
  return instance;
}

function enumObject(mod: CodecModule, type: string | undefined): Readonly<Record<string, unknown>> {
  const e = type === undefined ? undefined : mod[type];
  if (!isRecord(e)) throw new Error(`generated module has no enum ${String(type)}`);
  return e;
}

function enumName(mod: CodecModule, type: string | undefined, value: unknown): string {
  const e = enumObject(mod, type);
  for (const [name, v] of Object.entries(e)) if (v === value) return name;
  return `?${String(value)}`;
}

function toBigInt(v: unknown, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new Error(`${what}: expected bigint or integer, got ${String(v)}`);
}

function toNumber(v: unknown, what: string): number {
  if (typeof v !== 'number') throw new Error(`${what}: expected a number, got ${typeof v} ${String(v)}`);
  return v;
}

const bits = new DataView(new ArrayBuffer(8));

export function floatBits(v: number): string {
  bits.setFloat32(0, v);
  return bits.getUint32(0).toString(16).padStart(8, '0');
}

export function doubleBits(v: number): string {
  bits.setFloat64(0, v);
  return bits.getBigUint64(0).toString(16).padStart(16, '0');
}

export function floatFromBits(hex: string): number {
  bits.setUint32(0, Number.parseInt(hex, 16));
  return bits.getFloat32(0);
}

export function doubleFromBits(hex: string): number {
  bits.setBigUint64(0, BigInt(`0x${hex}`));
  return bits.getFloat64(0);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

const TWO_53 = 2n ** 53n;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** What the contract promises the plain `number` getter returns for an int64/uint64, when it promises. */
function expectedNumberGetter(v: bigint): number | undefined {
  if (v >= -TWO_53 && v <= TWO_53) return Number(v);
  if (v === INT64_MAX) return 2 ** 63;
  if (v === -(2n ** 63n)) return -(2 ** 63);
  if (v === UINT64_MAX) return 2 ** 64;
  return undefined;
}

function scalarOut(
  kind: string,
  v: unknown,
  what: string,
  problems: string[],
  numberGetter?: unknown,
): string | number {
  switch (kind) {
    case 'int64':
    case 'uint64': {
      const big = toBigInt(v, what);
      if (numberGetter !== undefined) {
        const expected = expectedNumberGetter(big);
        if (expected !== undefined && numberGetter !== expected) {
          problems.push(`${what}: number getter gave ${String(numberGetter)}, contract says ${expected}`);
        }
      }
      return big.toString();
    }
    case 'float':
      return floatBits(toNumber(v, what));
    case 'double':
      return doubleBits(toNumber(v, what));
    default:
      if (typeof v === 'string') return v.length === 0 ? 0 : v.charCodeAt(0); // a single char read as a string
      return toNumber(v, what);
  }
}

function scalarIn(kind: string, v: string | number): number | bigint {
  switch (kind) {
    case 'int64':
    case 'uint64':
      return BigInt(v);
    case 'float':
      return floatFromBits(String(v));
    case 'double':
      return doubleFromBits(String(v));
    default:
      return Number(v);
  }
}

function withMeta(shape: GoldenField, value: unknown): GoldenField {
  return {
    name: shape.name,
    kind: shape.kind,
    ...(shape.type !== undefined ? { type: shape.type } : {}),
    ...(shape.of !== undefined ? { of: shape.of } : {}),
    value,
  };
}

function decodeField(mod: CodecModule, dec: object, shape: GoldenField, path: string, problems: string[]): GoldenField {
  const what = `${path}.${shape.name}`;
  switch (shape.kind) {
    case 'int':
    case 'float':
    case 'double':
      return withMeta(shape, scalarOut(shape.kind, invoke(dec, shape.name), what, problems));
    case 'int64':
    case 'uint64':
      return withMeta(
        shape,
        scalarOut(shape.kind, invoke(dec, `${shape.name}BigInt`), what, problems, invoke(dec, shape.name)),
      );
    case 'char':
    case 'varString':
      return withMeta(shape, invoke(dec, shape.name));
    case 'varBytes': {
      const bytes = invoke(dec, shape.name);
      if (!(bytes instanceof Uint8Array)) throw new Error(`${what}: expected a Uint8Array`);
      return withMeta(shape, toHex(bytes));
    }
    case 'array': {
      const kind = shape.of ?? 'int';
      const wide = (kind === 'int64' || kind === 'uint64') && hasMethod(dec, `${shape.name}BigInt`);
      const values = listOf(shape).map((_, i) =>
        scalarOut(kind, invoke(dec, wide ? `${shape.name}BigInt` : shape.name, i), `${what}[${i}]`, problems),
      );
      return withMeta(shape, values);
    }
    case 'enum': {
      let value: unknown;
      try {
        value = invoke(dec, shape.name);
      } catch (e) {
        problems.push(`${what}: typed enum getter threw ${String(e)}`);
        value = invoke(dec, `${shape.name}Raw`);
      }
      return withMeta(shape, enumName(mod, shape.type, value));
    }
    case 'set': {
      const set = invoke(dec, shape.name);
      const on = listOf(shape).filter((choice) => invoke(set, String(choice)) === true);
      return withMeta(shape, on);
    }
    case 'composite': {
      const composite = invoke(dec, shape.name);
      if (typeof composite !== 'object' || composite === null) throw new Error(`${what}: no composite flyweight`);
      return withMeta(
        shape,
        fieldsOf(shape).map((member) => decodeField(mod, composite, member, what, problems)),
      );
    }
    case 'constant': {
      const v = invoke(dec, shape.name);
      const text =
        shape.type !== undefined && typeof v !== 'string'
          ? enumName(mod, shape.type, v)
          : typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string'
            ? String(v)
            : `?${typeof v}`;
      return withMeta(shape, text);
    }
    case 'group': {
      const group = invoke(dec, shape.name);
      if (typeof group !== 'object' || group === null) throw new Error(`${what}: no group flyweight`);
      const count = toNumber(invoke(group, 'count'), `${what}.count()`);
      const entryShape = entriesOf(shape)[0] ?? [];
      const entries: GoldenField[][] = [];
      for (let i = 0; i < count; i++) {
        invoke(group, 'next');
        entries.push(entryShape.map((f) => decodeField(mod, group, f, `${what}[${i}]`, problems)));
      }
      return withMeta(shape, entries);
    }
  }
}

export interface OurDecode {
  readonly fields: GoldenField[];
  /** Contract breaches seen while reading that the field values do not show (e.g. the int64 number getter). */
  readonly problems: string[];
}

/**
 * Decodes `bytes` (header + message) with our generated decoder, reading every field the shape lists,
 * in schema order, and returns the same field tree SbeGolden prints.
 */
export function decodeWithOurs(
  mod: CodecModule,
  message: string,
  bytes: Uint8Array,
  shape: readonly GoldenField[],
): OurDecode {
  const header = construct(mod, 'MessageHeaderDecoder');
  const dec = construct(mod, `${message}Decoder`);
  invoke(dec, 'wrapAndApplyHeader', bytes, 0, header);
  const problems: string[] = [];
  const fields = shape.map((f) => decodeField(mod, dec, f, message, problems));
  const total = toNumber(invoke(dec, 'limit'), 'limit()');
  if (total !== bytes.length)
    problems.push(`${message}: decoder limit() ${total} after reading all, message is ${bytes.length}`);
  return { fields, problems };
}

function encodeField(mod: CodecModule, enc: object, field: GoldenField): void {
  switch (field.kind) {
    case 'constant':
      return;
    case 'int':
      invoke(enc, field.name, numberOf(field));
      return;
    case 'int64':
    case 'uint64':
      invoke(enc, `${field.name}BigInt`, BigInt(stringOf(field)));
      return;
    case 'float':
    case 'double':
      invoke(enc, field.name, scalarIn(field.kind, stringOf(field)));
      return;
    case 'char':
    case 'varString':
      invoke(enc, field.name, stringOf(field));
      return;
    case 'varBytes':
      invoke(enc, field.name, fromHex(stringOf(field)));
      return;
    case 'array': {
      const kind = field.of ?? 'int';
      const wide = (kind === 'int64' || kind === 'uint64') && hasMethod(enc, `${field.name}BigInt`);
      listOf(field).forEach((v, i) => {
        const value = scalarIn(kind, v);
        invoke(
          enc,
          wide ? `${field.name}BigInt` : field.name,
          i,
          typeof value === 'bigint' && !wide ? Number(value) : value,
        );
      });
      return;
    }
    case 'enum':
      invoke(enc, field.name, enumObject(mod, field.type)[stringOf(field)]);
      return;
    case 'set': {
      const set = invoke(enc, field.name);
      invoke(set, 'clear');
      for (const choice of listOf(field)) invoke(set, String(choice), true);
      return;
    }
    case 'composite': {
      const composite = invoke(enc, field.name);
      if (typeof composite !== 'object' || composite === null) throw new Error(`${field.name}: no composite flyweight`);
      for (const member of fieldsOf(field)) encodeField(mod, composite, member);
      return;
    }
    case 'group': {
      const entries = entriesOf(field);
      const group = invoke(enc, `${field.name}Count`, entries.length);
      if (typeof group !== 'object' || group === null) throw new Error(`${field.name}: no group flyweight`);
      for (const entry of entries) {
        invoke(group, 'next');
        for (const f of entry) encodeField(mod, group, f);
      }
      return;
    }
  }
}

/** Encodes header + message with our generated encoder, setting every field in schema order. */
export function encodeWithOurs(mod: CodecModule, message: string, fields: readonly GoldenField[]): Uint8Array {
  const header = construct(mod, 'MessageHeaderEncoder');
  const enc = construct(mod, `${message}Encoder`);
  const buffer = new Uint8Array(1 << 16);
  invoke(enc, 'wrapAndApplyHeader', buffer, 0, header);
  for (const f of fields) encodeField(mod, enc, f);
  const limit = toNumber(invoke(enc, 'limit'), 'limit()');
  return buffer.slice(0, limit);
}

// ---------------------------------------------------------------------------------------------------
// Comparing and reporting

/** Differences between two field trees, as readable paths (empty when equal). */
export function diffFields(
  expected: readonly GoldenField[],
  actual: readonly GoldenField[],
  path: string,
  out: string[] = [],
): string[] {
  if (expected.length !== actual.length) {
    out.push(`${path}: ${expected.length} fields expected, got ${actual.length}`);
  }
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    const where = `${path}.${e.name}`;
    if (e.name !== a.name || e.kind !== a.kind) {
      out.push(`${where}: expected ${e.name}:${e.kind}, got ${a.name}:${a.kind}`);
    } else if (e.kind === 'composite') {
      diffFields(fieldsOf(e), fieldsOf(a), where, out);
    } else if (e.kind === 'group') {
      const ee = entriesOf(e);
      const ae = entriesOf(a);
      if (ee.length !== ae.length) out.push(`${where}: ${ee.length} entries expected, got ${ae.length}`);
      for (let k = 0; k < Math.min(ee.length, ae.length); k++) diffFields(ee[k]!, ae[k]!, `${where}[${k}]`, out);
    } else if (JSON.stringify(e.value) !== JSON.stringify(a.value)) {
      out.push(`${where}: expected ${JSON.stringify(e.value)}, got ${JSON.stringify(a.value)}`);
    }
  }
  return out;
}

export interface GoldenReport {
  /** Cases checked. */
  readonly cases: number;
  /** Messages whose every case passed. */
  readonly passed: ReadonlySet<string>;
  /** One line per failing case (message/case: first differences). */
  readonly failures: readonly string[];
}

function report(cases: readonly GoldenCase[], failing: Map<string, string>): GoldenReport {
  const bad = new Set<string>();
  for (const key of failing.keys()) bad.add(key.split('/')[0]!);
  const passed = new Set(cases.map((c) => c.message).filter((m) => !bad.has(m)));
  return { cases: cases.length, passed, failures: [...failing].map(([k, v]) => `${k}: ${v}`) };
}

function firstLines(items: readonly string[], max = 6): string {
  return items.length <= max ? items.join('; ') : `${items.slice(0, max).join('; ')}; … ${items.length - max} more`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

/** Direction 1: our decoders read every Java-encoded case and see the values Java encoded. */
export function checkOurDecoders(mod: CodecModule, cases: readonly GoldenCase[]): GoldenReport {
  const shapes = shapesByMessage(cases);
  const failing = new Map<string, string>();
  for (const c of cases) {
    const key = `${c.message}/${c.case}`;
    try {
      const shape = shapes.get(c.message) ?? c.fields;
      const ours = decodeWithOurs(mod, c.message, fromHex(c.hex), shape);
      const diffs = [...diffFields(c.fields, ours.fields, c.message), ...ours.problems];
      if (diffs.length > 0) failing.set(key, firstLines(diffs));
    } catch (e) {
      failing.set(key, errorText(e));
    }
  }
  return report(cases, failing);
}

export interface EncodeReport {
  /** Our bytes equal Java's bytes for the same values. */
  readonly bytes: GoldenReport;
  /** Java's decoders read our bytes back as the values we encoded. */
  readonly javaDecode: GoldenReport;
}

/** Direction 2: our encoders write each case's values; bytes must equal Java's and Java must read them back. */
export async function checkOurEncoders(
  mod: CodecModule,
  tool: GoldenTool,
  cases: readonly GoldenCase[],
): Promise<EncodeReport> {
  const byteFailures = new Map<string, string>();
  const encoded: { message: string; hex: string; c: GoldenCase }[] = [];
  for (const c of cases) {
    const key = `${c.message}/${c.case}`;
    try {
      const hex = toHex(encodeWithOurs(mod, c.message, c.fields));
      encoded.push({ message: c.message, hex, c });
      if (hex !== c.hex) byteFailures.set(key, firstHexDifference(c.hex, hex));
    } catch (e) {
      byteFailures.set(key, errorText(e));
    }
  }
  const decoded = await javaDecode(tool, encoded);
  const decodeFailures = new Map<string, string>();
  for (const c of cases) {
    if (!encoded.some((e) => e.c === c)) decodeFailures.set(`${c.message}/${c.case}`, 'our encoder failed');
  }
  encoded.forEach((e, i) => {
    const d = decoded[i]!;
    const key = `${e.c.message}/${e.c.case}`;
    if (d.error !== undefined) decodeFailures.set(key, `Java decoder: ${d.error}`);
    else {
      const diffs = diffFields(e.c.fields, d.fields ?? [], e.c.message);
      if (diffs.length > 0) decodeFailures.set(key, firstLines(diffs));
    }
  });
  return { bytes: report(cases, byteFailures), javaDecode: report(cases, decodeFailures) };
}

function firstHexDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const byte = Math.floor(i / 2);
  const at = byte * 2;
  return (
    `bytes differ from offset ${byte} (java ${expected.length / 2} bytes, ours ${actual.length / 2}): ` +
    `java …${expected.slice(at, at + 32)}… ours …${actual.slice(at, at + 32)}…`
  );
}
