/**
 * Starts the media driver (and archive) the interop tests run against.
 *
 * Environment (read once per test process; `options.driver` overrides it for one start):
 * ```
 * AERON_TEST_DRIVER=java|c|ts      which media driver implementation runs, i.e. whose facts apply
 *                                  (driver-kind.ts). Default java. `ts` is the TypeScript media driver,
 *                                  started as `node --import tsx src/cli/main.ts driver <properties file>`
 *                                  unless AERON_TEST_DRIVER_COMMAND names another command.
 * AERON_TEST_DRIVER_COMMAND=...    the command that starts that driver: program and arguments separated
 *                                  by spaces, or a JSON array of strings. Required for c (the path of
 *                                  aeronmd). For java it is optional: without it the harness starts
 *                                  `io.aeron.driver.MediaDriver` from the jar itself; with it (e.g.
 *                                  `java -cp .aeron/aeron-all-1.51.0.jar io.aeron.driver.MediaDriver`) the
 *                                  Java driver goes through the same external-command path as aeronmd.
 * AERON_TEST_ARCHIVE=java|ts        which archive implementation `startArchivingMediaDriver` / `startArchive` start,
 *                                  i.e. whose facts apply (archive-kind.ts). Default java. `ts` is the TypeScript
 *                                  archive server, started as `node --import tsx src/cli/main.ts archive <properties
 *                                  file>` beside the selected driver (Java's, unless AERON_TEST_DRIVER says otherwise).
 * AERON_VERSION=x.y.z              the Aeron release of the jars (aeron-jars.ts; aeron-version.ts).
 * ```
 * Runs:
 * ```
 * npx vitest run interop                                              # Java driver, pinned release
 * AERON_VERSION=1.49.3 npx vitest run interop                         # another release (setup-aeron.sh first)
 * AERON_TEST_DRIVER=c AERON_TEST_DRIVER_COMMAND=/path/to/aeronmd npx vitest run interop
 * AERON_TEST_DRIVER=ts npx vitest run test/client/pubsub-interop.test.ts            # the TypeScript driver
 * AERON_TEST_ARCHIVE=ts npx vitest run test/archive/interop-connect.test.ts           # the TypeScript archive
 * AERON_TEST_DRIVER=ts AERON_TEST_ARCHIVE=ts npx vitest run test/archive/interop-connect.test.ts   # no JVM
 * ```
 *
 * `startMediaDriver()` starts the driver. The harness's own Java launch runs `io.aeron.driver.MediaDriver`
 * as a child JVM configured by `-D` system properties; an external command gets the same settings the way
 * its `DriverKind` takes them (a properties file argument, or `AERON_*` environment variables for the C
 * driver). The settings, with Aeron's Java property names (checked against Aeron 1.51.0):
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
 * `options.properties` adds to or overrides any of these; `options.loss` adds the driver's own loss
 * injection settings (`DriverKind.lossProperties`).
 *
 * `startArchivingMediaDriver()`: with the harness's Java launch and the Java archive, one JVM runs
 * `io.aeron.archive.ArchivingMediaDriver`. Otherwise the driver is started as above (with every setting but
 * `aeron.archive.*`), then the archive runs as a client of that driver (`handle.mediaDriver`): Java's
 * `io.aeron.archive.Archive` in its own JVM, or the TypeScript archive (`aeron-ts archive <properties file>`, every
 * setting in the file; the `aeron.*` names it does not read it reports as ignored). `pid`, `kill()` and `exited`
 * are the archive's, `stop()` stops the archive, then the driver.
 *
 * `startArchive(aeronDir)`: only the archive (Java's `Archive` JVM or `aeron-ts archive`), as a client of a driver
 * the caller already runs on `aeronDir` (a TypeScript driver in the test process, say); `stop()` stops the archive
 * alone.
 *
 * Readiness (polled every 50 ms, deadline `readyTimeoutMs`, default 90 s: JVM start-up on 2 loaded cores):
 * - driver: `<aeron.dir>/cnc.dat` has a non-zero cncVersion (the driver writes it last);
 * - archive, in addition: `archive-mark.dat` has a non-zero version (the MarkFileHeader's, after the 8-byte SBE
 *   message header; Java writes it when the archive context is concluded, the TypeScript archive once its control
 *   subscriptions exist), and the driver's counters show an ACTIVE `rcv-channel` status counter for the UDP
 *   control endpoint, i.e. the archive's control subscription exists and its socket is bound. Java's archive
 *   adds its local (IPC) control subscription in the same constructor, just after; the TypeScript one before.
 * On deadline or early exit the process is killed, its directories removed, and the error carries the
 * tail of its stdout and stderr.
 *
 * `stop()` sends SIGTERM by pid (Java's ShutdownSignalBarrier and aeronmd's signal handler close the
 * driver cleanly), waits up to `stopTimeoutMs` (10 s), then SIGKILL, waits for exit, and removes the
 * directories. Every process is tracked in `processes.ts`, which kills leftovers when the Node process exits.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { aeronJarPath } from './aeron-jars.ts';
import {
  ARCHIVE_KINDS,
  type ArchiveKind,
  type ArchiveKindName,
  JAVA_ARCHIVE_KIND,
  TS_ARCHIVE_KIND,
} from './archive-kind.ts';
import { ARCHIVE_MARK_VERSION_OFFSET, hasActiveReceiveChannel, readVersionField } from './driver-files.ts';
import {
  DRIVER_KINDS,
  type DriverKind,
  type DriverKindName,
  JAVA_DRIVER_KIND,
  type LossSettings,
  type PropertyPassing,
  propertyToEnvName,
  TS_DRIVER_KIND,
} from './driver-kind.ts';
import { AERON_JVM_FLAGS } from './java.ts';
import { freeUdpPort } from './ports.ts';
import { isAlive, signalPid, track, untrack } from './processes.ts';
import { makeAeronDir, makeArchiveDir, makeTestDir, removeDir } from './temp-dir.ts';

export const MEDIA_DRIVER_MAIN_CLASS = 'io.aeron.driver.MediaDriver';
export const ARCHIVING_MEDIA_DRIVER_MAIN_CLASS = 'io.aeron.archive.ArchivingMediaDriver';
/** The archive on its own, a client of an already running media driver. */
export const ARCHIVE_MAIN_CLASS = 'io.aeron.archive.Archive';

/** Which media driver to start and how: a `DriverKind` and, unless it is the harness's Java launch, a command. */
export interface DriverLauncher {
  readonly kind: DriverKind;
  /** Program and arguments of an external command; absent: the harness starts the Java driver itself. */
  readonly command?: readonly string[];
}

/** The Java media driver started by the harness itself (the default). */
export const JAVA_DRIVER: DriverLauncher = { kind: JAVA_DRIVER_KIND };

/** The CLI of this repository, run from source. */
const CLI_MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/**
 * The TypeScript media driver: `node --import tsx src/cli/main.ts driver <properties file>` (the file is
 * appended by `commandLaunch`, as for Java's `MediaDriver`); SIGTERM closes it cleanly.
 */
export const TS_DRIVER: DriverLauncher = {
  kind: TS_DRIVER_KIND,
  command: [process.execPath, '--import', import.meta.resolve('tsx'), CLI_MAIN, 'driver'],
};

/** A driver of `kind` started by an external command (the harness's settings are passed as `kind` takes them). */
export function externalDriver(kind: DriverKind, command: readonly string[]): DriverLauncher {
  if (command.length === 0 || command[0] === '') throw new Error(`external ${kind.name} driver: empty command`);
  return { kind, command };
}

/** `AERON_TEST_DRIVER_COMMAND`: a JSON array of strings, or words separated by white space. */
function parseCommand(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return trimmed.split(/\s+/).filter((word) => word.length > 0);
  const parsed: unknown = JSON.parse(trimmed);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`AERON_TEST_DRIVER_COMMAND: a JSON command must be an array of strings (got ${trimmed})`);
  }
  return parsed;
}

/** The driver the environment selects (see the top of this file); throws a clear error for a bad selection. */
export function driverFromEnvironment(env: NodeJS.ProcessEnv = process.env): DriverLauncher {
  const name = (env.AERON_TEST_DRIVER ?? '').trim() || 'java';
  const commandText = env.AERON_TEST_DRIVER_COMMAND ?? '';
  const kind = DRIVER_KINDS[name as DriverKindName];
  if (kind === undefined) {
    throw new Error(`AERON_TEST_DRIVER=${name}: unknown driver (one of: ${Object.keys(DRIVER_KINDS).join(', ')})`);
  }
  if (commandText.trim() === '') {
    if (kind === JAVA_DRIVER_KIND) return JAVA_DRIVER;
    if (kind === TS_DRIVER_KIND) return TS_DRIVER;
    throw new Error(`AERON_TEST_DRIVER=${name} needs AERON_TEST_DRIVER_COMMAND (e.g. the path of aeronmd)`);
  }
  return externalDriver(kind, parseCommand(commandText));
}

let selected: DriverLauncher | undefined;

/** The driver this test process runs against (`driverFromEnvironment()`, read once). */
export function selectedDriver(): DriverLauncher {
  selected ??= driverFromEnvironment();
  return selected;
}

/** The facts of the driver this test process runs against: what tests assert where drivers differ. */
export function driverKind(): DriverKind {
  return selectedDriver().kind;
}

/** Which archive to start: an `ArchiveKind` and, unless it is Java's (started from the jar), a command. */
export interface ArchiveLauncher {
  readonly kind: ArchiveKind;
  /** Program and arguments; the properties file is appended. Absent: Java's archive from the jar. */
  readonly command?: readonly string[];
}

/** Java's archive, from the jar (the default). */
export const JAVA_ARCHIVE: ArchiveLauncher = { kind: JAVA_ARCHIVE_KIND };

/**
 * The TypeScript archive: `node --import tsx src/cli/main.ts archive <properties file>` (run directly, not through
 * bin/aeron-ts.js, whose extra Node process would not pass on a SIGKILL by PID); SIGTERM closes it cleanly.
 */
export const TS_ARCHIVE: ArchiveLauncher = {
  kind: TS_ARCHIVE_KIND,
  command: [process.execPath, '--import', import.meta.resolve('tsx'), CLI_MAIN, 'archive'],
};

/** The archive the environment selects (`AERON_TEST_ARCHIVE`, see the top of this file). */
export function archiveFromEnvironment(env: NodeJS.ProcessEnv = process.env): ArchiveLauncher {
  const name = (env.AERON_TEST_ARCHIVE ?? '').trim() || 'java';
  const kind = ARCHIVE_KINDS[name as ArchiveKindName] as ArchiveKind | undefined;
  if (kind === undefined) {
    throw new Error(`AERON_TEST_ARCHIVE=${name}: unknown archive (one of: ${Object.keys(ARCHIVE_KINDS).join(', ')})`);
  }
  return kind === TS_ARCHIVE_KIND ? TS_ARCHIVE : JAVA_ARCHIVE;
}

let selectedArchiveLauncher: ArchiveLauncher | undefined;

/** The archive this test process runs against (`archiveFromEnvironment()`, read once). */
export function selectedArchive(): ArchiveLauncher {
  selectedArchiveLauncher ??= archiveFromEnvironment();
  return selectedArchiveLauncher;
}

/** The facts of the archive this test process runs against: what tests assert where archives differ. */
export function archiveKind(): ArchiveKind {
  return selectedArchive().kind;
}

const DEFAULT_READY_TIMEOUT_MS = 90_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const KILL_WAIT_MS = 10_000;
const POLL_INTERVAL_MS = 50;
const OUTPUT_TAIL_BYTES = 32 * 1024;

export interface DriverOptions {
  /** Extra settings (Java property names); they override the harness defaults. */
  readonly properties?: Readonly<Record<string, string>>;
  /** Seeded random loss of received frames, through the driver's own loss injection (`DriverKind.lossProperties`). */
  readonly loss?: LossSettings;
  /** The driver to start; default `selectedDriver()` (the environment's choice). */
  readonly driver?: DriverLauncher;
  /** Extra environment variables for the driver and archive processes (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>>;
  /** Extra JVM flags, after `AERON_JVM_FLAGS`, for the JVMs the harness starts itself. */
  readonly jvmArgs?: readonly string[];
  /** Deadline for the driver to become ready; default 90 s. */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 10 s. */
  readonly stopTimeoutMs?: number;
  /** Jar the harness's JVMs run; default `aeronJarPath()`. */
  readonly jarPath?: string;
  /** Extra classpath entries after the jar (e.g. compiled test classes such as an authenticator supplier). */
  readonly classpath?: readonly string[];
}

export interface ArchivingDriverOptions extends DriverOptions {
  /** Enables the recording events publication on a free-port dynamic MDC channel; default off. */
  readonly recordingEvents?: boolean;
  /** The archive to start; default `selectedArchive()` (the environment's choice). */
  readonly archive?: ArchiveLauncher;
}

export interface DriverExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DriverHandle extends AsyncDisposable {
  /** 'MediaDriver', 'ArchivingMediaDriver', 'Archive', or the external command's program name. */
  readonly name: string;
  /** The media driver implementation behind this handle, with its facts. */
  readonly kind: DriverKind;
  /** The Aeron release the media driver is built from (`aeronRelease(softwareVersion)` gives its per-release facts). */
  readonly softwareVersion: string;
  readonly pid: number;
  readonly aeronDir: string;
  /** Every setting (Java property name) the process was started with. */
  readonly properties: Readonly<Record<string, string>>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<DriverExit>;
  hasExited(): boolean;
  /** Tail of the process's stdout and stderr so far. */
  output(): string;
  /** Sends a signal by pid (fault tests); false when the process is already gone. `stop()` still cleans up. */
  kill(signal?: NodeJS.Signals): boolean;
  /** SIGTERM, wait, SIGKILL if needed, then remove the directories. Idempotent. */
  stop(): Promise<void>;
}

export interface ArchivingDriverHandle extends DriverHandle {
  /** The archive implementation behind this handle, with its facts. */
  readonly archiveKind: ArchiveKind;
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
  /** The media driver the archive is a client of, when they run as two processes (not ArchivingMediaDriver). */
  readonly mediaDriver?: DriverHandle;
}

let archiveSequence = 0;

/** Starts the media driver (`options.driver`, else the environment's choice) and waits until its CnC file is initialised. */
export async function startMediaDriver(options: DriverOptions = {}): Promise<DriverHandle> {
  const aeronDir = makeAeronDir();
  const driver = options.driver ?? selectedDriver();
  const properties = {
    ...driverDefaults(aeronDir),
    ...(options.loss !== undefined ? driver.kind.lossProperties(options.loss) : {}),
    ...options.properties,
  };
  return startDriverProcess(driver, properties, [aeronDir], options);
}

async function startDriverProcess(
  driver: DriverLauncher,
  properties: Readonly<Record<string, string>>,
  dirs: readonly string[],
  options: DriverOptions,
): Promise<DriverHandle> {
  const spec =
    driver.command === undefined
      ? javaLaunch('MediaDriver', MEDIA_DRIVER_MAIN_CLASS, properties, options)
      : commandLaunch(driver.kind.propertyPassing, driver.command, properties);
  const version = driver.kind.softwareVersion(driver.command);
  const launched = launch(spec, driver.kind, version, properties, [...dirs, ...spec.dirs], options);
  await awaitReady(launched, options, [cncReady(properties)]);
  return launched.handle;
}

/**
 * Starts a media driver with an archive (see the top of this file: one ArchivingMediaDriver JVM for the
 * harness's Java driver with Java's archive, else the driver and the archive, Java's `Archive` or `aeron-ts archive`,
 * beside it) and waits until the archive takes control connections.
 */
export async function startArchivingMediaDriver(options: ArchivingDriverOptions = {}): Promise<ArchivingDriverHandle> {
  const driver = options.driver ?? selectedDriver();
  const archive = options.archive ?? selectedArchive();
  const aeronDir = makeAeronDir();
  const archiveDir = makeArchiveDir();
  const properties: Record<string, string> = {
    ...driverDefaults(aeronDir),
    ...(await archiveDefaults(archiveDir, options)),
    ...(options.loss !== undefined ? driver.kind.lossProperties(options.loss) : {}),
    ...options.properties,
  };

  let handle: ArchivingDriverHandle;
  if (driver.command === undefined && driver.kind === JAVA_DRIVER_KIND && archive.command === undefined) {
    const spec = javaLaunch('ArchivingMediaDriver', ARCHIVING_MEDIA_DRIVER_MAIN_CLASS, properties, options);
    const version = driver.kind.softwareVersion(undefined);
    const launched = launch(spec, driver.kind, version, properties, [aeronDir, archiveDir], options);
    await awaitReady(launched, options, [cncReady(properties), ...archiveReady(properties)]);
    handle = Object.assign(launched.handle, archiveFields(archive, properties));
  } else {
    const driverProperties = Object.fromEntries(
      Object.entries(properties).filter(([name]) => !name.startsWith('aeron.archive.')),
    );
    const mediaDriver = await startDriverProcess(driver, driverProperties, [aeronDir], options);
    try {
      const launched = await launchArchive(
        archive,
        archiveDir,
        driver.kind,
        mediaDriver.softwareVersion,
        properties,
        options,
      );
      handle = pairOf(launched, mediaDriver, archive, properties);
    } catch (error) {
      await mediaDriver.stop();
      removeDir(archiveDir);
      throw error;
    }
  }
  return withRecordingEvents(handle, properties);
}

/**
 * Starts the archive alone (`options.archive`, else the environment's choice: Java's `io.aeron.archive.Archive` in
 * its own JVM or `aeron-ts archive`) as a plain client of the media driver already running on `aeronDir` (started by
 * the caller, e.g. a TypeScript driver in this process), with the archive settings of `startArchivingMediaDriver`
 * (`options.properties` override them; `options.driver` only names the driver's kind for the handle). Waits until
 * the archive takes control connections. `stop()` stops the archive and removes its archive dir; the driver and
 * `aeronDir` stay the caller's.
 */
export async function startArchive(
  aeronDir: string,
  options: ArchivingDriverOptions = {},
): Promise<ArchivingDriverHandle> {
  const driver = options.driver ?? selectedDriver();
  const archive = options.archive ?? selectedArchive();
  const archiveDir = makeArchiveDir();
  try {
    const properties: Record<string, string> = {
      'aeron.dir': aeronDir,
      ...(await archiveDefaults(archiveDir, options)),
      ...options.properties,
    };
    const version = driver.kind.softwareVersion(driver.command);
    const launched = await launchArchive(archive, archiveDir, driver.kind, version, properties, options);
    return withRecordingEvents(Object.assign(launched, archiveFields(archive, properties)), properties);
  } catch (error) {
    removeDir(archiveDir);
    throw error;
  }
}

/**
 * Starts `archive` on the driver of `properties['aeron.dir']` (Java's `Archive` JVM with the settings as `-D`
 * properties, or its command with a properties file) and waits until it takes control connections. Stopping the
 * handle removes `archiveDir` (the harness's fresh one: a test's own `aeron.archive.dir` stays the test's).
 */
async function launchArchive(
  archive: ArchiveLauncher,
  archiveDir: string,
  driverKind: DriverKind,
  softwareVersion: string,
  properties: Readonly<Record<string, string>>,
  options: DriverOptions,
): Promise<DriverHandle> {
  const spec =
    archive.command === undefined
      ? javaLaunch('Archive', ARCHIVE_MAIN_CLASS, properties, options)
      : commandLaunch('file', archive.command, properties, 'aeron-ts archive');
  const launched = launch(spec, driverKind, softwareVersion, properties, [archiveDir, ...spec.dirs], options);
  await awaitReady(launched, options, archiveReady(properties));
  return launched.handle;
}

/** The archive settings of the harness (see the top of this file) for an archive on `archiveDir`. */
async function archiveDefaults(archiveDir: string, options: ArchivingDriverOptions): Promise<Record<string, string>> {
  const controlPort = await freeUdpPort();
  const eventsPort = options.recordingEvents === true ? await freeUdpPort() : 0;
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
  return archiveDefaults;
}

/** `handle` with its recording events channel and stream id when the settings enable them. */
function withRecordingEvents(
  handle: ArchivingDriverHandle,
  properties: Readonly<Record<string, string>>,
): ArchivingDriverHandle {
  if (properties['aeron.archive.recording.events.enabled'] === 'true') {
    const channel = properties['aeron.archive.recording.events.channel'];
    const streamId = properties['aeron.archive.recording.events.stream.id'];
    if (channel !== undefined) Object.assign(handle, { recordingEventsChannel: channel });
    if (streamId !== undefined) Object.assign(handle, { recordingEventsStreamId: Number(streamId) });
  }
  return handle;
}

type ArchiveFields = Omit<
  ArchivingDriverHandle,
  keyof DriverHandle | 'recordingEventsChannel' | 'recordingEventsStreamId'
>;

function archiveFields(archive: ArchiveLauncher, properties: Readonly<Record<string, string>>): ArchiveFields {
  return {
    archiveKind: archive.kind,
    archiveDir: prop(properties, 'aeron.archive.dir'),
    archiveId: prop(properties, 'aeron.archive.id'),
    controlChannel: prop(properties, 'aeron.archive.control.channel'),
    controlStreamId: Number(prop(properties, 'aeron.archive.control.stream.id')),
    responseChannel: prop(properties, 'aeron.archive.control.response.channel'),
    localControlChannel: prop(properties, 'aeron.archive.local.control.channel'),
    localControlStreamId: Number(prop(properties, 'aeron.archive.local.control.stream.id')),
  };
}

/** An Archive process and the driver it is a client of, as one handle: the archive's process, both stopped. */
function pairOf(
  archive: DriverHandle,
  mediaDriver: DriverHandle,
  launcher: ArchiveLauncher,
  properties: Readonly<Record<string, string>>,
): ArchivingDriverHandle {
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await archive.stop();
      } finally {
        await mediaDriver.stop();
      }
    })();
    return stopping;
  };
  return {
    name: archive.name,
    kind: archive.kind,
    softwareVersion: mediaDriver.softwareVersion,
    pid: archive.pid,
    aeronDir: mediaDriver.aeronDir,
    properties,
    exited: archive.exited,
    hasExited: () => archive.hasExited(),
    output: () => `${archive.output()}\n${mediaDriver.output()}`,
    kill: (signal?: NodeJS.Signals) => archive.kill(signal),
    stop,
    [Symbol.asyncDispose]: stop,
    ...archiveFields(launcher, properties),
    mediaDriver,
  };
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
  return {
    what: `${markPath} with a non-zero version`,
    check: () => readVersionField(markPath, ARCHIVE_MARK_VERSION_OFFSET) !== 0,
  };
}

/** An archive is ready: its mark file signals ready and its UDP control subscription is bound. */
function archiveReady(properties: Readonly<Record<string, string>>): ReadyCondition[] {
  return [archiveMarkReady(properties), controlReady(properties)];
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

/** How to start one process: program, arguments, extra environment, and directories it needs removed. */
interface LaunchSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Settings as environment variables; when set, inherited `AERON_*` variables are dropped (they are settings too). */
  readonly env?: Readonly<Record<string, string>>;
  readonly dirs: readonly string[];
}

/** This process's environment without `AERON_*` variables, for a driver whose settings are environment variables. */
function environmentWithoutAeronSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AERON_')));
}

/** A JVM the harness starts itself: `java <flags> -D<settings> -cp <jar>[:classpath] <mainClass>`. */
function javaLaunch(
  name: string,
  mainClass: string,
  properties: Readonly<Record<string, string>>,
  options: DriverOptions,
): LaunchSpec {
  const args = [
    ...AERON_JVM_FLAGS,
    ...(options.jvmArgs ?? []),
    ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
    '-cp',
    [options.jarPath ?? aeronJarPath(), ...(options.classpath ?? [])].join(':'),
    mainClass,
  ];
  return { name, command: 'java', args, dirs: [] };
}

/** An external command, given the settings as `passing` says (`DriverKind.propertyPassing`); named `name` or its program's. */
function commandLaunch(
  passing: PropertyPassing,
  command: readonly string[],
  properties: Readonly<Record<string, string>>,
  name = basename(command[0] ?? ''),
): LaunchSpec {
  const [program = '', ...args] = command;
  if (passing === 'env') {
    const env = Object.fromEntries(Object.entries(properties).map(([key, value]) => [propertyToEnvName(key), value]));
    return { name, command: program, args, env, dirs: [] };
  }
  const lines = Object.entries(properties).map(([key, value]) => {
    if (/[\\\r\n]/.test(key + value))
      throw new Error(`driver setting ${key}=${value}: no backslash or newline in a properties file`);
    return `${key}=${value}`;
  });
  const dir = makeTestDir('driver-properties');
  const file = join(dir, 'driver.properties');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { name, command: program, args: [...args, file], dirs: [dir] };
}

function launch(
  spec: LaunchSpec,
  kind: DriverKind,
  softwareVersion: string,
  properties: Readonly<Record<string, string>>,
  dirs: readonly string[],
  options: DriverOptions,
): Launched {
  const name = spec.name;
  const child = spawn(spec.command, spec.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env:
      spec.env === undefined
        ? { ...process.env, ...options.env }
        : { ...environmentWithoutAeronSettings(), ...options.env, ...spec.env },
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
    kind,
    softwareVersion,
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
