/**
 * Fails (exit 1) on an exported declaration of the library's own sources that has no doc comment: TypeDoc's
 * validation (`typedoc.json`) covers what the three entry points export, this covers every module behind them
 * (the project's rule is a doc comment on every export, public or not).
 *
 * Checked: each exported function, class, interface, type alias, enum and variable; the public members of
 * exported classes and interfaces (not `private`, `protected` or `#private`; constructors and index
 * signatures are left to TypeDoc); enum members; the properties of object types in exported type aliases.
 * A declaration tagged `@internal` is skipped with everything in it. Overloads and get/set pairs count as
 * documented when one of their declarations is.
 *
 * Not checked: `codecs/generated/` (the generator emits every comment; TypeDoc checks the exported schemas).
 *
 * ```
 * npx tsx scripts/check-docs.ts                       # src/ and codecs/ (runtime and entry)
 * npx tsx scripts/check-docs.ts src/transport src/cli # only these files or directories
 * npx tsx scripts/check-docs.ts --summary             # counts per file, no names
 * ```
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** What is checked when no path is given. */
const DEFAULT_PATHS = ['src', 'codecs/runtime', 'codecs/index.ts'];

/** Directories never checked (relative to the root, `/`-separated). */
const SKIPPED_DIRS = new Set(['codecs/generated', 'node_modules', 'dist']);

/** The `.ts` files under `path` (a file or a directory), sorted; declaration files and skipped dirs left out. */
function sourceFiles(path: string): string[] {
  const absolute = resolve(ROOT, path);
  const rel = relative(ROOT, absolute).split('\\').join('/');
  if (SKIPPED_DIRS.has(rel)) return [];
  if (statSync(absolute).isFile()) return absolute.endsWith('.ts') && !absolute.endsWith('.d.ts') ? [absolute] : [];
  return readdirSync(absolute)
    .sort()
    .flatMap((name) => sourceFiles(join(absolute, name)));
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Whether a `/** … *\/` comment sits right before `node` (for a variable, before its statement). */
function hasDoc(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc));
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');
}

function isHidden(member: ts.Node): boolean {
  const name = (member as { name?: ts.Node }).name;
  return (
    hasModifier(member, ts.SyntaxKind.PrivateKeyword) ||
    hasModifier(member, ts.SyntaxKind.ProtectedKeyword) ||
    (name !== undefined && ts.isPrivateIdentifier(name)) ||
    isInternal(member)
  );
}

function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const name = (node as { name?: ts.Node }).name;
  return name === undefined ? '(anonymous)' : name.getText(source);
}

/** The members of a class, interface or type literal that need a comment, by name (`Class.member`). */
function undocumentedMembers(
  owner: string,
  members: readonly ts.Node[],
  source: ts.SourceFile,
  missing: string[],
): void {
  const byName = new Map<string, ts.Node[]>();
  for (const member of members) {
    if (
      ts.isConstructorDeclaration(member) ||
      ts.isIndexSignatureDeclaration(member) ||
      ts.isClassStaticBlockDeclaration(member) ||
      ts.isCallSignatureDeclaration(member) ||
      ts.isConstructSignatureDeclaration(member) ||
      ts.isSemicolonClassElement(member) ||
      isHidden(member)
    ) {
      continue;
    }
    const name = nameOf(member, source);
    byName.set(name, [...(byName.get(name) ?? []), member]);
  }
  for (const [name, declarations] of byName) {
    if (!declarations.some(hasDoc)) missing.push(`${owner}.${name}`);
    for (const declaration of declarations) {
      if (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) {
        typeLiteralMembers(`${owner}.${name}`, declaration.type, source, missing);
      }
    }
  }
}

/** The properties of object types written out in `type` (through unions, intersections and parentheses). */
function typeLiteralMembers(
  owner: string,
  type: ts.TypeNode | undefined,
  source: ts.SourceFile,
  missing: string[],
): void {
  if (type === undefined) return;
  if (ts.isTypeLiteralNode(type)) undocumentedMembers(owner, type.members, source, missing);
  else if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) {
    for (const t of type.types) typeLiteralMembers(owner, t, source, missing);
  } else if (ts.isParenthesizedTypeNode(type)) typeLiteralMembers(owner, type.type, source, missing);
}

/** Every undocumented export of one file, as `Name` or `Name.member`. */
function undocumentedExports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const documentedFunctions = new Set<string>();
  const functions: ts.FunctionDeclaration[] = [];
  for (const statement of source.statements) {
    if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword) || isInternal(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      if (!hasDoc(statement)) {
        for (const d of statement.declarationList.declarations) missing.push(d.name.getText(source));
      }
      continue;
    }
    if (ts.isFunctionDeclaration(statement)) {
      functions.push(statement);
      if (hasDoc(statement)) documentedFunctions.add(nameOf(statement, source));
      continue;
    }
    const name = nameOf(statement, source);
    if (!hasDoc(statement)) missing.push(name);
    if (ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
      undocumentedMembers(name, statement.members, source, missing);
    } else if (ts.isEnumDeclaration(statement)) {
      for (const m of statement.members) if (!hasDoc(m)) missing.push(`${name}.${m.name.getText(source)}`);
    } else if (ts.isTypeAliasDeclaration(statement)) {
      typeLiteralMembers(name, statement.type, source, missing);
    }
  }
  // An overloaded function is documented when one of its declarations is.
  for (const f of functions) {
    const name = nameOf(f, source);
    if (!documentedFunctions.has(name) && !missing.includes(name)) missing.push(name);
  }
  return missing;
}

function main(): number {
  const args = process.argv.slice(2);
  const summary = args.includes('--summary');
  const paths = args.filter((a) => !a.startsWith('--'));
  const files = (paths.length > 0 ? paths : DEFAULT_PATHS).flatMap(sourceFiles);
  let total = 0;
  let failing = 0;
  for (const file of files) {
    const missing = undocumentedExports(file);
    if (missing.length === 0) continue;
    total += missing.length;
    failing++;
    const where = relative(ROOT, file);
    console.log(summary ? `${String(missing.length).padStart(5)}  ${where}` : `${where}: ${missing.join(', ')}`);
  }
  if (total === 0) {
    console.log(`check-docs: every export of ${files.length} files has a doc comment`);
    return 0;
  }
  console.log(`check-docs: ${total} undocumented exports in ${failing} of ${files.length} files`);
  return 1;
}

process.exitCode = main();
