/**
 * ADD_STATIC_COUNTER against raw commands (Aeron 1.51.0 `DriverConductor.onAddStaticCounter`,
 * `ClientProxy.onStaticCounter`): the reply, the reuse of a counter with the same type id and registration id, a
 * static counter outliving its client, and the refusals with Java's codes (a non-static counter of that type and
 * registration id: GENERIC_ERROR sent directly, not logged; a short command: MALFORMED_COMMAND; a full counters
 * buffer: GENERIC_ERROR); and the Java client's `Aeron.addStaticCounter` through it (test/driver/java/StaticCounterProbe.java).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import {
  ON_COUNTER_READY,
  ON_ERROR,
  ON_STATIC_COUNTER,
  ON_UNAVAILABLE_COUNTER,
} from '../../src/driver/command/control-protocol.ts';
import { RECORD_ALLOCATED } from '../../src/transport/counters-descriptor.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { describeInterop } from '../support/describe-interop.ts';
import {
  type CncView,
  counterUpdate,
  type DriverEvent,
  errorResponse,
  isResponse,
  useDriverWithView,
} from './support.ts';

const ADD_STATIC_COUNTER = 0x0f;
const CLIENT_CLOSE = 0x0b;
const ERRORS = 15;
const GENERIC_ERROR = 11;
const MALFORMED_COMMAND = 7;

const setup = useDriverWithView();

/** Sends ADD_STATIC_COUNTER and waits for its ON_STATIC_COUNTER or ON_ERROR. */
async function addStatic(
  view: CncView,
  clientId: number,
  registrationId: number,
  typeId: number,
  label: string,
  key?: Uint8Array,
): Promise<DriverEvent> {
  const correlationId = view.ring.nextCorrelationId();
  view.addStaticCounter(clientId, correlationId, registrationId, typeId, label, key);
  return view.awaitEvent(
    `reply to ${correlationId}`,
    (e) => (e.type === ON_STATIC_COUNTER || e.type === ON_ERROR) && e.body.getInt64(0) === correlationId,
  );
}

describe('DriverConductor: ADD_STATIC_COUNTER', () => {
  it('allocates a counter without owner (owner id -1), registration id as asked, and answers ON_STATIC_COUNTER', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    const reply = await addStatic(view, clientId, 4_242, 2004, 'static one', new Uint8Array([9, 8, 7]));
    expect(reply.type).toBe(ON_STATIC_COUNTER);
    expect(reply.body.capacity).toBe(12);
    const counterId = counterUpdate(reply).counterId;
    // The client becomes known first: its heartbeat counter is announced before the reply.
    const heartbeat = view.events.find(isResponse(ON_COUNTER_READY, clientId));
    expect(heartbeat).toBeDefined();
    expect(view.events.indexOf(heartbeat!)).toBeLessThan(view.events.indexOf(reply));

    const counters = view.counters;
    expect(counters.getCounterState(counterId)).toBe(RECORD_ALLOCATED);
    expect(counters.getCounterTypeId(counterId)).toBe(2004);
    expect(counters.getCounterLabel(counterId)).toBe('static one');
    expect([...counters.getCounterKey(counterId).bytes.subarray(0, 4)]).toEqual([9, 8, 7, 0]);
    expect(counters.getCounterRegistrationId(counterId)).toBe(4_242);
    expect(counters.getCounterOwnerId(counterId)).toBe(-1);
    expect(counters.findByTypeIdAndRegistrationId(2004, 4_242)).toBe(counterId);
  });

  it('answers the same counter for the same type id and registration id, from any client; a new one otherwise', async () => {
    const { view } = await setup();
    const first = view.ring.nextCorrelationId();
    const second = view.ring.nextCorrelationId();
    const counterId = counterUpdate(await addStatic(view, first, 5_000, 2004, 'shared')).counterId;
    const again = await addStatic(view, second, 5_000, 2004, 'another label, ignored');
    expect(again.type).toBe(ON_STATIC_COUNTER);
    expect(counterUpdate(again).counterId).toBe(counterId);
    expect(view.counters.getCounterLabel(counterId)).toBe('shared');

    const otherType = counterUpdate(await addStatic(view, first, 5_000, 2005, 'other type')).counterId;
    const otherRegistration = counterUpdate(await addStatic(view, first, 5_001, 2004, 'other id')).counterId;
    expect(new Set([counterId, otherType, otherRegistration]).size).toBe(3);
  });

  it('outlives the client that added it (CLIENT_CLOSE): no ON_UNAVAILABLE_COUNTER, still ALLOCATED', async () => {
    const { view, driver } = await setup({
      timerIntervalNs: 20_000_000,
      clientLivenessTimeoutNs: 500_000_000,
      publicationUnblockTimeoutNs: 1_000_000_000,
    });
    const clientId = view.ring.nextCorrelationId();
    const counterId = counterUpdate(await addStatic(view, clientId, 6_000, 2004, 'outlives')).counterId;
    view.send(CLIENT_CLOSE, clientId, -1);
    await view.awaitEvent('heartbeat unavailable', isResponse(ON_UNAVAILABLE_COUNTER, clientId));
    expect(driver.driver.clientCount).toBe(0);
    expect(view.events.some(isResponse(ON_UNAVAILABLE_COUNTER, 6_000))).toBe(false);
    expect(view.counters.getCounterState(counterId)).toBe(RECORD_ALLOCATED);
    const later = view.ring.nextCorrelationId();
    expect(counterUpdate(await addStatic(view, later, 6_000, 2004, 'again')).counterId).toBe(counterId);
  });

  it('refuses a type id and registration id held by a client counter: GENERIC_ERROR with Java message, not logged', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 2006, 'owned');
    const owned = counterUpdate(await view.awaitEvent('ready', isResponse(ON_COUNTER_READY, registrationId))).counterId;
    const reply = await addStatic(view, clientId, registrationId, 2006, 'static');
    expect(reply.type).toBe(ON_ERROR);
    expect(errorResponse(reply)).toEqual({
      correlationId: reply.body.getInt64(0),
      errorCode: GENERIC_ERROR,
      message:
        `cannot add static counter, because a non-static counter exists (counterId=${owned}) for typeId=2006 ` +
        `and registrationId=${registrationId}`,
    });
    // Java answers through ClientProxy.onError directly: the ERRORS counter and the error log stay as they were.
    expect(view.counters.getCounterValue(ERRORS)).toBe(0);
    expect(readAllErrors(view.regions.errorLog)).toHaveLength(0);
  });

  it('refuses a short command with MALFORMED_COMMAND (correlation id 0) and a full counters buffer with GENERIC_ERROR', async () => {
    const { view, driver } = await setup();
    const clientId = view.ring.nextCorrelationId();
    view.send(ADD_STATIC_COUNTER, clientId, view.ring.nextCorrelationId(), (b) => {
      b.putInt64(0, 7);
      b.putInt32(8, 2004);
      b.putInt32(12, 64); // key length past the end of the command
      return 20;
    });
    const malformed = errorResponse(
      await view.awaitEvent('malformed', (e) => e.type === ON_ERROR && errorResponse(e).correlationId === 0),
    );
    expect(malformed).toEqual({
      correlationId: 0,
      errorCode: MALFORMED_COMMAND,
      message: 'ERROR - command=15 too short for key: length=36',
    });

    // Fill the counters buffer from the driver's side (INVOKER: its parts are reachable), then ask.
    const manager = driver.driver.countersManager;
    while (manager.available() > 0) manager.allocate('filler', 99);
    const reply = await addStatic(view, clientId, 7_000, 2004, 'no room');
    expect(reply.type).toBe(ON_ERROR);
    const full = errorResponse(reply);
    expect(full.errorCode).toBe(GENERIC_ERROR);
    expect(full.message).toMatch(/^IllegalStateError : .*/);
    expect(view.counters.getCounterValue(ERRORS)).toBe(2);
  });
});

describeInterop('DriverConductor: ADD_STATIC_COUNTER from the Java client', () => {
  it('gives Java the same counter twice (owner -1, kept after the client closes) and refuses a clash with GENERIC_ERROR', async () => {
    const { view, driver } = await setup();
    const classes = compileJava({
      sources: [join(import.meta.dirname, 'java', 'StaticCounterProbe.java')],
      classpath: [aeronJarPath()],
    });
    const registrationId = 880_000 + (process.pid % 1000);
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'StaticCounterProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [driver.aeronDir, String(registrationId)],
      timeoutMs: 120_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    const line = /^STATIC (\d+) (\d+) (-?\d+) (-?\d+) (.*)$/m.exec(result.stdout);
    expect(line, result.stdout).not.toBeNull();
    const [, id, again, registration, owner, label] = line!;
    expect(again).toBe(id);
    expect([registration, owner, label]).toEqual([String(registrationId), '-1', 'java static']);
    expect(result.stdout).toMatch(
      /^REFUSED GENERIC_ERROR .*cannot add static counter, because a non-static counter exists \(counterId=\d+\) for typeId=2011 and registrationId=\d+, errorCodeValue=11$/m,
    );
    expect(result.stdout).toContain('CLOSED');
    // The Java client is gone; its static counter stays.
    expect(view.counters.getCounterState(Number(id))).toBe(RECORD_ALLOCATED);
    expect(view.counters.findByTypeIdAndRegistrationId(2010, registrationId)).toBe(Number(id));
  }, 180_000);
});
