/**
 * TERMINATE_DRIVER through the `terminationValidator` / `terminationHook` options (Java `Context.terminationValidator`
 * and `terminationHook`), sent by our client's `Aeron.requestDriverTermination`: a validator that denies (the
 * default, Java's `DefaultDenyTerminationValidator`, or the option) leaves the driver running; one that allows
 * closes the driver, then calls the hook. The `errorHandler` option gets the driver's own errors as typed
 * `AeronError`s beside the distinct error log. SHARED refuses the function options (INVALID_CONFIGURATION).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import { ControlProtocolError, MediaDriverError } from '../../src/driver/driver-error.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { launchTestDriver, type TestDriver, waitFor } from './support.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function driverWith(
  options: Parameters<typeof launchTestDriver>[0],
): Promise<{ driver: TestDriver; aeron: Aeron }> {
  const driver = await launchTestDriver(options);
  const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'termination' });
  cleanups.push(async () => {
    aeron.close();
    await driver.close();
  });
  return { driver, aeron };
}

describe('TERMINATE_DRIVER and the termination validator', () => {
  it('is ignored under the default validator (deny): the driver keeps answering', async () => {
    const { driver, aeron } = await driverWith({});
    expect(aeron.requestDriverTermination(new Uint8Array([1]))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(driver.driver.isClosed).toBe(false);
    const sub = await aeron.addSubscription('aeron:ipc', 7001);
    sub.close();
  });

  it('passes the token to the validator; denied: nothing; allowed: the driver closes, then the hook runs', async () => {
    const tokens: number[][] = [];
    let hookCalls = 0;
    let closedWhenHookRan = false;
    const { driver, aeron } = await driverWith({
      terminationValidator: (token) => {
        tokens.push([...token]);
        return token.length === 2 && token[0] === 0xca && token[1] === 0xfe;
      },
      terminationHook: () => {
        hookCalls++;
        closedWhenHookRan = driver.driver.isClosed;
      },
    });
    aeron.requestDriverTermination(new Uint8Array([1, 2, 3]));
    await waitFor('the validator to see the first token', () => tokens.length === 1);
    expect(tokens[0]).toEqual([1, 2, 3]);
    expect(driver.driver.isClosed).toBe(false);

    aeron.requestDriverTermination(new Uint8Array([0xca, 0xfe]));
    await waitFor('the terminationHook', () => hookCalls === 1);
    expect(tokens[1]).toEqual([0xca, 0xfe]);
    expect(closedWhenHookRan).toBe(true);
    expect(driver.driver.isClosed).toBe(true);
  });
});

describe('errorHandler', () => {
  it('receives the driver errors as AeronErrors beside the distinct error log', async () => {
    const errors: AeronError[] = [];
    const { driver, aeron } = await driverWith({ errorHandler: (e) => errors.push(e) });
    const refused = await aeron.addPublication('aeron:udp?endpoint=localhost:40999', 7002).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RegistrationError);
    await waitFor('the errorHandler', () => errors.length === 1);
    expect(errors[0]).toBeInstanceOf(ControlProtocolError);
    expect(errors[0]!.code).toBe('CONTROL_PROTOCOL');
    expect((errors[0] as ControlProtocolError).errorCode).toBe(8);
    expect(readAllErrors(driver.driver.cnc.regions.errorLog).length).toBe(1);
  });

  it('an errorHandler that throws does not stop the driver', async () => {
    const { aeron } = await driverWith({
      errorHandler: () => {
        throw new Error('application handler failed');
      },
    });
    await expect(aeron.addPublication('aeron:udp?endpoint=localhost:40998', 7003)).rejects.toBeInstanceOf(
      RegistrationError,
    );
    const sub = await aeron.addSubscription('aeron:ipc', 7003);
    sub.close();
  });
});

describe('SHARED threading', () => {
  it('refuses terminationValidator, terminationHook and errorHandler (functions cannot cross to the worker)', async () => {
    const aeronDir = makeAeronDir();
    try {
      for (const option of [
        { terminationValidator: () => true },
        { terminationHook: () => {} },
        { errorHandler: () => {} },
      ]) {
        const failure = await MediaDriver.launch({ aeronDir, threadingMode: 'SHARED', ...option }).catch(
          (e: unknown) => e,
        );
        expect(failure).toBeInstanceOf(MediaDriverError);
        expect((failure as MediaDriverError).code).toBe('INVALID_CONFIGURATION');
      }
    } finally {
      removeDir(aeronDir);
    }
  });
});
