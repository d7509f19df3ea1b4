/**
 * Runs `test/java/PubSubProbe.java` (the real Java Aeron client) as a publisher or subscriber against
 * a test driver, and parses what it prints. See the probe's header for its options and output lines,
 * and `message-pattern.ts` for the message content both sides agree on.
 *
 * `startTsPublisher` runs the aeron-ts twin of the publisher (`test/client/fixtures/ts-publisher.ts`) in a
 * Node child process with the same options and output.
 *
 * Every probe is a child process tracked in `processes.ts` (killed by PID when the Node process exits),
 * has its own `--timeout-ms` deadline inside, and a hard deadline here after which it is SIGKILLed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { aeronJarPath, PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava } from '../../harness/java.ts';
import { isAlive, signalPid, track, untrack } from '../../harness/processes.ts';
import type { MessageSizes } from './message-pattern.ts';

const PROBE_SOURCE = 'test/java/PubSubProbe.java';
const PROBE_MAIN_CLASS = 'PubSubProbe';
const OUTPUT_LIMIT = 64 * 1024;

let classDir: string | undefined;

/** Compiles the probe once per process (and once per change, through `compileJava`'s cache). */
export function pubSubProbeClasspath(): string[] {
  classDir ??= compileJava({ sources: [PROBE_SOURCE], classpath: [aeronJarPath()] });
  return [classDir, aeronJarPath()];
}

export interface ProbeCommon {
  readonly aeronDir: string;
  readonly channel: string;
  readonly streamId: number;
  readonly sizes: MessageSizes | string;
  readonly seed: number;
  /** The probe's own deadline (it exits with status 2 when it passes); default 60 s. */
  readonly timeoutMs?: number;
}

export interface PublisherOptions extends ProbeCommon {
  readonly exclusive: boolean;
  readonly count: number;
}

export interface SubscriberOptions extends ProbeCommon {
  /** Messages per source. */
  readonly count: number;
  /** Number of publishers, seeds `seed .. seed+sources-1`; default 1. */
  readonly sources?: number;
  /** Sleep `ms` after every `every` messages. */
  readonly slow?: { readonly ms: number; readonly every: number };
  readonly readyFile?: string;
  /** After the last expected message wait for end of stream and count anything more as an error. */
  readonly untilEos?: boolean;
  readonly progressEvery?: number;
}

export interface ProbeExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Published {
  readonly count: number;
  readonly position: number;
  readonly checksum: string;
  readonly backPressured: number;
}

export interface Connected {
  readonly sessionId: number;
  readonly maxPayload: number;
  readonly maxMessage: number;
  readonly position: number;
}

export interface Received {
  readonly count: number;
  readonly checksum: string;
  readonly errors: number;
  /** Per source: seed → { count, checksum }. */
  readonly sources: ReadonlyMap<number, { readonly count: number; readonly checksum: string }>;
}

/** A running probe JVM. */
export class ProbeProcess {
  readonly pid: number;
  readonly exited: Promise<ProbeExit>;
  private readonly lines: string[] = [];
  private stderr = '';
  private partial = '';
  private exitStatus: ProbeExit | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly role: string,
    child: ChildProcess,
  ) {
    this.pid = child.pid ?? -1;
    if (this.pid > 0) track({ pid: this.pid, name: `PubSubProbe ${role}`, dirs: [] });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => this.onStdout(d));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-OUTPUT_LIMIT);
    });
    this.exited = new Promise((resolveExit) => {
      const done = (status: ProbeExit): void => {
        if (this.exitStatus !== null) return;
        this.exitStatus = status;
        if (this.pid > 0) untrack(this.pid);
        resolveExit(status);
        this.wake();
      };
      child.once('close', (code, signal) => done({ code, signal }));
      child.once('error', (e) => {
        this.stderr += `spawn error: ${String(e)}\n`;
        done({ code: null, signal: null });
      });
    });
  }

  /** Every complete stdout line so far. */
  output(): readonly string[] {
    return this.lines;
  }

  /** Stdout and stderr, for assertion messages. */
  describe(): string {
    return `--- PubSubProbe ${this.role} pid ${this.pid} stdout ---\n${this.lines.join('\n')}${this.partial}\n--- stderr ---\n${this.stderr}`;
  }

  /** The first stdout line matching `pattern`, waiting up to `timeoutMs`; rejects if the probe exits first. */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const line of this.lines) {
        const m = pattern.exec(line);
        if (m !== null) return m;
      }
      if (this.exitStatus !== null) {
        throw new Error(`probe exited (code ${this.exitStatus.code}) before printing ${pattern}\n${this.describe()}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms\n${this.describe()}`);
      await this.nextEvent(left);
    }
  }

  /** Waits for exit up to `timeoutMs`, SIGKILLing the JVM if it is still running then. */
  async finish(timeoutMs: number): Promise<ProbeExit> {
    const deadline = Date.now() + timeoutMs;
    while (this.exitStatus === null) {
      const left = deadline - Date.now();
      if (left <= 0) {
        await this.kill();
        throw new Error(`probe did not exit within ${timeoutMs} ms (killed)\n${this.describe()}`);
      }
      await this.nextEvent(left);
    }
    return this.exitStatus;
  }

  /** SIGKILL by pid and wait for the exit (idempotent). */
  async kill(): Promise<void> {
    if (this.exitStatus === null && this.pid > 0) {
      signalPid(this.pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (this.exitStatus === null && Date.now() < deadline) await this.nextEvent(deadline - Date.now());
      if (this.exitStatus === null && isAlive(this.pid)) {
        throw new Error(`PubSubProbe ${this.role} pid ${this.pid} survived SIGKILL`);
      }
      untrack(this.pid);
    }
  }

  /** Exit status 0 and the `published` line, or an error with the probe's output. */
  async published(timeoutMs: number): Promise<Published> {
    const status = await this.finish(timeoutMs);
    const m = this.find(/^published count=(\d+) position=(-?\d+) checksum=([0-9a-f]{8}) backpressured=(\d+)$/);
    if (status.code !== 0 || m === null) {
      throw new Error(`publisher failed (code ${status.code}, signal ${status.signal})\n${this.describe()}`);
    }
    return {
      count: Number(m[1]),
      position: Number(m[2]),
      checksum: m[3] ?? '',
      backPressured: Number(m[4]),
    };
  }

  /** Exit status 0 and the `received` line with no errors, or an error with the probe's output. */
  async received(timeoutMs: number): Promise<Received> {
    const status = await this.finish(timeoutMs);
    const m = this.find(/^received count=(\d+) checksum=([0-9a-f]{8}) errors=(\d+)$/);
    if (status.code !== 0 || m === null) {
      throw new Error(`subscriber failed (code ${status.code}, signal ${status.signal})\n${this.describe()}`);
    }
    const sources = new Map<number, { count: number; checksum: string }>();
    for (const line of this.lines) {
      const s = /^source seed=(-?\d+) count=(\d+) checksum=([0-9a-f]{8})$/.exec(line);
      if (s !== null) sources.set(Number(s[1]), { count: Number(s[2]), checksum: s[3] ?? '' });
    }
    return { count: Number(m[1]), checksum: m[2] ?? '', errors: Number(m[3]), sources };
  }

  /** Parses the publisher's `connected` line (waits for it). */
  async connected(timeoutMs: number): Promise<Connected> {
    const m = await this.waitForLine(
      /^connected session=(-?\d+) max-payload=(\d+) max-message=(\d+) position=(-?\d+)$/,
      timeoutMs,
    );
    return {
      sessionId: Number(m[1]),
      maxPayload: Number(m[2]),
      maxMessage: Number(m[3]),
      position: Number(m[4]),
    };
  }

  private find(pattern: RegExp): RegExpExecArray | null {
    for (const line of this.lines) {
      const m = pattern.exec(line);
      if (m !== null) return m;
    }
    return null;
  }

  private onStdout(data: string): void {
    const text = this.partial + data;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      // Progress lines are many and uninteresting once seen: keep only the last one.
      if (line.startsWith('progress ') && this.lines.at(-1)?.startsWith('progress ') === true) {
        this.lines[this.lines.length - 1] = line;
      } else {
        this.lines.push(line);
      }
    }
    if (parts.length > 0) this.wake();
  }

  private wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  private nextEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolveEvent) => {
      const timer = setTimeout(() => {
        this.waiters.delete(wakeUp);
        resolveEvent();
      }, timeoutMs);
      const wakeUp = (): void => {
        clearTimeout(timer);
        resolveEvent();
      };
      this.waiters.add(wakeUp);
    });
  }
}

function launch(role: string, args: readonly string[]): ProbeProcess {
  const child = spawn(
    'java',
    [...AERON_JVM_FLAGS, '-cp', pubSubProbeClasspath().join(':'), PROBE_MAIN_CLASS, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new ProbeProcess(role, child);
}

function commonArgs(o: ProbeCommon): string[] {
  return [
    '--dir',
    o.aeronDir,
    '--channel',
    o.channel,
    '--stream',
    String(o.streamId),
    '--sizes',
    typeof o.sizes === 'string' ? o.sizes : o.sizes.spec,
    '--seed',
    String(o.seed),
    '--timeout-ms',
    String(o.timeoutMs ?? 60_000),
  ];
}

/** Starts a Java publisher; it waits for a subscriber, publishes `count` messages, prints `published ...`, exits. */
export function startJavaPublisher(options: PublisherOptions): ProbeProcess {
  return launch('publish', [
    'publish',
    ...commonArgs(options),
    '--mode',
    options.exclusive ? 'exclusive' : 'concurrent',
    '--count',
    String(options.count),
  ]);
}

const TS_PUBLISHER = 'test/client/fixtures/ts-publisher.ts';

/**
 * Starts a Node child process publishing with the aeron-ts client (`test/client/fixtures/ts-publisher.ts`),
 * with the same options and output as `startJavaPublisher`.
 */
export function startTsPublisher(options: PublisherOptions): ProbeProcess {
  const args = [
    '--import',
    'tsx',
    join(PROJECT_ROOT, TS_PUBLISHER),
    ...commonArgs(options),
    '--mode',
    options.exclusive ? 'exclusive' : 'concurrent',
    '--count',
    String(options.count),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: PROJECT_ROOT });
  return new ProbeProcess('ts-publish', child);
}

/**
 * Starts a Java subscriber and waits until it has added its subscription (prints `ready`), so a
 * publisher started afterwards connects to it.
 */
export async function startJavaSubscriber(options: SubscriberOptions, readyTimeoutMs = 30_000): Promise<ProbeProcess> {
  const args = ['subscribe', ...commonArgs(options), '--count', String(options.count)];
  if (options.sources !== undefined) args.push('--sources', String(options.sources));
  if (options.slow !== undefined) args.push('--slow', `${options.slow.ms}:${options.slow.every}`);
  if (options.readyFile !== undefined) args.push('--ready-file', options.readyFile);
  if (options.untilEos === true) args.push('--until-eos');
  if (options.progressEvery !== undefined) args.push('--progress', String(options.progressEvery));
  const probe = launch('subscribe', args);
  try {
    await probe.waitForLine(/^ready$/, readyTimeoutMs);
  } catch (e) {
    await probe.kill();
    throw e;
  }
  return probe;
}
