/**
 * Where the Aeron and SBE jars are, and whether the machine can run the interop tests.
 *
 * Versions come from package.json ("aeron": { "version", "sbeVersion" }); `scripts/setup-aeron.sh`
 * downloads them into `.aeron/`. `AERON_VERSION=<x.y.z>` runs the interop tests against another Aeron
 * release (fetched beside the pinned one by `AERON_VERSION=<x.y.z> bash scripts/setup-aeron.sh`); what
 * differs between releases is in `aeron-version.ts`. `AERON_ALL_JAR` / `SBE_ALL_JAR` override the paths.
 *
 * No silent skips where it matters: when `CI` is set and Java or a jar is missing, `interopGate()`
 * reports `mode: 'fail'` and interop suites fail with a message naming what is missing.
 * Locally they skip with the same message.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface PinnedVersions {
  readonly version: string;
  readonly sbeVersion: string;
}

function readPinned(): PinnedVersions {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { aeron: PinnedVersions };
  return pkg.aeron;
}

/** The versions pinned in package.json. */
export const PINNED: PinnedVersions = readPinned();

function selectedAeronVersion(): string {
  const requested = process.env.AERON_VERSION;
  if (requested === undefined || requested === '') return PINNED.version;
  if (!/^\d+\.\d+\.\d+$/.test(requested)) {
    throw new Error(`AERON_VERSION must look like ${PINNED.version} (got '${requested}')`);
  }
  return requested;
}

/** The Aeron release the interop tests run against: `AERON_VERSION` when set, else the pinned one. */
export const AERON_VERSION: string = selectedAeronVersion();
/** The SBE tool version (always the pinned one). */
export const SBE_VERSION: string = PINNED.sbeVersion;

/** Path of aeron-all-<AERON_VERSION>.jar (may not exist: see `interopGate`). */
export function aeronJarPath(): string {
  return process.env.AERON_ALL_JAR ?? join(PROJECT_ROOT, '.aeron', `aeron-all-${AERON_VERSION}.jar`);
}

/** Path of aeron-all-<AERON_VERSION>-sources.jar, Aeron's Java sources (may not exist). */
export function aeronSourcesJarPath(): string {
  return join(PROJECT_ROOT, '.aeron', `aeron-all-${AERON_VERSION}-sources.jar`);
}

/** Path of sbe-all-<version>.jar, the real SBE tool (may not exist: see `interopGate`). */
export function sbeJarPath(): string {
  return process.env.SBE_ALL_JAR ?? join(PROJECT_ROOT, '.aeron', `sbe-all-${SBE_VERSION}.jar`);
}

export interface InteropGate {
  /** 'run': everything present. 'skip': missing, local run. 'fail': missing while CI is set. */
  readonly mode: 'run' | 'skip' | 'fail';
  /** What is missing and how to get it; empty when mode is 'run'. */
  readonly missing: string;
}

let cachedJavaVersion: string | null | undefined;

function javaVersion(): string | null {
  if (cachedJavaVersion !== undefined) return cachedJavaVersion;
  try {
    const out = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    cachedJavaVersion = out || 'unknown';
  } catch (e) {
    const err = e as { stderr?: string; code?: string };
    cachedJavaVersion = err.code === 'ENOENT' ? null : (err.stderr ?? 'unknown');
  }
  // `java -version` prints to stderr; execFileSync only returns stdout, so a successful run may look empty.
  if (cachedJavaVersion === '') cachedJavaVersion = 'unknown';
  return cachedJavaVersion;
}

function commandExists(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}

/** Decide whether interop tests run; `needs` lists the jars a suite needs. */
export function interopGate(needs: ReadonlyArray<'aeron' | 'sbe'> = ['aeron']): InteropGate {
  const missing: string[] = [];
  if (javaVersion() === null) missing.push('Java 17+ (java not on PATH)');
  if (!commandExists('javac')) missing.push('a JDK (javac not on PATH)');
  if (needs.includes('aeron') && !existsSync(aeronJarPath())) {
    const setup =
      AERON_VERSION === PINNED.version
        ? 'npm run setup:aeron'
        : `AERON_VERSION=${AERON_VERSION} bash scripts/setup-aeron.sh`;
    missing.push(`${aeronJarPath()} (run: ${setup}, or set AERON_ALL_JAR)`);
  }
  if (needs.includes('sbe') && !existsSync(sbeJarPath())) {
    missing.push(`${sbeJarPath()} (run: npm run setup:aeron, or set SBE_ALL_JAR)`);
  }
  if (missing.length === 0) return { mode: 'run', missing: '' };
  const text = `interop tests need: ${missing.join('; ')}`;
  return { mode: process.env.CI ? 'fail' : 'skip', missing: text };
}
