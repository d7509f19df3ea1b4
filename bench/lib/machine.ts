/** What the numbers were measured on, for the report's `machine` field. */
import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly kernel: string;
  readonly node: string;
  /** The runtime line of `java -version`, e.g. `OpenJDK Runtime Environment (build 17.0.15+6-...)`. */
  readonly java: string;
  /** 1, 5 and 15 minute load averages when the run started: anything well above 0 means a shared machine. */
  readonly loadAverage: readonly number[];
}

function javaVersion(): string {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error !== undefined) return 'not found';
  const lines = r.stderr.trim().split('\n');
  return (lines[1] ?? lines[0] ?? 'unknown').trim();
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.arch()}`,
    kernel: os.release(),
    node: process.version,
    java: javaVersion(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
