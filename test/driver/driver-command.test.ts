/**
 * `aeron-ts driver` in process (`runCli` with an abort signal standing in for SIGINT/SIGTERM): it takes its
 * settings from AERON_* variables, properties files and -D arguments in command-line order, reports when it is
 * ready (text or JSON), closes cleanly when signalled (exit 0, heartbeat -1, directory deleted when asked), and
 * refuses a live directory or a bad setting with the typed error's message (exit 1). The child-process form
 * (start and stop by PID, SIGTERM) is test/harness/ts-driver.test.ts.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAeronDir, makeTestDir, removeDir } from '../../harness/temp-dir.ts';
import { runCli } from '../../src/cli/main.ts';
import { awaitCondition } from '../support/wait.ts';
import { CncView } from './support.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

class Capture {
  text = '';
  write(chunk: string): void {
    this.text += chunk;
  }
}

/** Starts `aeron-ts <args>`; `stop()` aborts it like a signal and resolves its exit code. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const abort = new AbortController();
  const exit = runCli(args, { stdout, stderr, env, isTty: false, signal: abort.signal });
  return {
    stdout,
    stderr,
    exit,
    async stop(): Promise<number> {
      abort.abort();
      return exit;
    },
  };
}

function freshDir(): string {
  const dir = makeAeronDir();
  cleanups.push(() => removeDir(dir));
  return dir;
}

const SMALL = '-Daeron.counters.buffer.length=1m';

describe('aeron-ts driver', () => {
  it('takes AERON_* variables, then files and -D in order; --json ready line; closes on the signal', async () => {
    const envDir = freshDir();
    const fileDir = freshDir();
    const finalDir = freshDir();
    const files = makeTestDir('driver-command');
    cleanups.push(() => removeDir(files));
    const first = join(files, 'first.properties');
    const second = join(files, 'second.properties');
    writeFileSync(first, `aeron.dir=${fileDir}\naeron.threading.mode=SHARED\naeron.dir.delete.on.shutdown=true\n`);
    writeFileSync(second, 'aeron.threading.mode=INVOKER\n');
    const run = start(['driver', '--json', first, `-Daeron.dir=${finalDir}`, second, SMALL], {
      AERON_DIR: envDir,
      AERON_TIMER_INTERVAL: '100ms',
    });
    await awaitCondition('the ready line', () => run.stdout.text.includes('"aeronDir"'), 60_000);
    expect(JSON.parse(run.stdout.text)).toEqual({
      aeronDir: finalDir,
      pid: process.pid,
      threadingMode: 'INVOKER',
      ignored: [],
    });
    using view = new CncView(finalDir);
    expect(view.counters.getCounterLabel(26)).toMatch(/: INVOKER$/);
    expect(existsSync(join(envDir, 'cnc.dat'))).toBe(false);
    expect(await run.stop()).toBe(0);
    expect(view.ring.consumerHeartbeatTime()).toBe(-1);
    expect(existsSync(finalDir)).toBe(false);
  });

  it('refuses a live directory and a bad setting with the typed error, exit 1', async () => {
    const dir = freshDir();
    const live = start(['driver', `-Daeron.dir=${dir}`, SMALL, '-Daeron.shared.idle.strategy=backoff']);
    await awaitCondition('the ready line', () => live.stdout.text.includes('media driver ready'), 60_000);
    expect(live.stdout.text).toContain('ignored (not read by this driver): aeron.shared.idle.strategy');
    expect(live.stdout.text).toContain(`media driver ready: dir=${dir} pid=${process.pid} threadingMode=SHARED`);

    const second = start(['driver', `-Daeron.dir=${dir}`, SMALL]);
    expect(await second.exit).toBe(1);
    expect(second.stderr.text).toMatch(/^aeron-ts: Active media driver detected/);

    const bad = start(['driver', `-Daeron.dir=${freshDir()}`, '-Daeron.mtu.length=lots']);
    expect(await bad.exit).toBe(1);
    expect(bad.stderr.text).toBe('aeron-ts: aeron.mtu.length=lots should end with: k, m, or g\n');

    const badArg = start(['driver', '-Dnoequals']);
    expect(await badArg.exit).toBe(1);
    expect(badArg.stderr.text).toContain('-Dnoequals: expected -Dname=value');

    expect(await live.stop()).toBe(0);
    expect(live.stdout.text).toContain('Shutdown Driver...');
  });
});
