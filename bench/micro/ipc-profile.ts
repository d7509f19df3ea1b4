/**
 * Runs the `ipc-excl-32` / `ipc-conc-32` TS measurement once against a fresh bench Java driver, in this process, so
 * that it can be profiled: the subscriber on this thread, the publisher in its worker (each thread writes its own
 * `.cpuprofile` under `--cpu-prof`).
 *
 * ```bash
 * node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/micro/ipc-profile.ts exclusive 2000 4000
 * ```
 */
import { measureThroughput } from '../cases/data-path-measure.ts';
import { startBenchMediaDriver } from '../lib/bench-driver.ts';

const [kind = 'exclusive', warmupMs = '2000', measureMs = '4000'] = process.argv.slice(2);
const driver = await startBenchMediaDriver();
try {
  const sample = await measureThroughput({
    aeronDir: driver.aeronDir,
    channel: 'aeron:ipc',
    streamId: 1001,
    exclusive: kind === 'exclusive',
    messageLength: 32,
    warmupMs: Number(warmupMs),
    measureMs: Number(measureMs),
  });
  process.stdout.write(`${JSON.stringify(sample)}\n`);
} finally {
  await driver.stop();
}
