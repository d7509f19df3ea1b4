/**
 * The flat path of a message, `XFlat.ts` beside its flyweights: a plain values interface (`XValues`, one property
 * per field; groups as arrays of element values, composites as nested objects), `createXValues()`, and two
 * functions that do a whole message in one call:
 *
 * - `encodeX(buffer, offset, values)` writes the header, every field at its constant offset through one
 *   DataView, then groups and var data; returns the bytes written (header included);
 * - `decodeX(buffer, offset, out)` checks the header (template, schema, bounds), reads every field into `out`
 *   (reused: group element objects are kept and reused, arrays trimmed to the count) and returns the bytes read.
 *
 * Why: a flyweight round trip is ~20 small calls per message, which exhausts V8's inlining budget (see the README);
 * here every access is written out in one function body, so nothing depends on inlining. The bytes are the
 * flyweights' bytes (the golden tests hold both against SBE's Java). Versioning is the decoder's: the header's
 * block length and version are honoured, a field newer than the sender's version reads as its null value (var data
 * as empty, groups with no elements).
 */
import { CodeWriter } from './code-writer.ts';
import type { FileHeader } from './emit-header.ts';
import { decodeFunction, encodeFunction, fixedEndExpr, isStandardHeader } from './emit-message.ts';
import type { GeneratedFile } from './emit-types.ts';
import { Imports } from './imports.ts';
import type { Block, FixedField, Group, Message, PrimitiveInfo, Schema, TypeDef, VarDataField } from './ir.ts';
import { camel, numberExpr, pascal, str } from './names.ts';
import { SchemaError } from './schema-error.ts';

const LINE_WIDTH = 120;

/** A value type or initial value: a one-line text, or an object of named parts (rendered on one line if it fits). */
type Node = string | { readonly parts: readonly (readonly [string, Node])[] };

interface FlatContext {
  readonly w: CodeWriter;
  readonly imports: Imports;
  readonly le: boolean;
  /** Counter for unique local names (`a3`, `e4`, ...). */
  next: number;
}

function fresh(ctx: FlatContext, prefix: string): string {
  ctx.next++;
  return `${prefix}${ctx.next}`;
}

function plus(base: string, n: number): string {
  return n === 0 ? base : `${base} + ${n}`;
}

function is64(p: PrimitiveInfo): boolean {
  return p.view === 'Int64' || p.view === 'Uint64';
}

function onWire(fields: readonly FixedField[]): FixedField[] {
  return fields.filter((f) => f.presence !== 'constant');
}

function valuesName(path: string): string {
  return `${path}Values`;
}

// ---------------------------------------------------------------------------------------------------------------
// Types and initial values

function typeNode(ctx: FlatContext, t: TypeDef): Node {
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) return 'number';
      return t.primitive.name === 'char' ? 'string' : 'number[]';
    case 'enum':
      ctx.imports.type(`./${t.name}.ts`, t.name);
      return t.name;
    case 'set':
      return 'number';
    case 'composite':
      return { parts: onWire(t.members).map((m) => [m.name, typeNode(ctx, m.type)] as const) };
  }
}

/** The value a field starts with in `createXValues()`, and what it reads as when the sender is older. */
function nullNode(ctx: FlatContext, f: FixedField): Node {
  const t = f.type;
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) return numberExpr(f.nullValue);
      if (t.primitive.name === 'char') return "''";
      return `Array.from({ length: ${t.length} }, () => ${numberExpr(f.nullValue)})`;
    case 'enum':
      ctx.imports.value(`./${t.name}.ts`, t.name);
      return `${t.name}.NULL_VAL`;
    case 'set':
      return '0';
    case 'composite':
      return { parts: onWire(t.members).map((m) => [m.name, nullNode(ctx, m)] as const) };
  }
}

function inline(node: Node, sep: string): string {
  if (typeof node === 'string') return node;
  if (node.parts.length === 0) return '{}';
  return `{ ${node.parts.map(([k, v]) => `${k}: ${inline(v, sep)}`).join(`${sep} `)} }`;
}

/**
 * Writes `key: node<end>` as Biome formats it: on one line when it fits, else the object's parts one per line.
 * `sep` is `;` in a type, `,` in an object literal.
 */
function emitPart(w: CodeWriter, indent: number, key: string, node: Node, sep: string, end: string): void {
  const one = `${key}: ${inline(node, sep)}${end}`;
  if (typeof node === 'string' || indent + one.length <= LINE_WIDTH) {
    w.line(one);
    return;
  }
  w.open(
    `${key}: {`,
    () => {
      for (const [k, v] of node.parts) emitPart(w, indent + 2, k, v, sep, sep);
    },
    `}${end}`,
  );
}

function emitValuesInterface(ctx: FlatContext, b: Block, path: string, doc: string): void {
  const w = ctx.w;
  w.doc(doc);
  w.block(`export interface ${valuesName(path)}`, () => {
    for (const f of onWire(b.fields)) {
      const since = f.sinceVersion > 0 ? ` Since version ${f.sinceVersion}: null when the sender is older.` : '';
      w.doc(f.description !== '' ? `${f.description}${since}` : `Field \`${f.name}\` (id ${f.id}).${since}`);
      emitPart(w, 2, f.name, typeNode(ctx, f.type), ';', ';');
    }
    for (const g of b.groups) {
      w.doc(`Group \`${g.name}\`: its entries in wire order.`);
      w.line(`${g.name}: ${valuesName(`${path}${pascal(g.name)}`)}[];`);
    }
    for (const d of b.data) {
      w.doc(`Var data \`${d.name}\`${d.characterEncoding === null ? ' (bytes)' : ` (${d.characterEncoding})`}.`);
      w.line(`${d.name}: ${d.characterEncoding === null ? 'Uint8Array' : 'string'};`);
    }
  });
  w.line();
}

function emitFactory(ctx: FlatContext, b: Block, path: string, exported: boolean): void {
  const w = ctx.w;
  const name = `create${path}Values`;
  const parts: (readonly [string, Node])[] = onWire(b.fields).map((f) => [f.name, nullNode(ctx, f)] as const);
  for (const g of b.groups) parts.push([g.name, '[]']);
  for (const d of b.data) parts.push([d.name, d.characterEncoding === null ? 'new Uint8Array(0)' : "''"]);
  w.doc(
    exported
      ? 'Values with every field at its null value (var data empty, groups empty), to fill and reuse.'
      : 'A group element with every field at its null value (what `decode` adds when the group grows).',
  );
  w.block(`export function ${name}(): ${valuesName(path)}`, () => {
    const one = `return ${inline({ parts }, ',')};`;
    if (4 + one.length <= LINE_WIDTH) w.line(one);
    else {
      w.open(
        'return {',
        () => {
          for (const [k, v] of parts) emitPart(w, 4, k, v, ',', ',');
        },
        '};',
      );
    }
  });
  w.line();
}

function emitTypes(ctx: FlatContext, b: Block, path: string, doc: string): void {
  for (const g of b.groups) {
    const inner = `${path}${pascal(g.name)}`;
    emitTypes(ctx, g, inner, `One element of group \`${g.name}\` of ${path}.`);
  }
  emitValuesInterface(ctx, b, path, doc);
}

function emitGroupFactories(ctx: FlatContext, b: Block, path: string): void {
  for (const g of b.groups) {
    const inner = `${path}${pascal(g.name)}`;
    emitGroupFactories(ctx, g, inner);
    emitFactory(ctx, g, inner, false);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

function readExpr(ctx: FlatContext, p: PrimitiveInfo, base: string, n: number): string {
  const le = String(ctx.le);
  if (is64(p)) {
    const hi = plus(base, ctx.le ? n + 4 : n);
    const lo = plus(base, ctx.le ? n : n + 4);
    const high = p.view === 'Int64' ? 'getInt32' : 'getUint32';
    return `view.${high}(${hi}, ${le}) * 4294967296 + view.getUint32(${lo}, ${le})`;
  }
  if (p.size === 1) return `view.get${p.view}(${plus(base, n)})`;
  return `view.get${p.view}(${plus(base, n)}, ${le})`;
}

function emitNullAssign(ctx: FlatContext, f: FixedField, target: string): void {
  const t = f.type;
  if (t.kind === 'encoded' && t.length > 1 && t.primitive.name !== 'char') {
    ctx.w.line(`${target}.fill(${numberExpr(f.nullValue)});`);
  } else if (t.kind === 'composite') {
    for (const m of onWire(t.members)) emitNullAssign(ctx, m, `${target}.${m.name}`);
  } else {
    ctx.w.line(`${target} = ${inline(nullNode(ctx, f), ',')};`);
  }
}

function emitReadField(ctx: FlatContext, f: FixedField, target: string, base: string, offset: number): void {
  const w = ctx.w;
  const t = f.type;
  const n = offset + f.offset;
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) w.line(`${target} = ${readExpr(ctx, t.primitive, base, n)};`);
      else if (t.primitive.name === 'char') {
        ctx.imports.runtime('decodeCharArray');
        const encoding = str(t.characterEncoding ?? 'US-ASCII');
        w.line(`${target} = decodeCharArray(${encoding}, buffer, ${plus(base, n)}, ${t.length});`);
      } else {
        const a = fresh(ctx, 'a');
        w.line(`const ${a} = ${target};`);
        w.block(`for (let i = 0; i < ${t.length}; i++)`, () => {
          w.line(`${a}[i] = ${readExpr(ctx, t.primitive, `${base} + i * ${t.primitive.size}`, n)};`);
        });
      }
      return;
    case 'enum':
      ctx.imports.value(`./${t.name}.ts`, `${camel(t.name)}Of`);
      w.line(`${target} = ${camel(t.name)}Of(${readExpr(ctx, t.encoding, base, n)});`);
      return;
    case 'set':
      w.line(`${target} = ${readExpr(ctx, t.encoding, base, n)};`);
      return;
    case 'composite': {
      const c = fresh(ctx, 'c');
      w.line(`const ${c} = ${target};`);
      for (const m of onWire(t.members)) emitReadField(ctx, m, `${c}.${m.name}`, base, n);
      return;
    }
  }
}

function emitReadFields(ctx: FlatContext, b: Block, target: string, base: string): void {
  for (const f of onWire(b.fields)) {
    if (f.sinceVersion === 0) emitReadField(ctx, f, `${target}.${f.name}`, base, 0);
    else {
      ctx.w.block(
        `if (actingVersion >= ${f.sinceVersion})`,
        () => emitReadField(ctx, f, `${target}.${f.name}`, base, 0),
        '} else {',
      );
      ctx.w.open('', () => emitNullAssign(ctx, f, `${target}.${f.name}`), '}');
    }
  }
}

function dimension(g: Group): { blockLength: FixedField; count: FixedField; bp: PrimitiveInfo; cp: PrimitiveInfo } {
  const { blockLength, numInGroup } = g.dimension;
  if (blockLength.type.kind !== 'encoded' || numInGroup.type.kind !== 'encoded') {
    throw new SchemaError('SCHEMA_INVALID', `group ${g.name}: its dimension type needs blockLength and numInGroup`);
  }
  return { blockLength, count: numInGroup, bp: blockLength.type.primitive, cp: numInGroup.type.primitive };
}

function versioned(ctx: FlatContext, since: number, body: () => void, otherwise: () => void): void {
  if (since === 0) {
    body();
    return;
  }
  ctx.w.block(`if (actingVersion >= ${since})`, body, '} else {');
  ctx.w.open('', otherwise, '}');
}

function emitReadGroup(ctx: FlatContext, g: Group, target: string, path: string): void {
  const w = ctx.w;
  const { blockLength, count, bp, cp } = dimension(g);
  const hs = g.dimension.type.encodedLength;
  const inner = `${path}${pascal(g.name)}`;
  versioned(
    ctx,
    g.sinceVersion,
    () => {
      const bl = fresh(ctx, 'bl');
      const k = bl.slice(2);
      const [nn, arr, i, e, o] = [`n${k}`, `g${k}`, `i${k}`, `e${k}`, `o${k}`];
      w.line(`if (limit + ${hs} > capacity) shortBuffer(capacity, limit, ${hs});`);
      w.line(`const ${bl} = ${readExpr(ctx, bp, 'limit', blockLength.offset)};`);
      w.line(`const ${nn} = ${readExpr(ctx, cp, 'limit', count.offset)};`);
      w.line(`limit += ${hs};`);
      w.line(`const ${arr} = ${target};`);
      w.block(`for (let ${i} = 0; ${i} < ${nn}; ${i}++)`, () => {
        w.line(`let ${e} = ${arr}[${i}];`);
        w.block(`if (${e} === undefined)`, () => {
          w.line(`${e} = create${inner}Values();`);
          w.line(`${arr}.push(${e});`);
        });
        const fixedEnd = fixedEndExpr(g);
        const need = fixedEnd === '0' ? bl : `Math.max(${bl}, ${fixedEnd})`;
        if (fixedEnd === '0') w.line(`if (limit + ${bl} > capacity) shortBuffer(capacity, limit, ${bl});`);
        else {
          w.line(`const need = ${need};`);
          w.line('if (limit + need > capacity) shortBuffer(capacity, limit, need);');
        }
        w.line(`const ${o} = limit;`);
        w.line(`limit += ${bl};`);
        emitReadFields(ctx, g, e, o);
        for (const inner2 of g.groups) emitReadGroup(ctx, inner2, `${e}.${inner2.name}`, inner);
        for (const d of g.data) emitReadData(ctx, d, `${e}.${d.name}`);
      });
      w.line(`${arr}.length = ${nn};`);
    },
    () => w.line(`${target}.length = 0;`),
  );
}

function emitReadData(ctx: FlatContext, d: VarDataField, target: string): void {
  const w = ctx.w;
  const h = d.headerLength;
  versioned(
    ctx,
    d.sinceVersion,
    () => {
      w.line(`if (limit + ${h} > capacity) shortBuffer(capacity, limit, ${h});`);
      w.line(`length = ${readExpr(ctx, d.lengthPrimitive, 'limit', 0)};`);
      w.line(`start = limit + ${h};`);
      w.line('limit = start + length;');
      w.line('if (limit > capacity) shortBuffer(capacity, start, length);');
      if (d.characterEncoding === null) w.line(`${target} = buffer.slice(start, limit);`);
      else {
        const decode = decodeFunction(d.characterEncoding);
        ctx.imports.runtime(decode);
        w.line(`${target} = ${decode}(buffer, start, limit);`);
      }
    },
    () => w.line(`${target} = ${d.characterEncoding === null ? 'new Uint8Array(0)' : "''"};`),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

function emitWriteValue(ctx: FlatContext, p: PrimitiveInfo, base: string, n: number, value: string): void {
  const w = ctx.w;
  const le = String(ctx.le);
  if (!is64(p)) {
    const at = plus(base, n);
    w.line(p.size === 1 ? `view.set${p.view}(${at}, ${value});` : `view.set${p.view}(${at}, ${value}, ${le});`);
    return;
  }
  // An int32 (uint32 for uint64), the usual id or count, goes in as two words at once; anything else as the
  // flyweights' setters do it: two 32-bit words when the high word fits, else the runtime's exact helper.
  const signed = p.view === 'Int64';
  const fn = signed ? 'setInt64' : 'setUint64';
  ctx.imports.runtime(fn);
  const hiAt = plus(base, ctx.le ? n + 4 : n);
  const loAt = plus(base, ctx.le ? n : n + 4);
  w.line(`whole = ${value};`);
  w.block(
    signed ? 'if ((whole | 0) === whole)' : 'if (whole >>> 0 === whole)',
    () => {
      w.line(`view.set${signed ? 'Int32' : 'Uint32'}(${loAt}, whole, ${le});`);
      w.line(signed ? `view.setInt32(${hiAt}, whole >> 31, ${le});` : `view.setUint32(${hiAt}, 0, ${le});`);
    },
    '} else {',
  );
  w.open(
    '',
    () => {
      w.line('whole = Math.floor(whole);');
      w.line('lo = whole >>> 0;');
      // Times 2^-32, exact as the division by 2^32 is (a power of two), and cheaper.
      w.line('hi = (whole - lo) * 2.3283064365386963e-10;');
      w.block(
        signed ? 'if ((hi | 0) === hi)' : 'if (hi >>> 0 === hi)',
        () => {
          w.line(`view.set${signed ? 'Int32' : 'Uint32'}(${hiAt}, hi, ${le});`);
          w.line(`view.setUint32(${loAt}, lo, ${le});`);
        },
        '} else {',
      );
      w.line(`  ${fn}(view, ${plus(base, n)}, ${value}, ${le});`);
      w.line('}');
    },
    '}',
  );
}

function emitWriteField(ctx: FlatContext, f: FixedField, source: string, base: string, offset: number): void {
  const w = ctx.w;
  const t = f.type;
  const n = offset + f.offset;
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) emitWriteValue(ctx, t.primitive, base, n, source);
      else if (t.primitive.name === 'char') {
        ctx.imports.runtime('encodeCharArray');
        const encoding = str(t.characterEncoding ?? 'US-ASCII');
        w.line(`encodeCharArray(${encoding}, ${source}, buffer, ${plus(base, n)}, ${t.length});`);
      } else {
        const a = fresh(ctx, 'a');
        w.line(`const ${a} = ${source};`);
        w.block(`for (let i = 0; i < ${t.length}; i++)`, () => {
          w.line(`const value = ${a}[i] ?? 0;`);
          emitWriteValue(ctx, t.primitive, `${base} + i * ${t.primitive.size}`, n, 'value');
        });
      }
      return;
    case 'enum':
    case 'set':
      emitWriteValue(ctx, t.encoding, base, n, source);
      return;
    case 'composite': {
      const c = fresh(ctx, 'c');
      w.line(`const ${c} = ${source};`);
      for (const m of onWire(t.members)) emitWriteField(ctx, m, `${c}.${m.name}`, base, n);
      return;
    }
  }
}

function emitWriteGroup(ctx: FlatContext, g: Group, source: string): void {
  const w = ctx.w;
  const { blockLength, count, bp, cp } = dimension(g);
  const hs = g.dimension.type.encodedLength;
  const arr = fresh(ctx, 'g');
  const k = arr.slice(1);
  const [nn, e, o] = [`n${k}`, `e${k}`, `o${k}`];
  const max = g.dimension.maxCount;
  ctx.imports.runtime('badLength');
  w.line(`const ${arr} = ${source};`);
  w.line(`const ${nn} = ${arr}.length;`);
  w.line(`if (${nn} > ${max}) badLength(${str(g.name)}, ${nn}, ${max});`);
  w.line(`if (limit + ${hs} > capacity) shortBuffer(capacity, limit, ${hs});`);
  emitWriteValue(ctx, bp, 'limit', blockLength.offset, String(g.blockLength));
  emitWriteValue(ctx, cp, 'limit', count.offset, nn);
  w.line(`limit += ${hs};`);
  w.block(`for (const ${e} of ${arr})`, () => {
    w.line(`if (limit + ${g.blockLength} > capacity) shortBuffer(capacity, limit, ${g.blockLength});`);
    w.line(`const ${o} = limit;`);
    w.line(`limit += ${g.blockLength};`);
    for (const f of onWire(g.fields)) emitWriteField(ctx, f, `${e}.${f.name}`, o, 0);
    for (const inner of g.groups) emitWriteGroup(ctx, inner, `${e}.${inner.name}`);
    for (const d of g.data) emitWriteData(ctx, d, `${e}.${d.name}`);
  });
}

function emitWriteData(ctx: FlatContext, d: VarDataField, source: string): void {
  const w = ctx.w;
  const h = d.headerLength;
  const v = fresh(ctx, 'v');
  const name = str(d.name);
  w.line(`const ${v} = ${source};`);
  if (d.characterEncoding === null) {
    ctx.imports.runtime('copyIn');
    w.line(`length = ${v}.length;`);
    ctx.imports.runtime('badLength');
    w.line(`if (length > ${d.maxLength}) badLength(${name}, length, ${d.maxLength});`);
    w.line(`copyIn(${v}, 0, buffer, view, limit, ${h}, length);`);
    emitWriteValue(ctx, d.lengthPrimitive, 'limit', 0, 'length');
    w.line(`limit += ${h} + length;`);
    return;
  }
  const utf8 = d.characterEncoding === 'UTF-8';
  if (utf8) ctx.imports.runtime('encodedTextLength');
  w.line(utf8 ? `length = encodedTextLength('UTF-8', ${v});` : `length = ${v}.length;`);
  if (utf8 || d.maxLength < 2 ** 29) {
    ctx.imports.runtime('badLength');
    w.line(`if (length > ${d.maxLength}) badLength(${name}, length, ${d.maxLength});`);
  }
  w.line(`start = limit + ${h};`);
  w.line(`if (start + length > capacity) shortBuffer(capacity, limit, ${h} + length);`);
  emitWriteValue(ctx, d.lengthPrimitive, 'limit', 0, 'length');
  const encode = utf8 ? 'encodeText' : encodeFunction(d.characterEncoding);
  if (encode === 'encodeAscii') {
    ctx.imports.runtime('encodeAsciiView');
    w.line(`encodeAsciiView(${v}, buffer, view, start);`);
  } else if (utf8) {
    ctx.imports.runtime('encodeText');
    w.line(`encodeText('UTF-8', ${v}, buffer, start);`);
  } else {
    ctx.imports.runtime(encode);
    w.line(`${encode}(${v}, buffer, start);`);
  }
  w.line('limit = start + length;');
}

// ---------------------------------------------------------------------------------------------------------------
// The functions

/** `head(params): number {` on one line when it fits, else one parameter per line (as Biome writes it). */
function signature(w: CodeWriter, head: string, params: readonly string[], body: () => void): void {
  const one = `${head}(${params.join(', ')}): number {`;
  if (one.length <= LINE_WIDTH) w.block(one.slice(0, -2), body);
  else {
    w.line(`${head}(`);
    for (const p of params) w.line(`  ${p},`);
    w.block('): number', body);
  }
}

/** The body of a function written at depth 1: `emit` writes into a scratch writer, the lines are returned. */
function bodyLines(ctx: FlatContext, emit: (inner: FlatContext) => void): string[] {
  const scratch = new CodeWriter();
  const inner: FlatContext = { ...ctx, w: scratch };
  scratch.block('x', () => emit(inner));
  ctx.next = inner.next;
  const lines = scratch.toString().split('\n');
  return lines.slice(1, lines.length - 2);
}

function headerMember(schema: Schema, name: string): { field: FixedField; p: PrimitiveInfo } {
  const field = schema.headerType.members.find((m) => m.name === name);
  if (field === undefined || field.type.kind !== 'encoded')
    throw new SchemaError('SCHEMA_INVALID', `the header composite has no ${name}`);
  return { field, p: field.type.primitive };
}

/** Declarations a body needs, put in front of it (only those it uses, so Biome finds nothing unused). */
function declarations(body: readonly string[], candidates: readonly (readonly [RegExp, string])[]): string[] {
  const text = body.join('\n');
  return candidates.filter(([used]) => used.test(text)).map(([, declaration]) => `  ${declaration}`);
}

function emitEncode(ctx: FlatContext, schema: Schema, m: Message): void {
  const w = ctx.w;
  const hl = schema.headerType.encodedLength;
  ctx.imports.runtime('bufferView');
  ctx.imports.runtime('shortBuffer');
  const body = bodyLines(ctx, (c) => {
    const values: Record<string, number> = {
      blockLength: m.blockLength,
      templateId: m.id,
      schemaId: schema.id,
      version: schema.version,
    };
    if (isStandardHeader(schema, values)) {
      // Four uint16 constants: two 32-bit words.
      const word = (a: number, b: number): string =>
        `0x${(c.le ? a + b * 0x10000 : a * 0x10000 + b).toString(16).padStart(8, '0')}`;
      c.w.line(`// blockLength ${m.blockLength}, templateId ${m.id}, schemaId ${schema.id}, version ${schema.version}`);
      c.w.line(`view.setUint32(offset, ${word(m.blockLength, m.id)}, ${String(c.le)});`);
      c.w.line(`view.setUint32(offset + 4, ${word(schema.id, schema.version)}, ${String(c.le)});`);
    } else {
      for (const [name, value] of Object.entries(values)) {
        const { field, p } = headerMember(schema, name);
        emitWriteValue(c, p, 'offset', field.offset, String(value));
      }
    }
    for (const f of onWire(m.fields)) emitWriteField(c, f, `values.${f.name}`, 'o', 0);
    for (const g of m.groups) emitWriteGroup(c, g, `values.${g.name}`);
    for (const d of m.data) emitWriteData(c, d, `values.${d.name}`);
  });
  const varying = m.groups.length > 0 || m.data.length > 0;
  w.doc(
    `Writes ${m.name} (header and body) at \`buffer[offset]\` from \`values\`; returns the bytes written.`,
    'Throws CodecError SHORT_BUFFER when it does not fit, BAD_LENGTH for var data or a group too long.',
  );
  signature(
    w,
    `export function encode${m.name}`,
    ['buffer: Uint8Array', 'offset: number', `values: ${m.name}Values`],
    () => {
      w.line('const view = bufferView(buffer);');
      w.line('const capacity = buffer.length;');
      w.line(`const o = offset + ${hl};`);
      w.line(
        `if (offset < 0 || o + ${m.blockLength} > capacity) shortBuffer(capacity, offset, ${hl + m.blockLength});`,
      );
      for (const l of declarations(body, [
        [/\blimit\b/, `let limit = o + ${m.blockLength};`],
        [/(^|[^.\w])length\b/, 'let length = 0;'],
        [/\bstart\b/, 'let start = 0;'],
        [/\bwhole\b/, 'let whole = 0;'],
        [/\blo\b/, 'let lo = 0;'],
        [/\bhi\b/, 'let hi = 0;'],
      ])) {
        w.line(l.trim());
      }
      for (const l of body) w.line(l.startsWith('  ') ? l.slice(2) : l);
      w.line(varying ? 'return limit - offset;' : `return ${hl + m.blockLength};`);
    },
  );
  w.line();
}

function emitDecode(ctx: FlatContext, schema: Schema, m: Message): void {
  const w = ctx.w;
  const hl = schema.headerType.encodedLength;
  ctx.imports.runtime('wrongTemplate');
  ctx.imports.runtime('wrongSchema');
  const body = bodyLines(ctx, (c) => {
    emitReadFields(c, m, 'out', 'o');
    for (const g of m.groups) emitReadGroup(c, g, `out.${g.name}`, m.name);
    for (const d of m.data) emitReadData(c, d, `out.${d.name}`);
  });
  const read = (name: string): string => {
    const { field, p } = headerMember(schema, name);
    return readExpr(ctx, p, 'offset', field.offset);
  };
  const fixedEnd = fixedEndExpr(m);
  const mutable = m.groups.length > 0 || m.data.length > 0;
  w.doc(
    `Reads ${m.name} (header and body) at \`buffer[offset]\` into \`out\`; returns the bytes read.`,
    'Fields newer than the sender read as their null value. Throws CodecError WRONG_TEMPLATE or WRONG_SCHEMA for',
    'another message, SHORT_BUFFER when the message does not fit, UNKNOWN_ENUM_VALUE for a value the schema lacks.',
  );
  signature(
    w,
    `export function decode${m.name}`,
    ['buffer: Uint8Array', 'offset: number', `out: ${m.name}Values`],
    () => {
      w.line('const view = bufferView(buffer);');
      w.line('const capacity = buffer.length;');
      w.line(`if (offset < 0 || offset + ${hl} > capacity) shortBuffer(capacity, offset, ${hl});`);
      w.line(`const templateId = ${read('templateId')};`);
      w.line(`if (templateId !== ${m.id}) wrongTemplate(${m.id}, templateId);`);
      w.line(`const schemaId = ${read('schemaId')};`);
      w.line(`if (schemaId !== ${schema.id}) wrongSchema(${schema.id}, schemaId);`);
      w.line(`const actingBlockLength = ${read('blockLength')};`);
      const usesVersion = /\bactingVersion\b/.test(body.join('\n')) || fixedEnd.includes('actingVersion');
      if (usesVersion) w.line(`const actingVersion = ${read('version')};`);
      w.line(`const o = offset + ${hl};`);
      w.line(`${mutable ? 'let' : 'const'} limit = o + actingBlockLength;`);
      if (fixedEnd === '0') w.line('if (limit > capacity) shortBuffer(capacity, o, actingBlockLength);');
      else {
        w.line(`const fixedLength = ${fixedEnd};`);
        w.block('if (limit > capacity || o + fixedLength > capacity)', () =>
          w.line('shortBuffer(capacity, o, Math.max(actingBlockLength, fixedLength));'),
        );
      }
      for (const l of declarations(body, [
        [/(^|[^.\w])length\b/, 'let length = 0;'],
        [/\bstart\b/, 'let start = 0;'],
      ])) {
        w.line(l.trim());
      }
      for (const l of body) w.line(l.startsWith('  ') ? l.slice(2) : l);
      w.line('return limit - offset;');
    },
  );
  w.line();
}

/** `XFlat.ts` for message `m`: its values types, `createXValues`, `encodeX` and `decodeX`. */
export function emitFlat(schema: Schema, header: FileHeader, m: Message): GeneratedFile {
  const imports = new Imports(header.runtimePath);
  const w = new CodeWriter();
  const ctx: FlatContext = { w, imports, le: header.littleEndian, next: 0 };
  emitTypes(
    ctx,
    m,
    m.name,
    `Every field of ${m.name} as a plain value, for \`encode${m.name}\` and \`decode${m.name}\`.`,
  );
  emitFactory(ctx, m, m.name, true);
  emitGroupFactories(ctx, m, m.name);
  emitEncode(ctx, schema, m);
  emitDecode(ctx, schema, m);
  const body = w.toString();
  return { name: `${m.name}Flat.ts`, content: `${header.text}${imports.render().join('\n')}\n\n${body}` };
}
