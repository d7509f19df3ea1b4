/**
 * Drives generated SBE flyweights generically from their `SCHEMA` metadata, for the fuzzer: read EVERY field
 * of a decoder back (fixed fields, `*BigInt` and `*Raw` variants, groups, var data by value, by copy and by
 * skip). The values and the encoder walk that build the corpus of valid messages come from
 * test/support/sbe-arbitraries.ts (shared with the codec property tests) and are re-exported here.
 */
import { CodecError, type FieldMeta } from '../../codecs/runtime/index.ts';
import { call, is64 } from '../support/sbe-arbitraries.ts';

export { call, encodeFields, type Values, valuesArb } from '../support/sbe-arbitraries.ts';

function hasMethod(target: unknown, method: string): boolean {
  return typeof (target as Record<string, unknown>)[method] === 'function';
}

/** Runs `read`, swallowing only CodecError (fixed fields do not move the limit, so reading may go on). */
function tolerant(read: () => void): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
}

const scratch = new Uint8Array(256);

/**
 * Reads every field of a decoder flyweight. Fixed fields are read independently (a CodecError from one,
 * e.g. an unknown enum value, does not stop the others); groups and var data move the limit, so a
 * CodecError there propagates. `mode` picks how var data is consumed (value / length+copy / skip).
 */
export function readAllFields(flyweight: unknown, fields: readonly FieldMeta[], mode: number): void {
  for (const f of fields) {
    switch (f.kind) {
      case 'primitive':
        tolerant(() => call(flyweight, f.name));
        if (is64(f.primitiveType)) tolerant(() => call(flyweight, `${f.name}BigInt`));
        break;
      case 'array':
        for (let i = -1; i <= f.length; i++) {
          tolerant(() => call(flyweight, is64(f.primitiveType) ? `${f.name}BigInt` : f.name, i));
        }
        break;
      case 'charArray':
        tolerant(() => call(flyweight, f.name));
        break;
      case 'enum':
        tolerant(() => call(flyweight, f.name));
        tolerant(() => call(flyweight, `${f.name}Raw`));
        break;
      case 'set':
        tolerant(() => {
          const set = call(flyweight, f.name);
          if (set !== null) for (const c of f.choices) call(set, c);
        });
        break;
      case 'composite':
        tolerant(() => {
          const c = call(flyweight, f.name);
          if (c !== null) readAllFields(c, f.composite.fields, mode);
        });
        break;
      case 'constant':
        if (hasMethod(flyweight, f.name)) call(flyweight, f.name);
        break;
      case 'group': {
        const group = call(flyweight, f.name);
        // Bounded by the uint16 count; `next()` past the end must throw BAD_INDEX, never loop.
        let guard = 0;
        while (call(group, 'hasNext') === true) {
          if (++guard > 70_000) throw new Error(`group ${f.name} never ends`);
          readAllFields(call(group, 'next'), f.fields, mode);
        }
        break;
      }
      case 'data': {
        const cap = f.name.charAt(0).toUpperCase() + f.name.slice(1);
        const pick = mode % 3;
        if (pick === 0) {
          call(flyweight, f.name);
        } else if (pick === 1) {
          call(flyweight, `${f.name}Length`);
          call(flyweight, `get${cap}`, scratch, 0, scratch.length);
        } else {
          call(flyweight, `skip${cap}`);
        }
        break;
      }
    }
  }
}
