/**
 * `npm run demo`: starts the real Java ArchivingMediaDriver (pinned jar, fetched by scripts/setup-aeron.sh)
 * through the test harness, runs examples/record-and-replay.ts against it, and stops the driver by PID, also
 * when the example fails. Exit code = the example's (1 if the driver could not start).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../harness/driver.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLE_TIMEOUT_MS = 120_000;

function runExample(driver: ArchivingDriverHandle): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', 'record-and-replay.ts')], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        AERON_DIR: driver.aeronDir,
        AERON_ARCHIVE_CONTROL_CHANNEL: driver.controlChannel,
        AERON_ARCHIVE_CONTROL_STREAM_ID: String(driver.controlStreamId),
        AERON_ARCHIVE_CONTROL_RESPONSE_CHANNEL: driver.responseChannel,
      },
    });
    const timer = setTimeout(() => {
      console.error(`demo: example did not finish in ${EXAMPLE_TIMEOUT_MS} ms; stopping it`);
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, EXAMPLE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      console.error(`demo: could not run the example: ${String(error)}`);
      resolve(1);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  console.log('demo: starting ArchivingMediaDriver');
  let driver: ArchivingDriverHandle;
  try {
    driver = await startArchivingMediaDriver();
  } catch (error) {
    console.error(`demo: the archiving media driver did not start: ${String(error)}`);
    return 1;
  }
  console.log(`demo: archive ready (pid ${driver.pid}, aeron dir ${driver.aeronDir})`);
  try {
    return await runExample(driver);
  } finally {
    await driver.stop();
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
