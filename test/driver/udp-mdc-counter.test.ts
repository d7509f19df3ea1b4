/**
 * The `mdc-num-dest` counter (Java `MdcDestinations`, type `AeronCounters.MDC_DESTINATIONS_COUNTER_TYPE_ID` 18)
 * of MDC send channels: the same steps through our client on the TS driver and on the Java driver (1.51.0) show
 * the same counters (type, label with numbers masked, value) read with our CountersReader:
 *
 * ```
 *  manual MDC publication                          -> mdc-num-dest: <channel>  0
 *  ADD_DESTINATION x2 / REMOVE_DESTINATION x1       -> 2 / 1
 *  dynamic MDC publication (control=), a subscriber -> its own counter: 1 once the subscriber's status messages came
 *  publications closed                              -> the counters freed
 * ```
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { MDC_DESTINATIONS_COUNTER_TYPE_ID } from '../../src/transport/aeron-counters.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

/** The allocated mdc-num-dest counters `aeron` sees: `<type> <label, numbers as N> = <value>`, sorted. */
function mdcCounters(aeron: Aeron): string[] {
  const reader = aeron.countersReader;
  const out: string[] = [];
  reader.forEach((counterId, typeId, _key, label) => {
    if (typeId === MDC_DESTINATIONS_COUNTER_TYPE_ID && reader.getCounterState(counterId) === RECORD_ALLOCATED) {
      out.push(`${typeId} ${label.replace(/\d+/g, 'N')} = ${reader.getCounterValue(counterId)}`);
    }
  });
  return out.sort();
}

/** The steps of the module comment on `aeron`'s driver; the counters seen after each. */
async function steps(aeron: Aeron): Promise<string[][]> {
  const seen: string[][] = [];
  const snapshot = (): void => {
    seen.push(mdcCounters(aeron));
  };
  const manual = await aeron.addExclusivePublication('aeron:udp?control-mode=manual|term-length=64k', 1401);
  snapshot();
  const [a, b] = [await freeUdpPort(), await freeUdpPort()];
  await manual.addDestination(`aeron:udp?endpoint=127.0.0.1:${a}`);
  await manual.addDestination(`aeron:udp?endpoint=127.0.0.1:${b}`);
  snapshot();
  await manual.removeDestination(`aeron:udp?endpoint=127.0.0.1:${a}`);
  snapshot();
  const control = `127.0.0.1:${await freeUdpPort()}`;
  const dynamic = await aeron.addPublication(`aeron:udp?control=${control}|control-mode=dynamic`, 1402);
  const subscription = await aeron.addSubscription(`aeron:udp?control=${control}`, 1402);
  await awaitCondition('the dynamic destination', () => dynamic.isConnected());
  snapshot();
  subscription.close();
  dynamic.close();
  manual.close();
  await awaitCondition('the counters freed', () => mdcCounters(aeron).length === 0, 30_000);
  snapshot();
  return seen;
}

describeInterop('mdc-num-dest on the TS driver as on the Java driver', () => {
  let tsDriver: TestDriver;
  let javaDriver: DriverHandle;
  let tsAeron: Aeron;
  let javaAeron: Aeron;

  beforeAll(async () => {
    [tsDriver, javaDriver] = await Promise.all([launchTestDriver(), startMediaDriver({ driver: JAVA_DRIVER })]);
    tsAeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir });
    javaAeron = await Aeron.connect({ aeronDir: javaDriver.aeronDir });
  }, 120_000);

  afterAll(async () => {
    tsAeron?.close();
    javaAeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  it('counts manual and dynamic MDC destinations with the label and type of Java', async () => {
    const java = await steps(javaAeron);
    expect(java).toEqual([
      ['18 mdc-num-dest: aeron:udp?control-mode=manual|term-length=Nk  = 0'],
      ['18 mdc-num-dest: aeron:udp?control-mode=manual|term-length=Nk  = 2'],
      ['18 mdc-num-dest: aeron:udp?control-mode=manual|term-length=Nk  = 1'],
      [
        '18 mdc-num-dest: aeron:udp?control-mode=manual|term-length=Nk  = 1',
        '18 mdc-num-dest: aeron:udp?control=N.N.N.N:N|control-mode=dynamic  = 1',
      ],
      [],
    ]);
    expect(await steps(tsAeron)).toEqual(java);
  }, 90_000);
});
