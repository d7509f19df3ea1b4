/** Collects the imports of one generated file and writes them sorted, the way Biome orders them. */
export class Imports {
  private readonly values = new Map<string, Set<string>>();
  private readonly types = new Map<string, Set<string>>();

  constructor(private readonly runtimePath: string) {}

  /** A value (class, const, function) from a local generated file, e.g. `./Colour.ts`. */
  value(module: string, name: string): void {
    this.add(this.values, module, name);
  }

  type(module: string, name: string): void {
    this.add(this.types, module, name);
  }

  runtime(name: string): void {
    this.value(this.runtimePath, name);
  }

  runtimeType(name: string): void {
    this.type(this.runtimePath, name);
  }

  private add(map: Map<string, Set<string>>, module: string, name: string): void {
    let names = map.get(module);
    if (names === undefined) {
      names = new Set();
      map.set(module, names);
    }
    names.add(name);
  }

  render(): string[] {
    const modules = [...new Set([...this.values.keys(), ...this.types.keys()])].sort(compareModules);
    const out: string[] = [];
    for (const module of modules) {
      const values = this.values.get(module) ?? new Set<string>();
      const types = [...(this.types.get(module) ?? [])].filter((t) => !values.has(t));
      if (values.size === 0) {
        out.push(...statement('import type', types.sort(compareNames), module));
        continue;
      }
      const specifiers = [...[...values].map((v) => ({ n: v, s: v })), ...types.map((t) => ({ n: t, s: `type ${t}` }))];
      specifiers.sort((a, b) => compareNames(a.n, b.n));
      out.push(
        ...statement(
          'import',
          specifiers.map((s) => s.s),
          module,
        ),
      );
    }
    return out;
  }
}

function statement(keyword: string, specifiers: string[], module: string): string[] {
  const single = `${keyword} { ${specifiers.join(', ')} } from '${module}';`;
  if (single.length <= 120) return [single];
  return [`${keyword} {`, ...specifiers.map((s) => `  ${s},`), `} from '${module}';`];
}

/** Packages first (a runtime imported by name, as users' generated code does), then `../`, then `./`, then by path. */
function compareModules(a: string, b: string): number {
  const depth = (m: string): number => (m.startsWith('../') ? 0 : m.startsWith('./') ? 1 : -1);
  return depth(a) - depth(b) || compareNames(a, b);
}

/**
 * Biome's import order: character by character ignoring case, and at the first character that differs only in
 * case, upper case first; a prefix sorts first.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charAt(i);
    const y = b.charAt(i);
    if (x === y) continue;
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
    return x === x.toUpperCase() ? -1 : 1;
  }
  return a.length - b.length;
}
