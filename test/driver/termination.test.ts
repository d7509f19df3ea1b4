/**
 * TERMINATE_DRIVER through the `terminationValidator` / `terminationHook` options (Java `Context.terminationValidator`
 * and `terminationHook`), sent by our client's `Aeron.requestDriverTermination`: a validator that denies (the
 * default, Java's `DefaultDenyTerminationValidator`, the option, or one that throws) leaves the driver running; one
 * that allows closes the driver, then calls the hook. The `errorHandler` option gets the driver's own errors (a
 * malformed command here) as typed `AeronError`s beside the distinct error log. Both threading modes: INVOKER (the
 * conductor calls the functions) and SHARED (the worker posts tokens and errors to the launching thread).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AeronError } from '../../codecs/runtime/aeron-error.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { ON_ERROR } from '../../src/driver/command/control-protocol.ts';
import { ControlProtocolError } from '../../src/driver/driver-error.ts';
import type { ThreadingMode } from '../../src/driver/media-driver-context.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { CncView, errorResponse, launchTestDriver, type TestDriver, waitFor } from './support.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function driverWith(
  options: Parameters<typeof launchTestDriver>[0],
): Promise<{ driver: TestDriver; aeron: Aeron; view: CncView }> {
  const driver = await launchTestDriver(options);
  const aeron = await Aeron.connect({ aeronDir: driver.aeronDir, clientName: 'termination' });
  const view = new CncView(driver.aeronDir);
  cleanups.push(async () => {
    view[Symbol.dispose]();
    aeron.close();
    await driver.close();
  });
  return { driver, aeron, view };
}

/** Sends an ADD_COUNTER whose key runs past the command's end: MALFORMED_COMMAND, recorded as a driver error. */
async function sendMalformedCommand(view: CncView): Promise<void> {
  view.send(0x09, view.ring.nextCorrelationId(), view.ring.nextCorrelationId(), (b) => {
    b.putInt32(0, 1001);
    b.putInt32(4, 1000);
    return 12;
  });
  const error = errorResponse(await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR));
  expect(error.errorCode).toBe(7);
}

/** Waits `ms` (to show that something does not happen meanwhile). */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

for (const threadingMode of ['INVOKER', 'SHARED'] as const satisfies readonly ThreadingMode[]) {
  describe(`TERMINATE_DRIVER and the termination validator (${threadingMode})`, () => {
    it('is ignored under the default validator (deny): the driver keeps answering', async () => {
      const { driver, aeron } = await driverWith({ threadingMode });
      expect(aeron.requestDriverTermination(new Uint8Array([1]))).toBe(true);
      await pause(300);
      expect(driver.driver.isClosed).toBe(false);
      const sub = await aeron.addSubscription('aeron:ipc', 7001);
      sub.close();
    });

    it('passes the token to the validator; denied: nothing; allowed: the driver closes, then the hook runs', async () => {
      const tokens: number[][] = [];
      let hookCalls = 0;
      let closedWhenHookRan = false;
      const { driver, aeron } = await driverWith({
        threadingMode,
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

    it('a validator that throws denies: the driver keeps answering', async () => {
      let calls = 0;
      let hookCalls = 0;
      const { driver, aeron } = await driverWith({
        threadingMode,
        terminationValidator: () => {
          calls++;
          throw new Error('validator failed');
        },
        terminationHook: () => hookCalls++,
      });
      aeron.requestDriverTermination(new Uint8Array([7]));
      await waitFor('the validator', () => calls === 1);
      await pause(200);
      expect(driver.driver.isClosed).toBe(false);
      expect(hookCalls).toBe(0);
      const sub = await aeron.addSubscription('aeron:ipc', 7004);
      sub.close();
    });
  });

  describe(`errorHandler (${threadingMode})`, () => {
    it('receives the driver errors as typed AeronErrors beside the distinct error log', async () => {
      const errors: AeronError[] = [];
      const { view } = await driverWith({ threadingMode, errorHandler: (e) => errors.push(e) });
      await sendMalformedCommand(view);
      await waitFor('the errorHandler', () => errors.length === 1);
      const error = errors[0]!;
      expect(error).toBeInstanceOf(ControlProtocolError);
      expect(error.code).toBe('CONTROL_PROTOCOL');
      expect(error.name).toBe('ControlProtocolError');
      expect((error as ControlProtocolError).errorCode).toBe(7);
      expect(error.message).toMatch(/^command=9 too short for key/);
      expect(error.stack).toMatch(/^ControlProtocolError: command=9 too short for key/);
      const logged = readAllErrors(view.regions.errorLog);
      expect(logged).toHaveLength(1);
      expect(logged[0]!.encodedException).toMatch(/^ControlProtocolError: command=9 too short for key/);
    });

    it('an errorHandler that throws does not stop the driver', async () => {
      let calls = 0;
      const { aeron, view } = await driverWith({
        threadingMode,
        errorHandler: () => {
          calls++;
          throw new Error('application handler failed');
        },
      });
      await sendMalformedCommand(view);
      await waitFor('the errorHandler', () => calls === 1);
      const sub = await aeron.addSubscription('aeron:ipc', 7003);
      sub.close();
    });

    it('is not called once the driver is closing', async () => {
      const errors: AeronError[] = [];
      const { driver, view } = await driverWith({ threadingMode, errorHandler: (e) => errors.push(e) });
      await sendMalformedCommand(view);
      await waitFor('the errorHandler', () => errors.length === 1);
      await driver.driver.close();
      await pause(100);
      expect(errors).toHaveLength(1);
    });
  });
}
