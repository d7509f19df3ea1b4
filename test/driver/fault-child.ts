/**
 * The TS client of `faults.test.ts` that dies: run in its own Node process by `harness/ts-child.ts`, it connects to
 * the driver on `aeronDir`, adds a publication, a subscription and a counter (each acknowledged by the driver),
 * then SIGKILLs itself, so no CLIENT_CLOSE or cleanup ever reaches the driver.
 */
import type { Sample } from '../../harness/sample.ts';
import { Aeron } from '../../src/client/aeron.ts';

/** Adds its resources on the driver of `args.aeronDir`, then SIGKILLs its own process; never returns. */
export async function addResourcesAndDie(args: {
  readonly aeronDir: string;
  readonly streamId: number;
}): Promise<Sample> {
  const aeron = await Aeron.connect({ aeronDir: args.aeronDir });
  await aeron.addPublication('aeron:ipc?term-length=64k', args.streamId);
  await aeron.addSubscription('aeron:ipc', args.streamId);
  await aeron.addCounter(3_100, 'dies with its client');
  process.kill(process.pid, 'SIGKILL');
  return new Promise<Sample>(() => {});
}
