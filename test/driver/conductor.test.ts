/**
 * The driver conductor against raw commands written into the to-driver ring buffer, answers read from the
 * to-clients broadcast buffer (as a client would): ADD_COUNTER / REMOVE_COUNTER with Java's replies, the
 * client heartbeat counter, CLIENT_KEEPALIVE, CLIENT_CLOSE, client liveness timeouts, ON_ERROR for bad
 * commands, and unblocking a command a client claimed and never committed.
 */
import { describe, expect, it } from 'vitest';
import {
  ON_CLIENT_TIMEOUT,
  ON_COUNTER_READY,
  ON_ERROR,
  ON_OPERATION_SUCCESS,
  ON_UNAVAILABLE_COUNTER,
} from '../../src/driver/command/control-protocol.ts';
import { ChannelUri } from '../../src/logbuffer/channel-uri.ts';
import { ON_PUBLICATION_READY } from '../../src/transport/control-protocol-events.ts';
import { RECORD_ALLOCATED, RECORD_RECLAIMED } from '../../src/transport/counters-descriptor.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { counterUpdate, errorResponse, isResponse, useDriverWithView, waitFor } from './support.ts';

const ADD_PUBLICATION = 0x01;
const CLIENT_KEEPALIVE = 0x06;
const CLIENT_CLOSE = 0x0b;
const HEARTBEAT_TYPE_ID = 11;
const ERRORS = 15;
const UNBLOCKED_COMMANDS = 20;
const CLIENT_TIMEOUTS = 24;

/** Short timers so liveness behaviour shows within a test (Aeron requires unblock > liveness > timer). */
const FAST_TIMERS = {
  timerIntervalNs: 20_000_000,
  clientLivenessTimeoutNs: 500_000_000,
  publicationUnblockTimeoutNs: 1_000_000_000,
};

const setup = useDriverWithView();

describe('DriverConductor: counters', () => {
  it('answers ADD_COUNTER with the client heartbeat counter, then the counter, as Java does', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    const correlationId = view.ring.nextCorrelationId();
    const key = new Uint8Array([1, 2, 3, 4, 5]);
    view.addCounter(clientId, correlationId, 1001, 'aeron-ts counter', key);

    const ready = await view.awaitEvent('ON_COUNTER_READY', isResponse(ON_COUNTER_READY, correlationId));
    const heartbeat = view.events.find(isResponse(ON_COUNTER_READY, clientId));
    expect(heartbeat).toBeDefined();
    expect(view.events.indexOf(heartbeat!)).toBeLessThan(view.events.indexOf(ready));

    const counters = view.counters;
    const heartbeatId = counterUpdate(heartbeat!).counterId;
    expect(counters.getCounterTypeId(heartbeatId)).toBe(HEARTBEAT_TYPE_ID);
    expect(counters.getCounterKey(heartbeatId).getInt64(0)).toBe(clientId);
    expect(counters.getCounterLabel(heartbeatId)).toBe(`client-heartbeat: id=${clientId}`);
    expect(counters.getCounterRegistrationId(heartbeatId)).toBe(clientId);
    expect(counters.getCounterOwnerId(heartbeatId)).toBe(clientId);
    expect(Math.abs(counters.getCounterValue(heartbeatId) - Date.now())).toBeLessThan(60_000);

    const counterId = counterUpdate(ready).counterId;
    expect(counters.getCounterTypeId(counterId)).toBe(1001);
    expect(counters.getCounterLabel(counterId)).toBe('aeron-ts counter');
    expect([...counters.getCounterKey(counterId).bytes.subarray(0, 6)]).toEqual([1, 2, 3, 4, 5, 0]);
    expect(counters.getCounterRegistrationId(counterId)).toBe(correlationId);
    expect(counters.getCounterOwnerId(counterId)).toBe(clientId);
    expect(counters.findByTypeIdAndRegistrationId(1001, correlationId)).toBe(counterId);

    // A second counter of the same client: no second heartbeat counter.
    const second = view.ring.nextCorrelationId();
    view.addCounter(clientId, second, 1002, 'second');
    await view.awaitEvent('second ON_COUNTER_READY', isResponse(ON_COUNTER_READY, second));
    expect(view.events.filter(isResponse(ON_COUNTER_READY, clientId))).toHaveLength(1);
  });

  it('answers REMOVE_COUNTER with ON_OPERATION_SUCCESS then ON_UNAVAILABLE_COUNTER, and frees it', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 1001, 'to remove');
    const ready = await view.awaitEvent('ready', isResponse(ON_COUNTER_READY, registrationId));
    const counterId = counterUpdate(ready).counterId;

    const removeId = view.ring.nextCorrelationId();
    view.removeCounter(clientId, removeId, registrationId);
    const success = await view.awaitEvent('success', isResponse(ON_OPERATION_SUCCESS, removeId));
    const unavailable = await view.awaitEvent('unavailable', isResponse(ON_UNAVAILABLE_COUNTER, registrationId));
    expect(view.events.indexOf(success)).toBeLessThan(view.events.indexOf(unavailable));
    expect(counterUpdate(unavailable).counterId).toBe(counterId);
    expect(view.counters.getCounterState(counterId)).toBe(RECORD_RECLAIMED);
    expect(view.counters.findByTypeIdAndRegistrationId(1001, registrationId)).toBe(-1);
  });

  it('answers REMOVE_COUNTER of an unknown registration id with ON_ERROR UNKNOWN_COUNTER, logged and counted', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    const removeId = view.ring.nextCorrelationId();
    view.removeCounter(clientId, removeId, 999_999);
    const error = errorResponse(await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR));
    expect(error).toEqual({ correlationId: removeId, errorCode: 5, message: 'ERROR - unknown counter: 999999' });
    expect(view.counters.getCounterValue(ERRORS)).toBe(1);
    expect(readAllErrors(view.regions.errorLog)[0]!.encodedException).toMatch(
      /^ControlProtocolError: unknown counter: 999999/,
    );
  });
});

describe('DriverConductor: bad commands', () => {
  it('answers a malformed ADD_COUNTER with MALFORMED_COMMAND and correlation id 0', async () => {
    const { view } = await setup();
    const clientId = view.ring.nextCorrelationId();
    view.send(0x09, clientId, view.ring.nextCorrelationId(), (b) => {
      b.putInt32(0, 1001);
      b.putInt32(4, 1000); // key length past the end of the command
      return 12;
    });
    const error = errorResponse(await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR));
    expect(error.errorCode).toBe(7);
    expect(error.correlationId).toBe(0);
    expect(error.message).toMatch(/^ERROR - command=9 too short for key/);
  });

  it('answers an unknown command type with UNKNOWN_COMMAND_TYPE_ID', async () => {
    const { view } = await setup();
    view.send(0x7f, view.ring.nextCorrelationId(), view.ring.nextCorrelationId());
    const error = errorResponse(await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR));
    expect(error).toMatchObject({ errorCode: 6, message: 'ERROR - command typeId=127' });
  });

  it('answers a response publication without response-correlation-id with GENERIC_ERROR (Java text), a multicast one with ON_PUBLICATION_READY, and a UDP channel Java refuses with INVALID_CHANNEL and the parser text as is', async () => {
    const { view } = await setup();
    const addPublication = (channel: string): number => {
      const correlationId = view.ring.nextCorrelationId();
      view.send(ADD_PUBLICATION, view.ring.nextCorrelationId(), correlationId, (b) => {
        b.putInt32(0, 10);
        return 4 + b.putStringAscii(4, channel);
      });
      return correlationId;
    };
    const response = addPublication('aeron:udp?control-mode=response|control=127.0.0.1:0');
    const noCorrelationId = errorResponse(
      await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR && errorResponse(e).correlationId === response),
    );
    expect(noCorrelationId).toMatchObject({
      correlationId: response,
      errorCode: 11,
      message:
        'java.lang.IllegalArgumentException : control-mode=response was specified, but no response-correlation-id set',
    });
    const multicast = addPublication('aeron:udp?endpoint=224.0.1.1:40123|interface=127.0.0.1');
    await view.awaitEvent('ON_PUBLICATION_READY', isResponse(ON_PUBLICATION_READY, multicast));
    const noPort = addPublication('aeron:udp?endpoint=localhost');
    const invalid = errorResponse(
      await view.awaitEvent('ON_ERROR', (e) => e.type === ON_ERROR && errorResponse(e).correlationId === noPort),
    );
    expect(invalid).toMatchObject({ correlationId: noPort, errorCode: 1 });
    expect(invalid.message).toMatch(/^java\.lang\.IllegalArgumentException: /);
  });

  it('refuses IPC publication parameters as Java does (INVALID_CHANNEL or GENERIC_ERROR, with the messages of Java) and a short command (MALFORMED)', async () => {
    const { view } = await setup();
    const addPublication = (channel: string): number => {
      const correlationId = view.ring.nextCorrelationId();
      view.send(ADD_PUBLICATION, view.ring.nextCorrelationId(), correlationId, (b) => {
        b.putInt32(0, 10);
        return 4 + b.putStringAscii(4, channel);
      });
      return correlationId;
    };
    const cases: Array<[string, number, string]> = [
      [
        'aeron:ipc?term-length=1000',
        11,
        'java.lang.IllegalStateException : Term length less than min length of 65536: length=1000',
      ],
      // Channels are printed as Java's ChannelUri.toString prints them (its hash map's parameter order).
      [
        'aeron:ipc?term-length=65537',
        11,
        'java.lang.IllegalStateException : Term length not a power of 2: length=65537',
      ],
      [
        'aeron:ipc?mtu=100',
        11,
        'io.aeron.exceptions.ConfigurationException : ERROR - mtuLength=100 is not a multiple of FRAME_ALIGNMENT=32',
      ],
      [
        'aeron:ipc?init-term-id=1|term-id=2',
        1,
        `ERROR - params must be used as a complete set: init-term-id term-id term-offset channel=${ChannelUri.parse('aeron:ipc?init-term-id=1|term-id=2')}`,
      ],
      [
        'aeron:ipc?init-term-id=1|term-id=2|term-offset=33',
        1,
        `ERROR - term-offset=33 must be a multiple of FRAME_ALIGNMENT: channel=${ChannelUri.parse('aeron:ipc?init-term-id=1|term-id=2|term-offset=33')}`,
      ],
      ['aeron:ipc?stream-id=11', 1, 'ERROR - stream-id=11 does not match provided streamId=10'],
      ['aeron:ipc?session-id=abc', 1, 'ERROR - invalid session-id, must be a number'],
    ];
    for (const [channel, errorCode, message] of cases) {
      const correlationId = addPublication(channel);
      const error = errorResponse(
        await view.awaitEvent(channel, (e) => e.type === ON_ERROR && errorResponse(e).correlationId === correlationId),
      );
      expect(error, channel).toMatchObject({ errorCode, message });
    }
    const correlationId = view.ring.nextCorrelationId();
    view.send(ADD_PUBLICATION, view.ring.nextCorrelationId(), correlationId, (b) => {
      b.putInt32(0, 10);
      b.putInt32(4, 100);
      return 8;
    });
    const malformed = errorResponse(
      await view.awaitEvent('malformed', (e) => e.type === ON_ERROR && errorResponse(e).correlationId === 0),
    );
    expect(malformed).toMatchObject({ errorCode: 7, message: 'ERROR - command=1 too short for channel: length=24' });
  });
});

describe('DriverConductor: client liveness', () => {
  it('times out a silent client: ON_CLIENT_TIMEOUT, its counters unavailable and freed, CLIENT_TIMEOUTS + 1', async () => {
    const { view, driver } = await setup(FAST_TIMERS);
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 1001, 'orphan');
    const counterId = counterUpdate(
      await view.awaitEvent('ready', isResponse(ON_COUNTER_READY, registrationId)),
    ).counterId;
    const heartbeatId = counterUpdate(view.events.find(isResponse(ON_COUNTER_READY, clientId))!).counterId;
    expect(driver.driver.clientCount).toBe(1);

    await view.awaitEvent('ON_CLIENT_TIMEOUT', (e) => e.type === ON_CLIENT_TIMEOUT && e.body.getInt64(0) === clientId);
    await view.awaitEvent('heartbeat unavailable', isResponse(ON_UNAVAILABLE_COUNTER, clientId));
    await view.awaitEvent('counter unavailable', isResponse(ON_UNAVAILABLE_COUNTER, registrationId));
    expect(view.counters.getCounterState(heartbeatId)).toBe(RECORD_RECLAIMED);
    expect(view.counters.getCounterState(counterId)).toBe(RECORD_RECLAIMED);
    expect(view.counters.getCounterValue(CLIENT_TIMEOUTS)).toBe(1);
    expect(driver.driver.clientCount).toBe(0);
  });

  it('keeps a client alive while it writes its heartbeat counter, or sends CLIENT_KEEPALIVE', async () => {
    // Liveness 2 s against keepalives every 50 ms: only a 2 s stall of this process could time them out.
    const { view, driver } = await setup({
      ...FAST_TIMERS,
      clientLivenessTimeoutNs: 2e9,
      publicationUnblockTimeoutNs: 3e9,
    });
    const writer = view.ring.nextCorrelationId();
    const keepalive = view.ring.nextCorrelationId();
    for (const clientId of [writer, keepalive]) view.addCounter(clientId, view.ring.nextCorrelationId(), 1, 'c');
    await view.awaitEvent('both heartbeats', () => view.events.filter((e) => e.type === ON_COUNTER_READY).length === 4);
    const heartbeatId = counterUpdate(view.events.find(isResponse(ON_COUNTER_READY, writer))!).counterId;

    // Keepalives both ways (the client's own write, as Java clients do; the command) until the driver's timer
    // has run for twice the liveness timeout.
    const values = view.regions.countersValues;
    const until = view.ring.consumerHeartbeatTime() + 4_000;
    while (view.ring.consumerHeartbeatTime() < until) {
      values.putInt64Ordered(heartbeatId * 128, Date.now());
      view.send(CLIENT_KEEPALIVE, keepalive, 0);
      await new Promise((r) => setTimeout(r, 50));
    }
    view.poll();
    expect(view.events.some((e) => e.type === ON_CLIENT_TIMEOUT)).toBe(false);
    expect(driver.driver.clientCount).toBe(2);
  });

  it('reaps a client after CLIENT_CLOSE without counting a timeout', async () => {
    const { view, driver } = await setup(FAST_TIMERS);
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 1001, 'closing');
    await view.awaitEvent('ready', isResponse(ON_COUNTER_READY, registrationId));
    view.send(CLIENT_CLOSE, clientId, -1);
    await view.awaitEvent('heartbeat unavailable', isResponse(ON_UNAVAILABLE_COUNTER, clientId));
    await view.awaitEvent('counter unavailable', isResponse(ON_UNAVAILABLE_COUNTER, registrationId));
    expect(view.events.some((e) => e.type === ON_CLIENT_TIMEOUT)).toBe(false);
    expect(view.counters.getCounterValue(CLIENT_TIMEOUTS)).toBe(0);
    expect(driver.driver.clientCount).toBe(0);
  });
});

describe('DriverConductor: blocked to-driver commands', () => {
  it('turns a record claimed and never committed into padding after a liveness timeout, then goes on', async () => {
    const { view } = await setup(FAST_TIMERS);
    const stuck = view.ring.tryClaim(CLIENT_KEEPALIVE, 16);
    expect(stuck).toBeGreaterThan(0);
    const clientId = view.ring.nextCorrelationId();
    const registrationId = view.ring.nextCorrelationId();
    view.addCounter(clientId, registrationId, 1001, 'behind a dead claim');

    await view.awaitEvent('ready after unblock', isResponse(ON_COUNTER_READY, registrationId));
    expect(view.counters.getCounterValue(UNBLOCKED_COMMANDS)).toBe(1);
    const counterId = view.counters.findByTypeIdAndRegistrationId(1001, registrationId);
    expect(view.counters.getCounterState(counterId)).toBe(RECORD_ALLOCATED);
    await waitFor('the ring to drain', () => view.ring.size() === 0);
  });
});
