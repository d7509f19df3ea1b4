/**
 * Accessors for fixed-block fields, shared by message, group and composite flyweights.
 *
 * Every flyweight has `sbeBuffer` (Uint8Array), `sbeView` (DataView over the same bytes) and `sbeOffset`;
 * message and group decoders also have `sbeActingVersion`, which gates fields newer than the sender.
 */
import type { CodeWriter } from './code-writer.ts';
import type { Imports } from './imports.ts';
import type { EncodedType, FixedField, PrimitiveInfo } from './ir.ts';
import { bigintExpr, camel, numberExpr, pascal, str } from './names.ts';

export interface FieldContext {
  readonly w: CodeWriter;
  readonly imports: Imports;
  readonly littleEndian: boolean;
  /** True in message and group decoders: fields newer than `sbeActingVersion` read as null. */
  readonly versioned: boolean;
}

export function typeFile(name: string): string {
  return `./${name}.ts`;
}

export function decoderClass(typeName: string): string {
  return `${pascal(typeName)}Decoder`;
}

export function encoderClass(typeName: string): string {
  return `${pascal(typeName)}Encoder`;
}

function at(offset: number): string {
  return offset === 0 ? 'this.sbeOffset' : `this.sbeOffset + ${offset}`;
}

function is64(p: PrimitiveInfo): boolean {
  return p.size === 8 && p.name !== 'double';
}

/** An expression reading primitive `p` at `where`. */
export function readExpr(ctx: FieldContext, p: PrimitiveInfo, where: string): string {
  const le = String(ctx.littleEndian);
  if (p.view === 'Int64' || p.view === 'Uint64') {
    const fn = p.view === 'Int64' ? 'getInt64' : 'getUint64';
    ctx.imports.runtime(fn);
    return `${fn}(this.sbeView, ${where}, ${le})`;
  }
  if (p.size === 1) return `this.sbeView.get${p.view}(${where})`;
  return `this.sbeView.get${p.view}(${where}, ${le})`;
}

export function writeStmt(ctx: FieldContext, p: PrimitiveInfo, where: string, value: string): string {
  const le = String(ctx.littleEndian);
  if (p.view === 'Int64' || p.view === 'Uint64') {
    const fn = p.view === 'Int64' ? 'setInt64' : 'setUint64';
    ctx.imports.runtime(fn);
    return `${fn}(this.sbeView, ${where}, ${value}, ${le});`;
  }
  if (p.size === 1) return `this.sbeView.set${p.view}(${where}, ${value});`;
  return `this.sbeView.set${p.view}(${where}, ${value}, ${le});`;
}

/**
 * Writes `return <read of p at where>;`. A 64-bit value is read inline as two 32-bit words,
 * `hi * 2^32 + lo` (the same arithmetic as `getInt64`/`getUint64` in the runtime): a call V8 does not
 * inline returns a boxed heap number for a double outside the Smi range, which allocates per read.
 */
export function emitReturnRead(ctx: FieldContext, p: PrimitiveInfo, where: string): void {
  if (p.view !== 'Int64' && p.view !== 'Uint64') {
    ctx.w.line(`return ${readExpr(ctx, p, where)};`);
    return;
  }
  const le = ctx.littleEndian;
  const hi = le ? 'offset + 4' : 'offset';
  const lo = le ? 'offset' : 'offset + 4';
  // One load of the view (a local) instead of two: smaller bytecode, so V8 inlines more accessors.
  ctx.w.line('const view = this.sbeView;');
  ctx.w.line(`const offset = ${where};`);
  ctx.w.line(
    `return view.get${p.view === 'Int64' ? 'Int32' : 'Uint32'}(${hi}, ${le}) * 4294967296 + view.getUint32(${lo}, ${le});`,
  );
}

/**
 * Writes the statements storing `value` as primitive `p` at `where`. A 64-bit value whose high word fits
 * is written inline as two 32-bit words: `whole = floor(value)`, `lo = whole >>> 0` (ToUint32 is exact
 * modulo 2^32 for any integral double), `hi = (whole - lo) / 2^32` (a multiple of 2^32 within 2^32 of
 * `whole`, so exact), taken when `hi` is an int32 (`(hi | 0) === hi`; uint32 for uint64), which also
 * sends NaN and the infinities away. Flooring first keeps tiny negative fractions from rounding `lo` to
 * 2^32. Saturation (Long.MAX/MIN, uint64 max), wrap-around and NaN go through the runtime's
 * `setInt64`/`setUint64`, so the bytes are the ones documented there. Inline, not a helper call: a
 * helper V8 does not inline boxes a double argument outside the Smi range; and small (one `Math.floor`,
 * one view load, an `|`-based range check) because V8 inlines accessors against a bytecode budget.
 */
export function emitWrite(ctx: FieldContext, p: PrimitiveInfo, where: string, value: string): void {
  const w = ctx.w;
  if (p.view !== 'Int64' && p.view !== 'Uint64') {
    w.line(writeStmt(ctx, p, where, value));
    return;
  }
  const le = ctx.littleEndian;
  const signed = p.view === 'Int64';
  const fn = signed ? 'setInt64' : 'setUint64';
  ctx.imports.runtime(fn);
  const hi = le ? 'offset + 4' : 'offset';
  const lo = le ? 'offset' : 'offset + 4';
  w.line('const view = this.sbeView;');
  w.line(`const offset = ${where};`);
  w.line(`const whole = Math.floor(${value});`);
  w.line('const lo = whole >>> 0;');
  w.line('const hi = (whole - lo) / 4294967296;');
  w.block(
    signed ? 'if ((hi | 0) === hi)' : 'if (hi >>> 0 === hi)',
    () => {
      w.line(`view.set${signed ? 'Int32' : 'Uint32'}(${hi}, hi, ${le});`);
      w.line(`view.setUint32(${lo}, lo, ${le});`);
    },
    '} else {',
  );
  w.line(`  ${fn}(view, offset, ${value}, ${le});`);
  w.line('}');
}

/**
 * The body of a fixed-length flyweight's `wrap(buffer, offset)`: the bounds check written out with the
 * constant length (the error built out of line in `shortBuffer`), and the view of a new buffer cached by
 * `sbeRewrap` (see `emitRewrap`), so the hot path's bytecode stays small: V8 inlines against a budget.
 */
export function emitFixedWrapBody(w: CodeWriter, imports: Imports, length: number, limitField: boolean): void {
  imports.runtime('shortBuffer');
  w.line(`const end = offset + ${length};`);
  w.line(`if (offset < 0 || end > buffer.length) shortBuffer(buffer.length, offset, ${length});`);
  w.line('if (buffer !== this.sbeBuffer) this.sbeRewrap(buffer);');
  w.line('this.sbeOffset = offset;');
  if (limitField) w.line('this.sbeLimit = end;');
  w.line('return this;');
}

/** `sbeRewrap(buffer)`: caches `buffer` and a view of it, out of `wrap`'s hot path (it runs once per buffer). */
export function emitRewrap(w: CodeWriter, imports: Imports): void {
  imports.runtime('viewOf');
  w.block('private sbeRewrap(buffer: Uint8Array): void', () => {
    w.line('this.sbeBuffer = buffer;');
    w.line('this.sbeView = viewOf(buffer);');
  });
  w.line();
}

function bigReadExpr(ctx: FieldContext, p: PrimitiveInfo, where: string): string {
  return `this.sbeView.get${p.view === 'Int64' ? 'BigInt64' : 'BigUint64'}(${where}, ${String(ctx.littleEndian)})`;
}

function bigWriteStmt(ctx: FieldContext, p: PrimitiveInfo, where: string, value: string): string {
  return `this.sbeView.set${p.view === 'Int64' ? 'BigInt64' : 'BigUint64'}(${where}, ${value}, ${String(ctx.littleEndian)});`;
}

function guard(ctx: FieldContext, f: FixedField, nullValue: string): void {
  if (ctx.versioned && f.sinceVersion > 0)
    ctx.w.line(`if (this.sbeActingVersion < ${f.sinceVersion}) return ${nullValue};`);
}

/** `int64`, `char[20]`, `ControlResponseCode (int32 enum)`: a field's type as its doc comment names it. */
function typeLabel(f: FixedField): string {
  const t = f.type;
  switch (t.kind) {
    case 'encoded':
      return t.length === 1 ? t.primitive.name : `${t.primitive.name}[${t.length}]`;
    case 'enum':
      return `${t.name} (${t.encoding.name} enum)`;
    case 'set':
      return `${t.name} (${t.encoding.name} bit set)`;
    case 'composite':
      return `${t.name} (${t.encodedLength}-byte composite)`;
  }
}

/**
 * Where a field is: `int64 at offset 8, field id 2` (a message or group field) or `uint16 at offset 2`
 * (a composite member: id 0, none in the schema); a constant is not in the message at all.
 */
function layout(f: FixedField, withId: boolean): string {
  const id = withId ? `, field id ${f.id}` : '';
  if (f.presence === 'constant') return `${typeLabel(f)} constant, not on the wire${id}`;
  return `${typeLabel(f)} at offset ${f.offset}${id}`;
}

/**
 * A field accessor's doc comment: the schema's description, then `Reads `x`: int64 at offset 8, field id 2.`
 * (`verb` is `Reads` or `Writes`), then `extra`, the version it came in and its deprecation.
 */
function fieldDoc(ctx: FieldContext, f: FixedField, extra = '', verb = 'Reads'): void {
  const notes: string[] = [];
  if (f.description !== '') notes.push(f.description);
  notes.push(`${verb} \`${f.name}\`: ${layout(f, f.id > 0)}.`);
  if (extra !== '') notes.push(extra);
  if (f.sinceVersion > 0) notes.push(`Since version ${f.sinceVersion}.`);
  if (f.deprecated !== null) notes.push(`@deprecated since version ${f.deprecated}`);
  ctx.w.doc(...notes);
}

/** A schema value for a doc comment: `` `255` ``, or `` `2 ** 63` (the double nearest 9223372036854775807) ``. */
function valueDoc(value: bigint | number): string {
  const expr = `\`${numberExpr(value)}\``;
  if (typeof value === 'bigint' && BigInt(Number(value)) !== value) return `${expr} (the double nearest ${value})`;
  return expr;
}

/** Static metadata as SBE's Java output has it: id, since version, offset, length, null/min/max. */
export function emitFieldStatics(ctx: FieldContext, f: FixedField, withId: boolean): void {
  const w = ctx.w;
  const n = f.name;
  // Message and group fields have ids and versions; composite members are placed in their composite.
  const within = withId ? 'block' : 'composite';
  if (withId) {
    w.doc(`Schema id of field \`${n}\` (its \`id\` attribute).`);
    w.block(`static ${n}Id(): number`, () => w.line(`return ${f.id};`));
    w.line();
    w.doc(`Schema version that added \`${n}\` (0: the first); a message from an older sender reads it as null.`);
    w.block(`static ${n}SinceVersion(): number`, () => w.line(`return ${f.sinceVersion};`));
    w.line();
  }
  w.doc(`Offset in bytes of \`${n}\` from the start of the ${within}.`);
  w.block(`static ${n}EncodingOffset(): number`, () => w.line(`return ${f.offset};`));
  w.line();
  const constant = f.presence === 'constant' ? ': 0, as a constant is not on the wire' : '';
  w.doc(`Length in bytes of \`${n}\` in the ${within}${constant}.`);
  w.block(`static ${n}EncodingLength(): number`, () =>
    w.line(`return ${f.presence === 'constant' ? 0 : f.type.encodedLength};`),
  );
  w.line();
  const t = f.type;
  if (t.kind === 'encoded' && f.presence !== 'constant' && !(t.primitive.name === 'char' && t.length > 1)) {
    const p = t.primitive.name;
    w.doc(`The ${p} value that stands for null in \`${n}\`: ${valueDoc(f.nullValue)}.`);
    w.block(`static ${n}NullValue(): number`, () => w.line(`return ${numberExpr(f.nullValue)};`));
    w.line();
    w.doc(`The smallest valid value of \`${n}\`: ${valueDoc(t.minValue)}.`);
    w.block(`static ${n}MinValue(): number`, () => w.line(`return ${numberExpr(t.minValue)};`));
    w.line();
    w.doc(`The largest valid value of \`${n}\`: ${valueDoc(t.maxValue)}.`);
    w.block(`static ${n}MaxValue(): number`, () => w.line(`return ${numberExpr(t.maxValue)};`));
    w.line();
  }
  if (t.kind === 'encoded' && t.length > 1) {
    w.doc(`Number of ${t.primitive.name} elements in \`${n}\`.`);
    w.block(`static ${n}Length(): number`, () => w.line(`return ${t.length};`));
    w.line();
  }
}

function constantExpr(t: EncodedType): { type: string; expr: string } {
  const text = t.constValue ?? '';
  if (t.primitive.name === 'char') {
    if (t.length > 1) return { type: 'string', expr: str(text) };
    return { type: 'number', expr: String(text.charCodeAt(0)) };
  }
  return {
    type: 'number',
    expr: numberExpr(t.primitive.name === 'float' || t.primitive.name === 'double' ? Number(text) : BigInt(text)),
  };
}

function enumImports(ctx: FieldContext, enumName: string, withHelpers: boolean, asValue = true): void {
  if (asValue) ctx.imports.value(typeFile(enumName), enumName);
  else ctx.imports.type(typeFile(enumName), enumName);
  if (withHelpers) {
    ctx.imports.value(typeFile(enumName), `${camel(enumName)}Of`);
    ctx.imports.value(typeFile(enumName), `${camel(enumName)}Name`);
  }
}

/** Flyweight members a decoder needs for its set and composite fields. */
export function emitFlyweightMembers(
  ctx: FieldContext,
  fields: readonly FixedField[],
  role: 'Decoder' | 'Encoder',
): void {
  for (const f of fields) {
    if (f.presence === 'constant') continue;
    if (f.type.kind === 'set' || f.type.kind === 'composite') {
      const cls = `${pascal(f.type.name)}${role}`;
      ctx.imports.value(typeFile(cls), cls);
      ctx.w.line(`private readonly ${f.name}Flyweight = new ${cls}();`);
    }
  }
}

export function emitFieldDecoder(ctx: FieldContext, f: FixedField): void {
  const w = ctx.w;
  const n = f.name;
  const t = f.type;
  const where = at(f.offset);
  if (f.presence === 'constant') {
    if (t.kind === 'enum') {
      enumImports(ctx, t.name, false);
      fieldDoc(ctx, f, `Always \`${t.name}.${f.valueRef}\`.`);
      w.block(`${n}(): ${t.name}`, () => w.line(`return ${t.name}.${f.valueRef};`));
    } else if (t.kind === 'encoded') {
      const c = constantExpr(t);
      fieldDoc(ctx, f, `Always \`${c.expr}\`.`);
      w.block(`${n}(): ${c.type}`, () => w.line(`return ${c.expr};`));
    }
    w.line();
    return;
  }
  const nullable = ctx.versioned && f.sinceVersion > 0;
  switch (t.kind) {
    case 'encoded': {
      const p = t.primitive;
      if (t.length === 1) {
        fieldDoc(ctx, f, f.presence === 'optional' ? `Optional: ${numberExpr(f.nullValue)} when absent.` : '');
        w.block(`${n}(): number`, () => {
          guard(ctx, f, numberExpr(f.nullValue));
          emitReturnRead(ctx, p, where);
        });
        w.line();
        if (is64(p)) {
          w.doc(`\`${n}\` exactly, as a bigint.`);
          w.block(`${n}BigInt(): bigint`, () => {
            guard(ctx, f, bigintExpr(f.nullValue));
            w.line(`return ${bigReadExpr(ctx, p, where)};`);
          });
          w.line();
        }
      } else if (p.name === 'char') {
        const encoding = str(t.characterEncoding ?? 'US-ASCII');
        ctx.imports.runtime('decodeCharArray');
        ctx.imports.runtime('checkBounds');
        fieldDoc(ctx, f, `Char array of ${t.length}: the text up to the first NUL.`);
        w.block(`${n}(): string`, () => {
          guard(ctx, f, "''");
          w.line(`return decodeCharArray(${encoding}, this.sbeBuffer, ${where}, ${t.length});`);
        });
        w.line();
        w.doc(`Copies the ${t.length} bytes of \`${n}\` into \`dst\`; returns the count.`);
        w.block(`get${pascal(n)}(dst: Uint8Array, dstOffset: number): number`, () => {
          guard(ctx, f, '0');
          w.line(`checkBounds(dst.length, dstOffset, ${t.length});`);
          ctx.imports.runtime('copyFromView');
          w.line(`copyFromView(this.sbeBuffer, this.sbeView, ${where}, dst, dstOffset, ${t.length});`);
          w.line(`return ${t.length};`);
        });
        w.line();
      } else {
        ctx.imports.runtime('CodecError');
        const element = `${where} + index * ${p.size}`;
        const check = `if (!(index >= 0 && index < ${t.length})) throw new CodecError('BAD_INDEX', \`${n}[\${index}]\`);`;
        fieldDoc(ctx, f, `Element \`index\`; throws CodecError BAD_INDEX outside 0..${t.length - 1}.`);
        w.block(`${n}(index: number): number`, () => {
          w.line(check);
          guard(ctx, f, numberExpr(f.nullValue));
          emitReturnRead(ctx, p, element);
        });
        w.line();
        if (is64(p)) {
          w.doc(
            `Element \`index\` of \`${n}\` exactly, as a bigint; throws CodecError BAD_INDEX outside 0..${t.length - 1}.`,
          );
          w.block(`${n}BigInt(index: number): bigint`, () => {
            w.line(check);
            guard(ctx, f, bigintExpr(f.nullValue));
            w.line(`return ${bigReadExpr(ctx, p, element)};`);
          });
          w.line();
        }
      }
      return;
    }
    case 'enum': {
      enumImports(ctx, t.name, true, nullable);
      fieldDoc(ctx, f, `Throws CodecError UNKNOWN_ENUM_VALUE for a value the schema does not list; see \`${n}Raw\`.`);
      w.block(`${n}(): ${t.name}`, () => {
        guard(ctx, f, `${t.name}.NULL_VAL`);
        w.line(`return ${camel(t.name)}Of(${readExpr(ctx, t.encoding, where)});`);
      });
      w.line();
      w.doc(`The raw value of \`${n}\` (never throws).`);
      w.block(`${n}Raw(): number`, () => {
        guard(ctx, f, String(t.nullValue));
        emitReturnRead(ctx, t.encoding, where);
      });
      w.line();
      return;
    }
    case 'set':
    case 'composite': {
      const cls = decoderClass(t.name);
      fieldDoc(ctx, f, nullable ? `Null when the sender's version is older than ${f.sinceVersion}.` : '');
      w.block(`${n}(): ${cls}${nullable ? ' | null' : ''}`, () => {
        guard(ctx, f, 'null');
        w.line(`return this.${n}Flyweight.wrap(this.sbeBuffer, ${where});`);
      });
      w.line();
      return;
    }
  }
}

export function emitFieldEncoder(ctx: FieldContext, f: FixedField): void {
  const w = ctx.w;
  const n = f.name;
  const t = f.type;
  const where = at(f.offset);
  if (f.presence === 'constant') {
    emitFieldDecoder({ ...ctx, versioned: false }, f);
    return;
  }
  switch (t.kind) {
    case 'encoded': {
      const p = t.primitive;
      if (t.length === 1) {
        fieldDoc(ctx, f, '', 'Writes');
        w.block(`${n}(value: number): this`, () => {
          emitWrite(ctx, p, where, 'value');
          w.line('return this;');
        });
        w.line();
        if (is64(p)) {
          w.doc(`Writes \`${n}\` exactly from a bigint (taken modulo 2^64, as DataView's 64-bit setters do).`);
          w.block(`${n}BigInt(value: bigint): this`, () => {
            w.line(bigWriteStmt(ctx, p, where, 'value'));
            w.line('return this;');
          });
          w.line();
        }
      } else if (p.name === 'char') {
        const encoding = str(t.characterEncoding ?? 'US-ASCII');
        ctx.imports.runtime('encodeCharArray');
        ctx.imports.runtime('checkBounds');
        fieldDoc(
          ctx,
          f,
          `Char array of ${t.length}, NUL padded; throws CodecError BAD_LENGTH if the text is longer.`,
          'Writes',
        );
        w.block(`${n}(value: string): this`, () => {
          w.line(`encodeCharArray(${encoding}, value, this.sbeBuffer, ${where}, ${t.length});`);
          w.line('return this;');
        });
        w.line();
        w.doc(`Copies ${t.length} bytes from \`src\` into \`${n}\`.`);
        w.block(`put${pascal(n)}(src: Uint8Array, srcOffset: number): this`, () => {
          w.line(`checkBounds(src.length, srcOffset, ${t.length});`);
          ctx.imports.runtime('copyToView');
          w.line(`copyToView(src, srcOffset, this.sbeBuffer, this.sbeView, ${where}, ${t.length});`);
          w.line('return this;');
        });
        w.line();
      } else {
        ctx.imports.runtime('CodecError');
        const element = `${where} + index * ${p.size}`;
        const check = `if (!(index >= 0 && index < ${t.length})) throw new CodecError('BAD_INDEX', \`${n}[\${index}]\`);`;
        fieldDoc(ctx, f, `Element \`index\`; throws CodecError BAD_INDEX outside 0..${t.length - 1}.`, 'Writes');
        w.block(`${n}(index: number, value: number): this`, () => {
          w.line(check);
          emitWrite(ctx, p, element, 'value');
          w.line('return this;');
        });
        w.line();
        if (is64(p)) {
          w.doc(
            `Writes element \`index\` of \`${n}\` exactly from a bigint (taken modulo 2^64); throws CodecError BAD_INDEX`,
            `outside 0..${t.length - 1}.`,
          );
          w.block(`${n}BigInt(index: number, value: bigint): this`, () => {
            w.line(check);
            w.line(bigWriteStmt(ctx, p, element, 'value'));
            w.line('return this;');
          });
          w.line();
        }
      }
      return;
    }
    case 'enum': {
      ctx.imports.type(typeFile(t.name), t.name);
      fieldDoc(ctx, f, '', 'Writes');
      w.block(`${n}(value: ${t.name}): this`, () => {
        emitWrite(ctx, t.encoding, where, 'value');
        w.line('return this;');
      });
      w.line();
      return;
    }
    case 'set':
    case 'composite': {
      const cls = encoderClass(t.name);
      fieldDoc(ctx, f, `Returns a ${cls} wrapped at the field, to write it through.`, 'Writes');
      w.block(`${n}(): ${cls}`, () => w.line(`return this.${n}Flyweight.wrap(this.sbeBuffer, ${where});`));
      w.line();
      return;
    }
  }
}

/** Lines of `sbeAppendTo(b: string[])` for one field; `sep` is '' for the first item, else '|'. */
export function appendField(ctx: FieldContext, f: FixedField, sep: string): boolean {
  const w = ctx.w;
  const n = f.name;
  const t = f.type;
  if (f.presence === 'constant') {
    if (t.kind !== 'enum') return false;
    w.line(`b.push('${sep}${n}=${f.valueRef}');`);
    return true;
  }
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) {
        w.line(`b.push(\`${sep}${n}=\${this.${n}${is64(t.primitive) ? 'BigInt' : ''}()}\`);`);
      } else if (t.primitive.name === 'char') {
        w.line(`b.push(\`${sep}${n}=\${this.${n}()}\`);`);
      } else {
        const get = `this.${n}${is64(t.primitive) ? 'BigInt' : ''}(i)`;
        w.line(`b.push(\`${sep}${n}=[\${Array.from({ length: ${t.length} }, (_, i) => ${get}).join(',')}]\`);`);
      }
      return true;
    case 'enum':
      w.line(`b.push(\`${sep}${n}=\${${camel(t.name)}Name(this.${n}Raw())}\`);`);
      return true;
    case 'set':
    case 'composite': {
      const nullable = ctx.versioned && f.sinceVersion > 0;
      w.line(`b.push(\`${sep}${n}=\${this.${n}()${nullable ? " ?? 'null'" : ''}}\`);`);
      return true;
    }
  }
}

/** `key: value` for toJSON. */
export function jsonField(ctx: FieldContext, f: FixedField): string {
  const n = f.name;
  const t = f.type;
  if (f.presence === 'constant') return `${n}: this.${n}()`;
  switch (t.kind) {
    case 'encoded':
      if (t.length === 1) {
        if (is64(t.primitive)) {
          ctx.imports.runtime('int64ToJson');
          return `${n}: int64ToJson(this.${n}BigInt())`;
        }
        return `${n}: this.${n}()`;
      }
      if (t.primitive.name === 'char') return `${n}: this.${n}()`;
      if (is64(t.primitive)) {
        ctx.imports.runtime('int64ToJson');
        return `${n}: Array.from({ length: ${t.length} }, (_, i) => int64ToJson(this.${n}BigInt(i)))`;
      }
      return `${n}: Array.from({ length: ${t.length} }, (_, i) => this.${n}(i))`;
    case 'enum':
      return `${n}: ${camel(t.name)}Name(this.${n}Raw())`;
    case 'set':
    case 'composite': {
      const nullable = ctx.versioned && f.sinceVersion > 0;
      return `${n}: this.${n}()${nullable ? '?.toJSON() ?? null' : '.toJSON()'}`;
    }
  }
}
