/**
 * Starts the real Java media driver (and archive) from the pinned jar for interop tests.
 *
 * `startMediaDriver()` runs `io.aeron.driver.MediaDriver`, `startArchivingMediaDriver()` runs
 * `io.aeron.archive.ArchivingMediaDriver`, each as a child JVM configured only by `-D` system
 * properties (names checked against Aeron 1.51.0):
 *
 * ```
 * aeron.dir=<fresh dir, /dev/shm when it has room>   aeron.dir.delete.on.start=true
 * aeron.dir.delete.on.shutdown=true                   aeron.threading.mode=SHARED
 * aeron.shared.idle.strategy=backoff                  (parks up to 1 ms when idle: fine on 2 cores)
 * -- archive only --
 * aeron.archive.dir=<fresh dir in tmpdir>             aeron.archive.threading.mode=SHARED
 * aeron.archive.idle.strategy=backoff                 aeron.archive.id=<unique per call>
 * aeron.archive.control.channel=aeron:udp?endpoint=localhost:<free port>
 * aeron.archive.control.stream.id=10                  aeron.archive.local.control.channel=aeron:ipc?term-length=64k
 * aeron.archive.local.control.stream.id=10            aeron.archive.control.response.channel=aeron:udp?endpoint=localhost:0
 * aeron.archive.replication.channel=aeron:udp?endpoint=localhost:0
 * aeron.archive.recording.events.enabled=false        (or true with a free-port dynamic MDC events channel)
 * ```
 * `options.properties` adds to or overrides any of these.
 *
 * Readiness (polled every 50 ms, deadline `readyTimeoutMs`, default 90 s: JVM start-up on 2 loaded cores):
 * - driver: `<aeron.dir>/cnc.dat` has a non-zero cncVersion (the driver writes it last);
 * - archive, in addition: `archive-mark.dat` has a non-zero version (written when the archive context
 *   is concluded), and the driver's counters show an ACTIVE `rcv-channel` status counter for the UDP
 *   control endpoint, i.e. the archive's control subscription exists and its socket is bound. The
 *   archive adds its local (IPC) control subscription in the same constructor, just after.
 * On deadline or early exit the JVM is killed, its directories removed, and the error carries the
 * tail of its stdout and stderr.
 *
 * `stop()` sends SIGTERM by pid (the driver's ShutdownSignalBarrier closes it cleanly), waits up to
 * `stopTimeoutMs` (10 s), then SIGKILL, waits for exit, and removes the directories. Every driver is
 * tracked in `processes.ts`, which kills leftovers when the Node process exits.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { aeronJarPath } from './aeron-jars.ts';
import { hasActiveReceiveChannel, readVersionField } from './driver-files.ts';
import { AERON_JVM_FLAGS } from './java.ts';
import { freeUdpPort } from './ports.ts';
import { isAlive, signalPid, track, untrack } from './processes.ts';
import { makeAeronDir, makeArchiveDir, removeDir } from './temp-dir.ts';

export const MEDIA_DRIVER_MAIN_CLASS = 'io.aeron.driver.MediaDriver';
export const ARCHIVING_MEDIA_DRIVER_MAIN_CLASS = 'io.aeron.archive.ArchivingMediaDriver';

const DEFAULT_READY_TIMEOUT_MS = 90_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const KILL_WAIT_MS = 10_000;
const POLL_INTERVAL_MS = 50;
const OUTPUT_TAIL_BYTES = 32 * 1024;

export interface DriverOptions {
  /** Extra `-D` system properties; they override the harness defaults. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Extra environment variables for the JVM (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra JVM flags, after `AERON_JVM_FLAGS`. */
  readonly jvmArgs?: readonly string[];
  /** Deadline for the driver to become ready; default 30 s. */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 10 s. */
  readonly stopTimeoutMs?: number;
  /** Jar to run; default `aeronJarPath()`. */
  readonly jarPath?: string;
  /** Extra classpath entries after the jar (e.g. compiled test classes such as an authenticator supplier). */
  readonly classpath?: readonly string[];
}

export interface ArchivingDriverOptions extends DriverOptions {
  /** Enables the recording events publication on a free-port dynamic MDC channel; default off. */
  readonly recordingEvents?: boolean;
}

export interface DriverExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DriverHandle extends AsyncDisposable {
  /** 'MediaDriver' or 'ArchivingMediaDriver'. */
  readonly name: string;
  readonly pid: number;
  readonly aeronDir: string;
  /** Every `-D` property the JVM was started with. */
  readonly properties: Readonly<Record<string, string>>;
  /** Resolves when the JVM has exited. */
  readonly exited: Promise<DriverExit>;
  hasExited(): boolean;
  /** Tail of the JVM's stdout and stderr so far. */
  output(): string;
  /** Sends a signal by pid (fault tests); false when the JVM is already gone. `stop()` still cleans up. */
  kill(signal?: NodeJS.Signals): boolean;
  /** SIGTERM, wait, SIGKILL if needed, then remove the directories. Idempotent. */
  stop(): Promise<void>;
}

export interface ArchivingDriverHandle extends DriverHandle {
  readonly archiveDir: string;
  /** aeron.archive.id as a decimal string (a Java long). */
  readonly archiveId: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
  /** Response channel for clients connecting over UDP (OS-assigned port). */
  readonly responseChannel: string;
  readonly localControlChannel: string;
  readonly localControlStreamId: number;
  /** Set when `recordingEvents` was requested. */
  readonly recordingEventsChannel?: string;
  readonly recordingEventsStreamId?: number;
}

let archiveSequence = 0;

/** Starts `io.aeron.driver.MediaDriver` and waits until its CnC file is initialised. */
export async function startMediaDriver(options: DriverOptions = {}): Promise<DriverHandle> {
  const aeronDir = makeAeronDir();
  const properties = { ...driverDefaults(aeronDir), ...options.properties };
  const launched = launch('MediaDriver', MEDIA_DRIVER_MAIN_CLASS, properties, [aeronDir], options);
  await awaitReady(launched, options, [cncReady(properties)]);
  return launched.handle;
}

/** Starts `io.aeron.archive.ArchivingMediaDriver` and waits until the archive takes control connections. */
export async function startArchivingMediaDriver(options: ArchivingDriverOptions = {}): Promise<ArchivingDriverHandle> {
  const controlPort = await freeUdpPort();
  const eventsPort = options.recordingEvents === true ? await freeUdpPort() : 0;
  const aeronDir = makeAeronDir();
  const archiveDir = makeArchiveDir();
  archiveSequence += 1;
  const archiveDefaults: Record<string, string> = {
    'aeron.archive.dir': archiveDir,
    'aeron.archive.threading.mode': 'SHARED',
    'aeron.archive.idle.strategy': 'backoff',
    'aeron.archive.id': String(process.pid * 1000 + archiveSequence),
    'aeron.archive.control.channel': `aeron:udp?endpoint=localhost:${controlPort}`,
    'aeron.archive.control.stream.id': '10',
    'aeron.archive.local.control.channel': 'aeron:ipc?term-length=64k',
    'aeron.archive.local.control.stream.id': '10',
    'aeron.archive.control.response.channel': 'aeron:udp?endpoint=localhost:0',
    'aeron.archive.replication.channel': 'aeron:udp?endpoint=localhost:0',
    'aeron.archive.recording.events.enabled': options.recordingEvents === true ? 'true' : 'false',
  };
  if (options.recordingEvents === true) {
    archiveDefaults['aeron.archive.recording.events.channel'] =
      `aeron:udp?control-mode=dynamic|control=localhost:${eventsPort}`;
    archiveDefaults['aeron.archive.recording.events.stream.id'] = '30';
  }
  const properties: Record<string, string> = {
    ...driverDefaults(aeronDir),
    ...archiveDefaults,
    ...options.properties,
  };
  const launched = launch(
    'ArchivingMediaDriver',
    ARCHIVING_MEDIA_DRIVER_MAIN_CLASS,
    properties,
    [aeronDir, archiveDir],
    options,
  );
  await awaitReady(launched, options, [cncReady(properties), archiveMarkReady(properties), controlReady(properties)]);

  const handle: ArchivingDriverHandle = Object.assign(launched.handle, {
    archiveDir: prop(properties, 'aeron.archive.dir'),
    archiveId: prop(properties, 'aeron.archive.id'),
    controlChannel: prop(properties, 'aeron.archive.control.channel'),
    controlStreamId: Number(prop(properties, 'aeron.archive.control.stream.id')),
    responseChannel: prop(properties, 'aeron.archive.control.response.channel'),
    localControlChannel: prop(properties, 'aeron.archive.local.control.channel'),
    localControlStreamId: Number(prop(properties, 'aeron.archive.local.control.stream.id')),
  });
  if (properties['aeron.archive.recording.events.enabled'] === 'true') {
    const channel = properties['aeron.archive.recording.events.channel'];
    const streamId = properties['aeron.archive.recording.events.stream.id'];
    if (channel !== undefined) Object.assign(handle, { recordingEventsChannel: channel });
    if (streamId !== undefined) Object.assign(handle, { recordingEventsStreamId: Number(streamId) });
  }
  return handle;
}

function driverDefaults(aeronDir: string): Record<string, string> {
  return {
    'aeron.dir': aeronDir,
    'aeron.dir.delete.on.start': 'true',
    'aeron.dir.delete.on.shutdown': 'true',
    'aeron.threading.mode': 'SHARED',
    'aeron.shared.idle.strategy': 'backoff',
  };
}

function prop(properties: Readonly<Record<string, string>>, name: string): string {
  const value = properties[name];
  if (value === undefined) throw new Error(`driver property ${name} is not set`);
  return value;
}

/** A readiness condition: `check()` true when met; `what` names it in timeout errors. */
interface ReadyCondition {
  readonly what: string;
  check(): boolean;
}

function cncReady(properties: Readonly<Record<string, string>>): ReadyCondition {
  const cncPath = join(prop(properties, 'aeron.dir'), 'cnc.dat');
  return { what: `${cncPath} with a non-zero cncVersion`, check: () => readVersionField(cncPath) !== 0 };
}

function archiveMarkReady(properties: Readonly<Record<string, string>>): ReadyCondition {
  const dir = properties['aeron.archive.mark.file.dir'] ?? prop(properties, 'aeron.archive.dir');
  const markPath = join(dir, 'archive-mark.dat');
  return { what: `${markPath} with a non-zero version`, check: () => readVersionField(markPath) !== 0 };
}

function controlReady(properties: Readonly<Record<string, string>>): ReadyCondition {
  const cncPath = join(prop(properties, 'aeron.dir'), 'cnc.dat');
  const enabled = properties['aeron.archive.control.channel.enabled'] !== 'false';
  const endpoint = /endpoint=([^|]+)/.exec(properties['aeron.archive.control.channel'] ?? '')?.[1];
  if (!enabled || endpoint === undefined) return { what: 'nothing', check: () => true };
  const fragment = `endpoint=${endpoint}`;
  return {
    what: `an ACTIVE rcv-channel counter for ${fragment} (archive control subscription)`,
    check: () => hasActiveReceiveChannel(cncPath, fragment),
  };
}

/** Keeps the last `limit` bytes written to it. */
class OutputTail {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    while (this.length - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.length -= this.chunks.shift()?.length ?? 0;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/** `promise`'s value, or `fallback` after `ms`; the timer is cleared either way. */
async function withinMs<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  const ac = new AbortController();
  try {
    return await Promise.race([promise, sleep(ms, fallback, { signal: ac.signal })]);
  } finally {
    ac.abort();
  }
}

interface Launched {
  readonly handle: DriverHandle;
  /** Resolves when the JVM's stdout and stderr have closed. */
  readonly closed: Promise<void>;
}

function launch(
  name: string,
  mainClass: string,
  properties: Readonly<Record<string, string>>,
  dirs: readonly string[],
  options: DriverOptions,
): Launched {
  const args = [
    ...AERON_JVM_FLAGS,
    ...(options.jvmArgs ?? []),
    ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
    '-cp',
    [options.jarPath ?? aeronJarPath(), ...(options.classpath ?? [])].join(':'),
    mainClass,
  ];
  const child = spawn('java', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  const stdout = new OutputTail(OUTPUT_TAIL_BYTES);
  const stderr = new OutputTail(OUTPUT_TAIL_BYTES);
  child.stdout?.on('data', (d: Buffer) => stdout.push(d));
  child.stderr?.on('data', (d: Buffer) => stderr.push(d));

  let exitStatus: DriverExit | null = null;
  let spawnError: Error | null = null;
  const closed = new Promise<void>((resolveClose) => child.once('close', () => resolveClose()));
  const exited = new Promise<DriverExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitStatus = { code, signal };
      resolveExit(exitStatus);
    });
    child.once('error', (e) => {
      // Spawn failure (e.g. no java): there will be no 'exit' event.
      spawnError = e;
      exitStatus = { code: null, signal: null };
      resolveExit(exitStatus);
    });
  });
  // Never keep the Node process alive just for the driver; the exit hook kills it.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }

  const pid = child.pid ?? -1;
  if (pid > 0) track({ pid, name, dirs });

  const output = (): string =>
    `${spawnError !== null ? `spawn error: ${String(spawnError)}\n` : ''}--- ${name} stdout (tail) ---\n${stdout.text()}\n--- ${name} stderr (tail) ---\n${stderr.text()}`;

  const waitExit = async (ms: number): Promise<boolean> =>
    exitStatus !== null ||
    (await withinMs(
      exited.then(() => true),
      ms,
      false,
    ));

  let stopping: Promise<void> | null = null;
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (pid > 0 && exitStatus === null) {
        signalPid(pid, 'SIGTERM');
        if (!(await waitExit(stopTimeoutMs))) {
          signalPid(pid, 'SIGKILL');
          if (!(await waitExit(KILL_WAIT_MS)) && isAlive(pid)) {
            throw new Error(`${name} pid ${pid} survived SIGKILL for ${KILL_WAIT_MS} ms`);
          }
        }
      }
      for (const dir of dirs) removeDir(dir);
      if (pid > 0) untrack(pid);
    })();
    return stopping;
  };

  const handle: DriverHandle = {
    name,
    pid,
    aeronDir: prop(properties, 'aeron.dir'),
    properties,
    exited,
    hasExited: () => exitStatus !== null,
    output,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => exitStatus === null && pid > 0 && signalPid(pid, signal),
    stop,
    [Symbol.asyncDispose]: stop,
  };
  return { handle, closed };
}

async function awaitReady(launched: Launched, options: DriverOptions, conditions: readonly ReadyCondition[]) {
  const { handle, closed } = launched;
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let pending = conditions.find((c) => !c.check());
  while (pending !== undefined) {
    if (handle.hasExited()) {
      const status = await handle.exited;
      // Let the pipes drain so the error shows the JVM's last words.
      await withinMs(closed, 2_000, undefined);
      await handle.stop();
      throw new Error(
        `${handle.name} exited before it was ready (code ${status.code}, signal ${status.signal}) ` +
          `while waiting for ${pending.what}\n${handle.output()}`,
      );
    }
    if (Date.now() >= deadline) {
      await handle.stop();
      throw new Error(
        `${handle.name} pid ${handle.pid} not ready within ${timeoutMs} ms: waiting for ${pending.what}\n${handle.output()}`,
      );
    }
    await sleep(POLL_INTERVAL_MS);
    pending = conditions.find((c) => !c.check());
  }
}
