/**
 * `npm run demo`: runs examples/record-and-replay.ts against an archive, then stops the archive, also when the
 * example fails. Exit code = the example's (1 if the archive could not start).
 *
 * ```
 *  npm run demo              the TypeScript media driver and the TypeScript archive in this process
 *                            (ArchivingMediaDriver from src/archive-server): nothing but Node, no JVM, no Maven;
 *                            control channel aeron:udp?endpoint=localhost:<free port>, clients' responses on UDP
 *                            port 0 (as with Java's archive); a temporary archive dir and an embedded aeron dir,
 *                            both removed at the end
 *  npm run demo -- --java    the real Java ArchivingMediaDriver (pinned jar, fetched first by
 *                            scripts/setup-aeron.sh, which needs Java and Maven), started by the test harness and
 *                            stopped by PID
 * ```
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../harness/ports.ts';
import { ArchivingMediaDriver } from '../src/archive-server/archiving-media-driver.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE_TIMEOUT_MS = 120_000;
const RESPONSE_CHANNEL = 'aeron:udp?endpoint=localhost:0';

/** Where the example finds the archive. */
interface ArchiveEndpoint {
  readonly aeronDir: string;
  readonly controlChannel: string;
  readonly controlStreamId: number;
  readonly responseChannel: string;
}

/** A started archive: where it listens, and how to stop it. */
interface RunningArchive {
  readonly endpoint: ArchiveEndpoint;
  readonly description: string;
  stop(): Promise<void>;
}

/** Runs `command args` with inherited stdio; resolves its exit code (1 when it could not start). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    const timer = setTimeout(() => {
      console.error(`demo: ${args.at(-1)} did not finish in ${timeoutMs} ms; stopping it`);
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      console.error(`demo: could not run ${command}: ${String(error)}`);
      resolve(1);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

function runExample(endpoint: ArchiveEndpoint): Promise<number> {
  return run(
    process.execPath,
    ['--import', 'tsx', join(root, 'examples', 'record-and-replay.ts')],
    {
      ...process.env,
      AERON_DIR: endpoint.aeronDir,
      AERON_ARCHIVE_CONTROL_CHANNEL: endpoint.controlChannel,
      AERON_ARCHIVE_CONTROL_STREAM_ID: String(endpoint.controlStreamId),
      AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL: endpoint.responseChannel,
    },
    EXAMPLE_TIMEOUT_MS,
  );
}

/** The TS media driver and the TS archive in this process (no JVM). */
async function startTypeScriptArchive(): Promise<RunningArchive> {
  const archiveDir = mkdtempSync(join(tmpdir(), 'aeron-ts-demo-archive-'));
  try {
    const controlChannel = `aeron:udp?endpoint=localhost:${await freeUdpPort()}`;
    const archiving = await ArchivingMediaDriver.launch({ archive: { archiveDir, controlChannel } });
    return {
      endpoint: {
        aeronDir: archiving.aeronDir,
        controlChannel,
        controlStreamId: 10,
        responseChannel: RESPONSE_CHANNEL,
      },
      description: `TypeScript ArchivingMediaDriver in this process (pid ${process.pid}, aeron dir ${archiving.aeronDir}, control ${controlChannel})`,
      async stop() {
        try {
          await archiving.close();
        } finally {
          rmSync(archiveDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(archiveDir, { recursive: true, force: true });
    throw error;
  }
}

/** The Java ArchivingMediaDriver, after fetching the pinned jars (needs Java and Maven). */
async function startJavaArchive(): Promise<RunningArchive> {
  const setup = await run('bash', [join(root, 'scripts', 'setup-aeron.sh')], process.env, 600_000);
  if (setup !== 0) throw new Error(`scripts/setup-aeron.sh exited ${setup}`);
  const { JAVA_DRIVER, startArchivingMediaDriver } = await import('../harness/driver.ts');
  const driver = await startArchivingMediaDriver({ driver: JAVA_DRIVER });
  return {
    endpoint: driver,
    description: `Java ArchivingMediaDriver (pid ${driver.pid}, aeron dir ${driver.aeronDir})`,
    stop: () => driver.stop(),
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { java: { type: 'boolean', default: false } } });
  const java = values.java === true;
  console.log(`demo: starting the ${java ? 'Java' : 'TypeScript'} ArchivingMediaDriver`);
  let archive: RunningArchive;
  try {
    archive = java ? await startJavaArchive() : await startTypeScriptArchive();
  } catch (error) {
    console.error(`demo: the archiving media driver did not start: ${String(error)}`);
    return 1;
  }
  console.log(`demo: archive ready: ${archive.description}`);
  try {
    return await runExample(archive.endpoint);
  } finally {
    await archive.stop();
    console.log('demo: archive stopped');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
