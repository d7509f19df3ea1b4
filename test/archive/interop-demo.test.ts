/** examples/record-and-replay.ts end to end against a harness ArchivingMediaDriver (what `npm run demo` runs). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { type ArchivingDriverHandle, startArchivingMediaDriver } from '../../harness/driver.ts';
import { describeInterop } from '../support/describe-interop.ts';

function runExample(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'examples', 'record-and-replay.ts'), ...args],
      {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`example timed out; output:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describeInterop('examples/record-and-replay.ts against the Java ArchivingMediaDriver', () => {
  let driver: ArchivingDriverHandle;

  beforeAll(async () => {
    driver = await startArchivingMediaDriver();
  }, 60_000);

  afterAll(async () => {
    await driver?.stop();
  }, 30_000);

  it('records 11 messages and replays 11 of 11', async () => {
    const { code, output } = await runExample(
      [
        '--aeron-dir',
        driver.aeronDir,
        '--control-channel',
        driver.controlChannel,
        '--control-stream-id',
        String(driver.controlStreamId),
        '--response-channel',
        driver.responseChannel,
      ],
      90_000,
    );
    expect(output).toContain('replayed 11 of 11 messages');
    expect(code).toBe(0);
  }, 120_000);
});
