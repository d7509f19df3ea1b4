/**
 * `npm run demo` (scripts/demo.ts) as a user runs it, in a child process:
 *
 * - the default needs nothing but Node: with a PATH holding only a `node` link (no `java`, no `mvn`, no `bash`)
 *   and no JAVA_HOME, it runs examples/record-and-replay.ts on the TypeScript media driver and archive
 *   (ArchivingMediaDriver, UDP control channel) and the example replays its 11 messages; exit 0;
 * - `--java` (describeInterop) runs the same example against the Java ArchivingMediaDriver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../harness/aeron-jars.ts';
import { makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { describeInterop } from '../support/describe-interop.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) removeDir(dir);
});

interface DemoResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node --import tsx scripts/demo.ts <args>` with `env`; killed by PID after `timeoutMs`. */
function runDemo(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<DemoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'demo.ts'), ...args], {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      reject(new Error(`demo did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('runs the seed scenario on the TS driver and TS archive with only node on PATH', async () => {
    const bin = makeTestDir('demo-bin');
    dirs.push(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
    delete env.JAVA_HOME;
    delete env.AERON_DIR;
    for (const name of Object.keys(env)) if (name.startsWith('AERON_ARCHIVE_')) delete env[name];
    const which = (command: string) =>
      spawnSync('/bin/sh', ['-c', `command -v ${command}`], { env, encoding: 'utf8' }).status;
    expect(which('java')).not.toBe(0);
    expect(which('mvn')).not.toBe(0);
    expect(which('node')).toBe(0);

    const result = await runDemo([], env);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('demo: archive ready: TypeScript ArchivingMediaDriver in this process');
    expect(result.stdout).toMatch(/control aeron:udp\?endpoint=localhost:\d+\)/);
    expect(result.stdout).toContain('recording 0 started');
    expect(result.stdout).toContain('replayed 11 of 11 messages');
    expect(result.stdout).toContain('demo: archive stopped');
  }, 300_000);
});

describeInterop('npm run demo -- --java', () => {
  it('runs the seed scenario against the Java ArchivingMediaDriver', async () => {
    const result = await runDemo(['--java'], process.env);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('demo: archive ready: Java ArchivingMediaDriver');
    expect(result.stdout).toContain('replayed 11 of 11 messages');
    expect(result.stdout).toContain('demo: archive stopped');
  }, 300_000);
});
