/**
 * Child-process writer for reliability row P4 (`client-admin-action.test.ts`): one aeron-ts client offering
 * 32-byte numbered messages to a CONCURRENT publication whose log other processes write too.
 *
 * ```
 * node --import tsx test/reliability/support/rotation-writer-main.ts <aeronDir> <channel> <streamId> <seed> <count> <goFile>
 * prints: ready position=<p>                       (connected; then waits for <goFile> to exist)
 *         done count=<n> admin-actions=<a> back-pressured=<b> last=<p>
 * ```
 * Message i of the writer is `fillMessage(…, seed, i)` (index, seed, pattern: `test/support/message-pattern.ts`).
 * Every offer is retried on ADMIN_ACTION (at once) and BACK_PRESSURED / NOT_CONNECTED (after a 1 ms sleep);
 * the whole run has a 90 s deadline. Exit status: 0 done, 1 failure, 2 deadline.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep, setImmediate as yieldNow } from 'node:timers/promises';
import { ADMIN_ACTION, Aeron, BACK_PRESSURED, NOT_CONNECTED } from '../../../src/client/index.ts';
import { fillMessage } from '../../support/message-pattern.ts';

const MESSAGE_LENGTH = 32;
const DEADLINE_MS = 90_000;

async function main(): Promise<number> {
  const [aeronDir, channel, stream, seedArg, countArg, goFile] = process.argv.slice(2);
  if (goFile === undefined) {
    process.stderr.write('usage: <aeronDir> <channel> <streamId> <seed> <count> <goFile>\n');
    return 1;
  }
  const seed = Number(seedArg) | 0;
  const count = Number(countArg);
  const deadline = Date.now() + DEADLINE_MS;
  const aeron = await Aeron.connect({ aeronDir: aeronDir ?? '', driverTimeoutMs: 10_000 });
  try {
    const publication = await aeron.addPublication(channel ?? '', Number(stream));
    while (!publication.isConnected()) {
      if (Date.now() > deadline) return 2;
      await sleep(1);
    }
    process.stdout.write(`ready position=${publication.position()}\n`);
    while (!existsSync(goFile)) {
      if (Date.now() > deadline) return 2;
      await sleep(1);
    }
    const message = new Uint8Array(MESSAGE_LENGTH);
    let adminActions = 0;
    let backPressured = 0;
    let last = 0;
    for (let i = 0; i < count; i++) {
      fillMessage(message, 0, MESSAGE_LENGTH, seed, i);
      for (;;) {
        const result = publication.offer(message, 0, MESSAGE_LENGTH);
        if (result > 0) {
          last = result;
          break;
        }
        if (result === ADMIN_ACTION) {
          adminActions++;
          continue;
        }
        if (result !== BACK_PRESSURED && result !== NOT_CONNECTED) {
          process.stdout.write(`failed index=${i} result=${result}\n`);
          return 1;
        }
        backPressured++;
        if (Date.now() > deadline) return 2;
        // back off (the subscriber shares two cores with everything else); the conductor runs meanwhile
        await sleep(1);
      }
      if ((i & 255) === 255) await yieldNow();
    }
    process.stdout.write(
      `done count=${count} admin-actions=${adminActions} back-pressured=${backPressured} last=${last}\n`,
    );
    publication.close();
  } finally {
    aeron.close();
  }
  return 0;
}

main().then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`rotation-writer failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
