/**
 * Finds the named types a package entry point uses in its public signatures without exporting them (so a user
 * can not name them: `import { type X } from 'aeron-ts'` fails).
 *
 * ```
 *  entry exports ──► each export: class (public instance + static members, constructor, bases),
 *                    interface (members, bases), type alias (its type), function, const
 *                 └► each member's type, walked: unions, intersections, type arguments, signatures,
 *                    anonymous object types; a named class / interface / enum / alias of this project
 *                    found there must itself be exported by the entry (then it is a root of its own)
 * ```
 *
 * Private, protected and `#private` members are not public surface. Types from the TypeScript and Node
 * libraries are not ours to export.
 */
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../../harness/aeron-jars.ts';

/** One named type used in a public signature but not exported: `name (file) via where`. */
export interface UnexportedType {
  readonly name: string;
  readonly file: string;
  /** The first export member whose signature uses it. */
  readonly usedBy: string;
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = resolve(PROJECT_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath)).options;
}

function isOurs(declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile().fileName;
  return !file.includes('/node_modules/') && file.startsWith(PROJECT_ROOT);
}

function isHidden(declaration: ts.Declaration): boolean {
  const name = (declaration as { name?: ts.Node }).name;
  if (name !== undefined && ts.isPrivateIdentifier(name)) return true;
  const flags = ts.getCombinedModifierFlags(declaration);
  return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
}

/** The named types `entryFile` uses in public signatures without exporting them. */
export function unexportedPublicTypes(entryFile: string): UnexportedType[] {
  const program = ts.createProgram([entryFile], compilerOptions());
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entryFile);
  if (source === undefined) throw new Error(`not in the program: ${entryFile}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`not a module: ${entryFile}`);
  const resolveAlias = (symbol: ts.Symbol): ts.Symbol =>
    (symbol.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(symbol) : symbol;
  const exported = new Set(checker.getExportsOfModule(moduleSymbol).map(resolveAlias));

  const found = new Map<ts.Symbol, UnexportedType>();
  const seenTypes = new Set<ts.Type>();

  const note = (symbol: ts.Symbol, usedBy: string): void => {
    const target = resolveAlias(symbol);
    const declaration = target.declarations?.[0];
    if (declaration === undefined || !isOurs(declaration) || exported.has(target) || found.has(target)) return;
    if ((target.flags & ts.SymbolFlags.TypeParameter) !== 0) return;
    found.set(target, {
      name: target.getName(),
      file: relative(PROJECT_ROOT, declaration.getSourceFile().fileName),
      usedBy,
    });
  };

  const walkSignature = (signature: ts.Signature, usedBy: string): void => {
    for (const parameter of signature.getParameters()) {
      walkType(checker.getTypeOfSymbol(parameter), usedBy);
    }
    walkType(signature.getReturnType(), usedBy);
  };

  /** Walks a type met in a signature: a named type of ours is noted, not descended into. */
  function walkType(type: ts.Type, usedBy: string): void {
    if (seenTypes.has(type)) return;
    seenTypes.add(type);
    if (type.aliasSymbol !== undefined) {
      note(type.aliasSymbol, usedBy);
      for (const argument of type.aliasTypeArguments ?? []) walkType(argument, usedBy);
      return;
    }
    if (type.isUnionOrIntersection()) {
      for (const member of type.types) walkType(member, usedBy);
      return;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return;
    const objectType = type as ts.ObjectType;
    if ((objectType.objectFlags & ts.ObjectFlags.Reference) !== 0) {
      for (const argument of checker.getTypeArguments(type as ts.TypeReference)) walkType(argument, usedBy);
    }
    const symbol = type.getSymbol();
    if (
      symbol !== undefined &&
      (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.Enum)) !== 0
    ) {
      note(symbol, usedBy);
      return;
    }
    walkStructure(type, usedBy);
  }

  /** Walks the members and signatures of a type (a root's own, or an anonymous one's). */
  function walkStructure(type: ts.Type, usedBy: string): void {
    for (const signature of type.getCallSignatures()) walkSignature(signature, usedBy);
    for (const signature of type.getConstructSignatures()) {
      const declaration = signature.getDeclaration();
      if (declaration !== undefined && isHidden(declaration)) continue;
      walkSignature(signature, usedBy);
    }
    for (const property of type.getProperties()) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (declaration !== undefined && isHidden(declaration)) continue;
      if (property.getName() === 'prototype') continue;
      walkType(checker.getTypeOfSymbol(property), `${usedBy}.${property.getName()}`);
    }
    const stringIndex = type.getStringIndexType();
    if (stringIndex !== undefined) walkType(stringIndex, usedBy);
  }

  for (const exportSymbol of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = resolveAlias(exportSymbol);
    const name = exportSymbol.getName();
    if ((symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) !== 0) {
      const instance = checker.getDeclaredTypeOfSymbol(symbol);
      for (const base of checker.getBaseTypes(instance as ts.InterfaceType)) walkType(base, name);
      walkStructure(instance, name);
    }
    if ((symbol.flags & ts.SymbolFlags.TypeAlias) !== 0) {
      const aliased = checker.getDeclaredTypeOfSymbol(symbol);
      if (aliased.isUnionOrIntersection()) for (const member of aliased.types) walkType(member, name);
      else walkStructure(aliased, name);
    }
    if ((symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) !== 0) {
      walkStructure(checker.getTypeOfSymbol(symbol), name);
    }
  }
  return [...found.values()];
}
