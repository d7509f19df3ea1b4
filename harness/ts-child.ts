/**
 * Runs one TypeScript measurement in a fresh Node process, so each repetition starts from a cold JIT and
 * an empty heap, like the JVM on the Java side, and nothing of the runner's own heap is in the numbers.
 *
 * The child is `node --import tsx [nodeFlags] bench/lib/ts-child-main.ts <module> <export> <json>`; it
 * imports `<module>`, awaits `<export>(JSON.parse(json))` and prints `RESULT <json Sample>` on stdout.
 * The child is killed by PID if it passes its deadline.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseResultLine } from './result-line.ts';
import type { Sample } from './sample.ts';

const CHILD_MAIN = fileURLToPath(new URL('./ts-child-main.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export interface TsChildOptions {
  /** Absolute path (or file URL) of the module that exports the measurement function. */
  readonly module: string;
  /** Name of the exported `(args) => Sample | Promise<Sample>` function. */
  readonly exportName: string;
  /** JSON-serialisable argument for that function. */
  readonly args: unknown;
  /** Extra Node flags, e.g. `--expose-gc`, `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  readonly timeoutMs: number;
}

export function runTsChild(options: TsChildOptions): Promise<Sample> {
  const modulePath = options.module.startsWith('file:') ? fileURLToPath(options.module) : options.module;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX_LOADER,
        ...(options.nodeFlags ?? []),
        CHILD_MAIN,
        modulePath,
        options.exportName,
        JSON.stringify(options.args),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      reject(new Error(`TS child ${options.exportName} passed its ${options.timeoutMs} ms deadline`));
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString();
      const stderr = Buffer.concat(err).toString();
      if (code !== 0) {
        reject(new Error(`TS child ${options.exportName} exited ${code ?? signal}\n${stderr}${stdout}`));
        return;
      }
      try {
        resolvePromise(parseResultLine(stdout));
      } catch (e) {
        reject(new Error(`TS child ${options.exportName}: ${(e as Error).message}\n${stderr}`));
      }
    });
  });
}
