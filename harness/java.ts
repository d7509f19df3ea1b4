/**
 * Compiling and running small Java programs against the pinned jars, at test time.
 *
 * `compileJava` caches classes by a hash of the sources, classpath and flags under
 * `node_modules/.cache/aeron-ts-java/<AERON_VERSION>/`, so a test file pays for javac once per change, and
 * classes compiled against one Aeron release are never reused with another.
 * `runJava` always has a deadline and kills the JVM by PID when it passes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AERON_VERSION, PROJECT_ROOT } from './aeron-jars.ts';

const CACHE_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'aeron-ts-java', AERON_VERSION);

export interface CompileOptions {
  /** Java source files (absolute paths or relative to the project root). */
  readonly sources: readonly string[];
  /** Jars or class directories on the compile classpath. */
  readonly classpath: readonly string[];
  /** Extra javac flags. */
  readonly flags?: readonly string[];
}

/** Compiles the sources (or reuses a cached build) and returns the class output directory. */
export function compileJava(options: CompileOptions): string {
  const sources = options.sources.map((s) => (s.startsWith('/') ? s : join(PROJECT_ROOT, s)));
  const hash = createHash('sha256').update(AERON_VERSION);
  for (const s of sources) hash.update(s).update(readFileSync(s));
  for (const c of options.classpath) hash.update(c);
  for (const f of options.flags ?? []) hash.update(f);
  const outDir = join(CACHE_DIR, hash.digest('hex').slice(0, 16));
  if (existsSync(join(outDir, '.complete'))) return outDir;

  const tmpDir = `${outDir}.tmp-${process.pid}`;
  rmSync(tmpDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  try {
    execFileSync(
      'javac',
      [
        '-nowarn',
        '-encoding',
        'UTF-8',
        '-d',
        tmpDir,
        '-cp',
        options.classpath.join(':'),
        ...(options.flags ?? []),
        ...sources,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 },
    );
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`javac failed:\n${err.stderr?.toString() ?? ''}${err.stdout?.toString() ?? ''}`);
  }
  writeFileSync(join(tmpDir, '.complete'), '');
  rmSync(outDir, { recursive: true, force: true });
  try {
    renameSync(tmpDir, outDir);
  } catch {
    // Another process won the race with an identical build: use theirs.
    rmSync(tmpDir, { recursive: true, force: true });
  }
  return outDir;
}

export interface RunJavaOptions {
  readonly classpath: readonly string[];
  readonly mainClass: string;
  readonly args?: readonly string[];
  /** JVM flags (-D..., --add-opens ...), placed before the main class. */
  readonly jvmArgs?: readonly string[];
  readonly stdin?: string | Buffer;
  /** Hard deadline; the JVM is killed (SIGKILL) when it passes. */
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface JavaResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** JVM flags Aeron's own scripts and tests use, needed on Java 17 for Agrona's Unsafe access. */
export const AERON_JVM_FLAGS: readonly string[] = [
  '--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-opens=java.base/java.util.zip=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Xss1m',
  '-Xmx256m',
];

/** Runs a Java main to completion; rejects (after killing it) if the deadline passes. */
export function runJava(options: RunJavaOptions): Promise<JavaResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      'java',
      [...(options.jvmArgs ?? []), '-cp', options.classpath.join(':'), options.mainClass, ...(options.args ?? [])],
      { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env },
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      reject(
        new Error(
          `java ${options.mainClass} did not finish within ${options.timeoutMs} ms\nstderr:\n${Buffer.concat(stderr).toString()}`,
        ),
      );
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString(),
        stderr: Buffer.concat(stderr).toString(),
      });
    });
    child.stdin.on('error', () => {
      // The JVM may exit before reading all of stdin; the close handler reports it.
    });
    child.stdin.end(options.stdin ?? '');
  });
}
