/**
 * Java side of the benchmarks: compile a bench program against the pinned aeron-all jar and run it with
 * benchmark JVM flags.
 *
 * The test helpers' `AERON_JVM_FLAGS` cap the JIT at C1 (`-XX:TieredStopAtLevel=1`) and use SerialGC to
 * start fast; that is wrong for a benchmark. `BENCH_JVM_FLAGS` are Aeron's own benchmark flags
 * (`aeron-samples/scripts/java-common`, see /work/shared/reference/perf-anchors.md §1.0): full tiered JIT,
 * ParallelGC, final fields trusted, rare safepoints. Agrona bounds checks stay ON, because our TS codecs
 * check bounds too; set `BENCH_JAVA_FLAGS="-Dagrona.disable.bounds.checks=true"` to compare against
 * Aeron's tuned setting. `BENCH_JAVA_FLAGS` (space separated) is appended to every bench JVM.
 */
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { compileJava, runJava } from '../../harness/java.ts';
import { parseResultFields } from '../../harness/result-line.ts';

export const BENCH_JVM_FLAGS: readonly string[] = [
  '-XX:+UnlockExperimentalVMOptions',
  '-XX:+TrustFinalNonStaticFields',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:GuaranteedSafepointInterval=300000',
  '-XX:+UseParallelGC',
  '-Xms512m',
  '-Xmx512m',
  '--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED',
  '--add-opens=java.base/java.util.zip=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
];

/** `BENCH_JVM_FLAGS` plus whatever `BENCH_JAVA_FLAGS` adds. */
export function benchJvmFlags(): string[] {
  const extra = (process.env.BENCH_JAVA_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
  return [...BENCH_JVM_FLAGS, ...extra];
}

/** Compiles `bench/java/<name>.java` files (cached by content) against aeron-all; returns the classpath. */
export function compileBenchJava(sources: readonly string[]): string[] {
  const jar = aeronJarPath();
  const classes = compileJava({ sources: sources.map((s) => `bench/java/${s}`), classpath: [jar] });
  return [classes, jar];
}

export interface BenchJavaRun {
  readonly classpath: readonly string[];
  readonly mainClass: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Extra JVM flags for this program (system properties...). */
  readonly jvmArgs?: readonly string[];
}

/** Runs a bench program to completion and returns the fields of its `RESULT {json}` line. */
export async function runBenchJava(run: BenchJavaRun): Promise<Record<string, unknown>> {
  const result = await runJava({
    classpath: run.classpath,
    mainClass: run.mainClass,
    args: run.args,
    jvmArgs: [...benchJvmFlags(), ...(run.jvmArgs ?? [])],
    timeoutMs: run.timeoutMs,
  });
  if (result.code !== 0) {
    throw new Error(`java ${run.mainClass} exited ${result.code ?? result.signal}\n${result.stderr}${result.stdout}`);
  }
  return parseResultFields(result.stdout);
}
