/**
 * Golden bytes for the flat path (`encodeX` / `decodeX` / `createXValues` in each `XFlat.ts`), against the cases
 * the real SBE Java codecs encode (see `sbe-golden.ts`):
 *
 * - decode: `decodeX` reads Java's bytes into one values object reused across every case of the message (groups
 *   grow and shrink in it), which must hold Java's values, and returns the message length;
 * - encode: values built from Java's field tree alone go through `encodeX` into a zeroed buffer; the bytes must be
 *   Java's bytes, and the returned length theirs.
 *
 * Values are plain numbers, so int64/uint64 follow the number contract of the README: a case is checked when each
 * of its 64-bit values is one the contract keeps exact (|v| <= 2^53, or a Long.MIN/MAX, uint64 max sentinel); the
 * other cases (seeded random 64-bit values) are checked on decode only, each such value against the double nearest.
 */
import {
  type CodecModule,
  diffFields,
  doubleBits,
  doubleFromBits,
  floatBits,
  floatFromBits,
  fromHex,
  type GoldenCase,
  type GoldenField,
  shapesByMessage,
  toHex,
} from './sbe-golden.ts';

const TWO_53 = 2n ** 53n;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

type Values = Record<string, unknown>;

/** The values key of a schema name: as written, or lower-first (an inline composite's member, as the flyweights). */
function keyOf(values: Values, name: string): string {
  if (name in values) return name;
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return lower in values ? lower : name;
}

function fn(mod: CodecModule, name: string): (...args: unknown[]) => unknown {
  const f = mod[name];
  if (typeof f !== 'function') throw new Error(`generated module has no function ${name}`);
  return (...args) => Reflect.apply(f, undefined, args) as unknown;
}

function isValues(x: unknown): x is Values {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether a 64-bit decimal value survives the number contract both ways. */
function numberSafe(text: string): boolean {
  const v = BigInt(text);
  return (v >= -TWO_53 && v <= TWO_53) || v === INT64_MAX || v === INT64_MIN || v === UINT64_MAX;
}

function bigOf(kind: string, n: number): string {
  if (kind === 'int64' && n === 2 ** 63) return INT64_MAX.toString();
  if (kind === 'uint64' && n === 2 ** 64) return UINT64_MAX.toString();
  return BigInt(n).toString();
}

/** Whether every 64-bit value in the tree is number safe. */
export function flatCoverable(fields: readonly GoldenField[]): boolean {
  return fields.every((f) => {
    switch (f.kind) {
      case 'int64':
      case 'uint64':
        return numberSafe(String(f.value));
      case 'array':
        return f.of !== 'int64' && f.of !== 'uint64'
          ? true
          : (f.value as unknown[]).every((v) => numberSafe(String(v)));
      case 'composite':
        return flatCoverable(f.value as GoldenField[]);
      case 'group':
        return (f.value as GoldenField[][]).every((entry) => flatCoverable(entry));
      default:
        return true;
    }
  });
}

/** Java's tree with each 64-bit value as the number contract reads it (the double nearest, sentinels mapped back). */
function asNumbers(fields: readonly GoldenField[]): GoldenField[] {
  return fields.map((f): GoldenField => {
    const wide = (kind: string | undefined, v: unknown): unknown =>
      kind === 'int64' || kind === 'uint64' ? bigOf(kind, Number(BigInt(String(v)))) : v;
    if (f.kind === 'int64' || f.kind === 'uint64') return { ...f, value: wide(f.kind, f.value) };
    if (f.kind === 'array') return { ...f, value: (f.value as unknown[]).map((v) => wide(f.of, v)) };
    if (f.kind === 'composite') return { ...f, value: asNumbers(f.value as GoldenField[]) };
    if (f.kind === 'group') return { ...f, value: (f.value as GoldenField[][]).map((e) => asNumbers(e)) };
    return f;
  });
}

/** The bit mask of set `type`'s choice `name`, found through the set's own flyweights. */
function choiceMask(mod: CodecModule, type: string, name: string): number {
  const Encoder = mod[`${type}Encoder`];
  const Decoder = mod[`${type}Decoder`];
  if (typeof Encoder !== 'function' || typeof Decoder !== 'function') throw new Error(`no set flyweights for ${type}`);
  const buffer = new Uint8Array(8);
  const enc = Reflect.construct(Encoder, []) as Record<string, (...a: unknown[]) => unknown>;
  const dec = Reflect.construct(Decoder, []) as Record<string, (...a: unknown[]) => unknown>;
  enc.wrap!.call(enc, buffer, 0);
  enc.clear!.call(enc);
  enc[name]!.call(enc, true);
  dec.wrap!.call(dec, buffer, 0);
  return dec.raw!.call(dec) as number;
}

function enumValue(mod: CodecModule, type: string | undefined, name: string): number {
  const e = type === undefined ? undefined : mod[type];
  if (!isValues(e) || typeof e[name] !== 'number') throw new Error(`no enum value ${String(type)}.${name}`);
  return e[name];
}

function enumName(mod: CodecModule, type: string | undefined, value: unknown): string {
  const e = type === undefined ? undefined : mod[type];
  if (!isValues(e)) throw new Error(`no enum ${String(type)}`);
  for (const [name, v] of Object.entries(e)) if (v === value) return name;
  return `?${String(value)}`;
}

function scalarIn(kind: string, v: unknown): number {
  switch (kind) {
    case 'int64':
    case 'uint64':
      return Number(BigInt(String(v)));
    case 'float':
      return floatFromBits(String(v));
    case 'double':
      return doubleFromBits(String(v));
    default:
      return Number(v);
  }
}

function scalarOut(kind: string, v: unknown): string | number {
  if (typeof v !== 'number') throw new Error(`expected a number, got ${typeof v}`);
  switch (kind) {
    case 'int64':
    case 'uint64':
      return bigOf(kind, v);
    case 'float':
      return floatBits(v);
    case 'double':
      return doubleBits(v);
    default:
      return v;
  }
}

/** Fills `target` (from `createXValues()` or a group element) with the values of Java's field tree. */
function fillValues(mod: CodecModule, target: Values, fields: readonly GoldenField[], path: string): void {
  for (const f of fields) {
    switch (f.kind) {
      case 'constant':
        break;
      case 'int':
      case 'int64':
      case 'uint64':
      case 'float':
      case 'double':
        target[f.name] = scalarIn(f.kind, f.value);
        break;
      case 'char':
      case 'varString':
        target[f.name] = String(f.value);
        break;
      case 'varBytes':
        target[f.name] = fromHex(String(f.value));
        break;
      case 'array':
        target[f.name] = (f.value as unknown[]).map((v) => scalarIn(f.of ?? 'int', v));
        break;
      case 'enum':
        target[f.name] = enumValue(mod, f.type, String(f.value));
        break;
      case 'set':
        target[f.name] = (f.value as string[]).reduce((bits, c) => bits | choiceMask(mod, String(f.type), c), 0) >>> 0;
        break;
      case 'composite': {
        const inner = target[keyOf(target, f.name)];
        if (!isValues(inner)) throw new Error(`${f.name}: no composite values`);
        fillValues(mod, inner, f.value as GoldenField[], path);
        break;
      }
      case 'group':
        target[f.name] = (f.value as GoldenField[][]).map((entry) => {
          const inner = `${path}${f.name.charAt(0).toUpperCase()}${f.name.slice(1)}`;
          const element = fn(mod, `create${inner}Values`)() as Values;
          fillValues(mod, element, entry, inner);
          return element;
        });
        break;
    }
  }
}

/** Reads `values` as a field tree shaped like `shape` (constants copied from the shape: they are not on the wire). */
function treeOf(mod: CodecModule, values: Values, shape: readonly GoldenField[]): GoldenField[] {
  return shape.map((s) => treeField(mod, values, s));
}

function treeField(mod: CodecModule, values: Values, s: GoldenField): GoldenField {
  const meta = { name: s.name, kind: s.kind, ...(s.type ? { type: s.type } : {}), ...(s.of ? { of: s.of } : {}) };
  const v = values[keyOf(values, s.name)];
  switch (s.kind) {
    case 'constant':
      return { ...meta, value: s.value };
    case 'int':
    case 'int64':
    case 'uint64':
    case 'float':
    case 'double':
      return { ...meta, value: scalarOut(s.kind, v) };
    case 'char':
    case 'varString':
      return { ...meta, value: v };
    case 'varBytes':
      return { ...meta, value: toHex(v as Uint8Array) };
    case 'array':
      return { ...meta, value: (v as number[]).map((e) => scalarOut(s.of ?? 'int', e)) };
    case 'enum':
      return { ...meta, value: enumName(mod, s.type, v) };
    case 'set':
      return {
        ...meta,
        value: (s.value as string[]).filter((c) => ((v as number) & choiceMask(mod, String(s.type), c)) !== 0),
      };
    case 'composite':
      return { ...meta, value: treeOf(mod, v as Values, s.value as GoldenField[]) };
    case 'group': {
      const entryShape = (s.value as GoldenField[][])[0] ?? [];
      return { ...meta, value: (v as Values[]).map((e) => treeOf(mod, e, entryShape)) };
    }
  }
}

export interface FlatReport {
  /** Cases checked both ways. */
  readonly checked: number;
  /**
   * Cases checked on decode only: a 64-bit value the number contract does not keep exact (they must read as the
   * double nearest Java's value); their bytes cannot come back from numbers.
   */
  readonly decodeOnly: number;
  /** Messages with at least one case checked and no failure. */
  readonly passed: ReadonlySet<string>;
  readonly failures: readonly string[];
}

/** Both directions of the flat path for every coverable case (see the module comment). */
export function checkFlatPath(mod: CodecModule, cases: readonly GoldenCase[]): FlatReport {
  const shapes = shapesByMessage(cases);
  const reused = new Map<string, Values>();
  const failures: string[] = [];
  const bad = new Set<string>();
  const seen = new Set<string>();
  let checked = 0;
  let decodeOnly = 0;
  for (const c of cases) {
    const exact = flatCoverable(c.fields);
    if (exact) checked++;
    else decodeOnly++;
    seen.add(c.message);
    const key = `${c.message}/${c.case}`;
    try {
      const create = fn(mod, `create${c.message}Values`);
      let out = reused.get(c.message);
      if (out === undefined) {
        out = create() as Values;
        reused.set(c.message, out);
      }
      const bytes = fromHex(c.hex);
      const read = fn(mod, `decode${c.message}`)(bytes, 0, out);
      const expected = exact ? c.fields : asNumbers(c.fields);
      const problems = diffFields(expected, treeOf(mod, out, shapes.get(c.message) ?? c.fields), c.message);
      if (read !== bytes.length) problems.push(`decode returned ${String(read)}, message is ${bytes.length}`);

      if (!exact) {
        if (problems.length > 0) throw new Error(problems.slice(0, 4).join('; '));
        continue;
      }
      const values = create() as Values;
      fillValues(mod, values, c.fields, c.message);
      const buffer = new Uint8Array(1 << 16);
      const written = fn(mod, `encode${c.message}`)(buffer, 0, values);
      const hex = toHex(buffer.subarray(0, bytes.length));
      if (hex !== c.hex) problems.push(`encoded bytes differ: java ${c.hex.slice(0, 80)}…, ours ${hex.slice(0, 80)}…`);
      if (written !== bytes.length) problems.push(`encode returned ${String(written)}, message is ${bytes.length}`);
      if (problems.length > 0) {
        failures.push(`${key}: ${problems.slice(0, 4).join('; ')}`);
        bad.add(c.message);
      }
    } catch (e) {
      failures.push(`${key}: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
      bad.add(c.message);
    }
  }
  return { checked, decodeOnly, passed: new Set([...seen].filter((m) => !bad.has(m))), failures };
}
