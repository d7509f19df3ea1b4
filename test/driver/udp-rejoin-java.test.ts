/**
 * `rejoin` and the receiver's cool-down (Java 1.51.0 `DriverConductor.transitionToLinger`): an image lost without
 * end of stream leaves its session ON_COOL_DOWN in the receive endpoint's dispatcher, which ignores that session's
 * SETUP and DATA; the conductor lifts the cool-down when the image lingers only if the last subscription linked to
 * it has `rejoin=true`. So a new publication with the same session id comes back to a `rejoin=true` subscription
 * and never to a `rejoin=false` one.
 *
 * ```
 *  receiver (Java or TS driver, image liveness 2 s)      sender 1 (Java driver)      sender 2 (Java driver)
 *    stream A  aeron:udp?endpoint=P|rejoin=true    <──  session S on A and B         (after sender 1 is gone)
 *    stream B  aeron:udp?endpoint=P|rejoin=false        SIGKILLed: no EOS       <──  session S on A and B again
 * ```
 * Both receivers are asked the same thing; the TS driver must answer as Java's does: A's image back, B none while
 * A's came back and several SETUP rounds after it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import {
  type DriverHandle,
  type DriverLauncher,
  JAVA_DRIVER,
  startMediaDriver,
  TS_DRIVER,
} from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { waitFor } from './support.ts';

const STREAM_REJOIN = 7101;
const STREAM_NO_REJOIN = 7102;
const LIVENESS = { 'aeron.image.liveness.timeout': '2000000000' };
const DEADLINE_MS = 30_000;

/** A Java sending driver, a client on it and the two publications of session `sessionId`. */
async function startSender(
  port: number,
  sessionId: number,
): Promise<{ driver: DriverHandle; aeron: Aeron; publications: ExclusivePublication[] }> {
  const driver = await startMediaDriver({ driver: JAVA_DRIVER });
  try {
    const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
    const channel = `aeron:udp?endpoint=localhost:${port}|session-id=${sessionId}`;
    const publications = [
      await aeron.addExclusivePublication(channel, STREAM_REJOIN),
      await aeron.addExclusivePublication(channel, STREAM_NO_REJOIN),
    ];
    return { driver, aeron, publications };
  } catch (e) {
    await driver.stop();
    throw e;
  }
}

describeInterop('rejoin=false keeps a lost session in cool-down (Java 1.51.0 transitionToLinger)', () => {
  afterAll(() => assertNoLeftovers(), 30_000);

  for (const [name, launcher] of [
    ['Java', JAVA_DRIVER],
    ['TS', TS_DRIVER],
  ] as const satisfies readonly (readonly [string, DriverLauncher])[]) {
    it(`${name} receiver: the rejoin=true subscription gets the session back, the rejoin=false one does not`, async () => {
      const receiver = await startMediaDriver({ driver: launcher, properties: LIVENESS });
      const cleanup: (() => Promise<void> | void)[] = [() => receiver.stop()];
      try {
        const rx = await Aeron.connect({ aeronDir: receiver.aeronDir, driverTimeoutMs: 10_000 });
        cleanup.unshift(() => rx.close());
        const port = await freeUdpPort();
        const rejoin = await rx.addSubscription(`aeron:udp?endpoint=localhost:${port}|rejoin=true`, STREAM_REJOIN);
        const noRejoin = await rx.addSubscription(
          `aeron:udp?endpoint=localhost:${port}|rejoin=false`,
          STREAM_NO_REJOIN,
        );
        const sessionId = 0x5e00 + (port % 0x100);

        const first = await startSender(port, sessionId);
        await waitFor('both images', () => rejoin.imageCount === 1 && noRejoin.imageCount === 1, DEADLINE_MS);
        expect(first.driver.kill('SIGKILL')).toBe(true);
        await first.driver.exited;
        await waitFor('both images lost', () => rejoin.imageCount === 0 && noRejoin.imageCount === 0, DEADLINE_MS);
        first.aeron.close();
        await first.driver.stop();

        const second = await startSender(port, sessionId);
        cleanup.unshift(async () => {
          second.aeron.close();
          await second.driver.stop();
        });
        await waitFor('the rejoin=true image back', () => rejoin.imageCount === 1, DEADLINE_MS);
        // several SETUP rounds (Java sends one each 100 ms until connected) while the other stream stays away
        await sleep(3_000);
        expect(noRejoin.imageCount).toBe(0);
        expect(second.publications[0]?.isConnected()).toBe(true);
        expect(second.publications[1]?.isConnected()).toBe(false);
      } finally {
        for (const step of cleanup) await step();
      }
    }, 120_000);
  }
});
