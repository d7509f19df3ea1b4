/**
 * Our own client (`Aeron.connect` from src/client) against the TypeScript media driver: connects, adds a
 * counter, finds its heartbeat counter, removes the counter, is refused a response publication without
 * response-correlation-id (GENERIC_ERROR, Java's text), and
 * closes. The Java client does the same in java-interop.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import { RECORD_ALLOCATED, RECORD_RECLAIMED } from '../../src/transport/counters-descriptor.ts';
import { launchTestDriver, type TestDriver, waitFor } from './support.ts';

const HEARTBEAT_TYPE_ID = 11;

describe('our client against the TS driver', () => {
  let driver: TestDriver;

  beforeAll(async () => {
    driver = await launchTestDriver();
  });

  afterAll(async () => {
    await driver?.close();
  });

  it('connects, adds and removes a counter, is refused a publication, and closes', async () => {
    const counters = driver.driver.countersManager;
    const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'ts-on-ts' });
    try {
      const counter = await aeron.addCounter(2002, 'ts counter on the ts driver', new Uint8Array([7, 7, 7]));
      expect(counters.getCounterState(counter.id)).toBe(RECORD_ALLOCATED);
      expect(counters.getCounterTypeId(counter.id)).toBe(2002);
      expect(counters.getCounterLabel(counter.id)).toBe('ts counter on the ts driver');
      expect(counters.getCounterRegistrationId(counter.id)).toBe(counter.registrationId);
      expect(counters.getCounterOwnerId(counter.id)).toBe(aeron.clientId);
      expect(counters.getCounterKey(counter.id).getInt8(2)).toBe(7);

      // The client finds the heartbeat counter the driver made for it, appends its name and keeps it fresh.
      let heartbeatId = -1;
      await waitFor('the client to claim its heartbeat counter', () => {
        heartbeatId = counters.findByTypeIdAndRegistrationId(HEARTBEAT_TYPE_ID, aeron.clientId);
        return heartbeatId >= 0 && counters.getCounterLabel(heartbeatId).includes(' name=ts-on-ts');
      });
      expect(counters.getCounterLabel(heartbeatId)).toMatch(new RegExp(`^client-heartbeat: id=${aeron.clientId} `));

      counter.close();
      await waitFor('the counter to be freed', () => counters.getCounterState(counter.id) === RECORD_RECLAIMED);

      const refused = await aeron
        .addPublication('aeron:udp?control-mode=response|control=127.0.0.1:0', 10)
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RegistrationError);
      expect((refused as RegistrationError).errorCodeName).toBe('GENERIC_ERROR');
      expect((refused as RegistrationError).driverMessage).toBe(
        'java.lang.IllegalArgumentException : control-mode=response was specified, but no response-correlation-id set',
      );
      expect(driver.driver.clientCount).toBe(1);
    } finally {
      aeron.close();
    }
    await waitFor('the driver to reap the closed client', () => driver.driver.clientCount === 0);
    expect(counters.getCounterValue(24)).toBe(0); // CLIENT_TIMEOUTS: a close is not a timeout
  });
});
