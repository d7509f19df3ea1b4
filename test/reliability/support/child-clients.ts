/**
 * Child processes for the client reliability rows that need a second writer or client in another process:
 * the P4 rotation writers (aeron-ts in a Node child through `tsx`, and the real Java client) and the C9
 * broadcast flooder (Java). Each is wrapped in `ProbeProcess` (`test/support/pubsub-probe.ts`): stdout
 * lines, a bounded `waitForLine`/`finish`, SIGKILL by PID, tracked so none outlives the test file.
 *
 * Java sources are compiled at test time (`compileJava`, cached) with `PubSubProbe.java`, whose message
 * pattern (`fill`) the Java writer uses: the same bytes as `fillMessage` in `test/support/message-pattern.ts`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { aeronJarPath, PROJECT_ROOT } from '../../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava } from '../../../harness/java.ts';
import { ProbeProcess } from '../../support/pubsub-probe.ts';

const JAVA_SOURCES = [
  'test/java/PubSubProbe.java',
  'test/java/ReliabilityRotationWriter.java',
  'test/java/ReliabilityBroadcastFlood.java',
];
const TS_WRITER = 'test/reliability/support/rotation-writer-main.ts';

function javaClasspath(): string[] {
  const jar = aeronJarPath();
  return [jar, compileJava({ sources: JAVA_SOURCES, classpath: [jar] })];
}

/** Compiles the Java helpers now (javac can take a while on a loaded machine; call it in `beforeAll`). */
export function compileJavaHelpers(): void {
  javaClasspath();
}

function startJava(role: string, mainClass: string, args: readonly string[]): ProbeProcess {
  const child = spawn('java', [...AERON_JVM_FLAGS, '-cp', javaClasspath().join(':'), mainClass, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ProbeProcess(role, child);
}

export interface RotationWriterOptions {
  readonly aeronDir: string;
  readonly channel: string;
  readonly streamId: number;
  readonly seed: number;
  readonly count: number;
  /** The writer offers once this file exists (so that every writer starts together). */
  readonly goFile: string;
}

function writerArgs(o: RotationWriterOptions): string[] {
  return [o.aeronDir, o.channel, String(o.streamId), String(o.seed), String(o.count), o.goFile];
}

/** An aeron-ts writer in a Node child process (concurrent publication). */
export function startTsRotationWriter(options: RotationWriterOptions): ProbeProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, TS_WRITER), ...writerArgs(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: PROJECT_ROOT,
  });
  return new ProbeProcess('ts-rotation-writer', child);
}

/** A Java-client writer (concurrent publication). */
export function startJavaRotationWriter(options: RotationWriterOptions): ProbeProcess {
  return startJava('java-rotation-writer', 'ReliabilityRotationWriter', writerArgs(options));
}

/** What a rotation writer reported on its `done` line. */
export interface WriterReport {
  readonly count: number;
  readonly adminActions: number;
  readonly backPressured: number;
  readonly last: number;
}

/** Waits (bounded) for the writer's exit with status 0 and parses its `done` line. */
export async function writerReport(writer: ProbeProcess, timeoutMs: number): Promise<WriterReport> {
  const status = await writer.finish(timeoutMs);
  const line = writer.output().find((l) => l.startsWith('done '));
  const m = /^done count=(\d+) admin-actions=(\d+) back-pressured=(\d+) last=(\d+)$/.exec(line ?? '');
  if (status.code !== 0 || m === null) {
    throw new Error(`writer failed (code ${status.code}, signal ${status.signal})\n${writer.describe()}`);
  }
  return { count: Number(m[1]), adminActions: Number(m[2]), backPressured: Number(m[3]), last: Number(m[4]) };
}
