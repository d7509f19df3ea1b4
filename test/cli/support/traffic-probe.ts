/**
 * Starts `test/java/AeronStatProbe.java` against a driver and keeps it alive (publication + subscription
 * open) until `close()`, which closes its stdin and, if it does not exit in time, kills it by PID.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { aeronJarPath, PROJECT_ROOT } from '../../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava } from '../../../harness/java.ts';
import { track, untrack } from '../../../harness/processes.ts';

export interface ProbeStream {
  readonly registrationId: number;
  readonly sessionId: number;
}

export interface JavaCounter {
  readonly id: number;
  readonly typeId: number;
  readonly value: number;
  readonly label: string;
}

export interface TrafficProbe {
  readonly pid: number;
  readonly ipc: ProbeStream;
  readonly udp: ProbeStream;
  /** The message of the RegistrationException the invalid channel caused. */
  readonly provokedError: string;
  /** Java's CountersReader view, right now. */
  counters(): Promise<JavaCounter[]>;
  close(): Promise<void>;
}

export async function startTrafficProbe(
  aeronDir: string,
  udpPort: number,
  ipcMessages: number,
  timeoutMs = 90_000,
): Promise<TrafficProbe> {
  const classDir = compileJava({
    sources: [join(PROJECT_ROOT, 'test/java/AeronStatProbe.java')],
    classpath: [aeronJarPath()],
  });
  const child: ChildProcessWithoutNullStreams = spawn(
    'java',
    [
      ...AERON_JVM_FLAGS,
      '-cp',
      `${classDir}:${aeronJarPath()}`,
      'AeronStatProbe',
      aeronDir,
      String(udpPort),
      String(ipcMessages),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start java');
  track({ pid, name: 'AeronStatProbe', dirs: [] });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.stdin.on('error', () => {});

  const waitFor = async (predicate: () => boolean, what: string, ms: number): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!predicate()) {
      if (child.exitCode !== null) throw new Error(`AeronStatProbe exited before ${what}:\n${stdout}\n${stderr}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`AeronStatProbe: no ${what} within ${ms} ms:\n${stdout}\n${stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(remaining, 200));
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  };

  const kill = async (): Promise<void> => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
    await exited;
    untrack(pid);
  };

  try {
    await waitFor(() => /^READY$/m.test(stdout), 'READY', timeoutMs);
  } catch (e) {
    await kill();
    throw e;
  }
  const field = (tag: string): string[] => {
    const match = new RegExp(`^${tag} (.*)$`, 'm').exec(stdout);
    return (match?.[1] ?? '').split(' ');
  };
  const stream = (tag: string): ProbeStream => {
    const [registrationId, sessionId] = field(tag);
    return { registrationId: Number(registrationId), sessionId: Number(sessionId) };
  };
  const errorMatch = /^ERROR (.*)$/m.exec(stdout);
  return {
    pid,
    ipc: stream('IPC'),
    udp: stream('UDP'),
    provokedError: errorMatch?.[1] ?? '',
    async counters() {
      const start = stdout.length;
      child.stdin.write('COUNTERS\n');
      await waitFor(() => /^END$/m.test(stdout.slice(start)), 'counters', 30_000);
      const block = stdout.slice(start, start + stdout.slice(start).search(/^END$/m));
      return block
        .split('\n')
        .filter((l) => l.startsWith('C '))
        .map((l) => {
          const m = /^C (\d+) (-?\d+) (-?\d+) (.*)$/.exec(l);
          if (m === null) throw new Error(`bad counter line: ${l}`);
          return { id: Number(m[1]), typeId: Number(m[2]), value: Number(m[3]), label: m[4] ?? '' };
        });
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, 15_000);
      await exited;
      clearTimeout(timer);
      untrack(pid);
    },
  };
}
