/**
 * Unit tests of the control plane without a driver: Aeron dir resolution and option defaults, the error
 * classes, and the driver events adapter's dispatch (correlation matching, other clients' responses ignored).
 */
import { existsSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../codecs/runtime/aeron-error.ts';
import { resolveAeronContext, resolveAeronDir } from '../../src/client/aeron-context.ts';
import * as C from '../../src/client/command/index.ts';
import {
  DriverEventsAdapter,
  type DriverEventsListener,
  type PublicationReady,
} from '../../src/client/driver-events-adapter.ts';
import { ErrorCode, errorCodeName } from '../../src/client/error-codes.ts';
import {
  AdminActionError,
  AeronClosedError,
  AeronError,
  BackPressuredError,
  MaxPositionExceededError,
  NotConnectedError,
  PublicationError,
  publicationResultToError,
  RegistrationError,
} from '../../src/client/errors.ts';
import { AtomicBuffer, type MessageHandler } from '../../src/transport/index.ts';

describe('Aeron dir resolution and defaults', () => {
  it('option > AERON_DIR > /dev/shm/aeron-<user> (tmpdir without /dev/shm)', () => {
    expect(resolveAeronDir('/opt/aeron', { AERON_DIR: '/env/aeron' })).toBe('/opt/aeron');
    expect(resolveAeronDir(undefined, { AERON_DIR: '/env/aeron' })).toBe('/env/aeron');
    const base = process.platform === 'linux' && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    expect(resolveAeronDir(undefined, {})).toBe(join(base, `aeron-${userInfo().username}`));
  });

  it('Java defaults: driver timeout 10 s, keepalive 500 ms, idle sleep 16 ms, resource linger 3 s', () => {
    const ctx = resolveAeronContext({ env: {} });
    expect(ctx.driverTimeoutMs).toBe(10_000);
    expect(ctx.keepAliveIntervalMs).toBe(500);
    expect(ctx.idleSleepDurationMs).toBe(16);
    expect(ctx.awaitingIdleSleepMs).toBe(1);
    expect(ctx.resourceLingerDurationMs).toBe(3_000);
    expect(ctx.useConductorAgentInvoker).toBe(false);
    expect(ctx.clientName).toBe('');
    expect(resolveAeronContext({ env: { AERON_DRIVER_TIMEOUT: '2500' } }).driverTimeoutMs).toBe(2_500);
    expect(resolveAeronContext({ env: {}, driverTimeoutMs: 700 }).driverTimeoutMs).toBe(700);
  });

  it('preTouchMappedMemory: false by default, AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY, the option wins', () => {
    expect(resolveAeronContext({ env: {} }).preTouchMappedMemory).toBe(false);
    expect(resolveAeronContext({ env: { AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY: 'true' } }).preTouchMappedMemory).toBe(
      true,
    );
    expect(resolveAeronContext({ env: { AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY: 'FALSE' } }).preTouchMappedMemory).toBe(
      false,
    );
    const env = { AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY: 'true' };
    expect(resolveAeronContext({ env, preTouchMappedMemory: false }).preTouchMappedMemory).toBe(false);
    expect(() => resolveAeronContext({ env: { AERON_CLIENT_PRE_TOUCH_MAPPED_MEMORY: 'yes' } })).toThrow(
      InvalidArgumentError,
    );
  });

  it("publication error frame handler: onPublicationError or Java's publicationErrorFrameHandler, not two different ones", () => {
    const handler = (): void => {};
    expect(resolveAeronContext({ env: {} }).onPublicationError).toBeNull();
    expect(resolveAeronContext({ env: {}, onPublicationError: handler }).onPublicationError).toBe(handler);
    expect(resolveAeronContext({ env: {}, publicationErrorFrameHandler: handler }).onPublicationError).toBe(handler);
    expect(
      resolveAeronContext({ env: {}, onPublicationError: handler, publicationErrorFrameHandler: handler })
        .onPublicationError,
    ).toBe(handler);
    expect(() =>
      resolveAeronContext({ env: {}, onPublicationError: handler, publicationErrorFrameHandler: () => {} }),
    ).toThrow(InvalidArgumentError);
  });

  it('rejects invalid options', () => {
    expect(() => resolveAeronContext({ env: {}, clientName: 'x'.repeat(101) })).toThrow(InvalidArgumentError);
    expect(() => resolveAeronContext({ env: {}, idleSleepDurationMs: 2_000 })).toThrow(InvalidArgumentError);
    expect(() => resolveAeronContext({ env: {}, driverTimeoutMs: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('errors', () => {
  it('maps publication sentinels to typed errors with stable codes', () => {
    expect(publicationResultToError(4096)).toBeNull();
    expect(publicationResultToError(-1)).toBeInstanceOf(NotConnectedError);
    expect(publicationResultToError(-2)).toBeInstanceOf(BackPressuredError);
    expect(publicationResultToError(-3)).toBeInstanceOf(AdminActionError);
    expect(publicationResultToError(-4)).toBeInstanceOf(AeronClosedError);
    expect(publicationResultToError(-5)).toBeInstanceOf(MaxPositionExceededError);
    expect(publicationResultToError(-6)).toBeInstanceOf(PublicationError);
    expect([-1, -2, -3, -4, -5].map((r) => publicationResultToError(r)?.code)).toEqual([
      'NOT_CONNECTED',
      'BACK_PRESSURED',
      'ADMIN_ACTION',
      'CLOSED',
      'MAX_POSITION_EXCEEDED',
    ]);
  });

  it('RegistrationError carries the Aeron error code, its name and the driver message', () => {
    const e = new RegistrationError(7, ErrorCode.INVALID_CHANNEL, 'no endpoint');
    expect(e).toBeInstanceOf(AeronError);
    expect([e.code, e.errorCode, e.errorCodeName, e.driverMessage, e.correlationId]).toEqual([
      'REGISTRATION',
      1,
      'INVALID_CHANNEL',
      'no endpoint',
      7,
    ]);
    expect(e.name).toBe('RegistrationError');
    expect(errorCodeName(14)).toBe('PUBLICATION_REVOKED');
    expect(errorCodeName(99)).toBe('UNKNOWN_CODE_VALUE');
    expect(errorCodeName(-1)).toBe('UNKNOWN_CODE_VALUE');
  });
});

function idInt(b: AtomicBuffer, id: number, value: number): number {
  new C.IdIntResponseFlyweight().wrap(b, 0).setCorrelationId(id).setValue(value);
  return 12;
}

function id8(b: AtomicBuffer, id: number): number {
  new C.IdResponseFlyweight().wrap(b, 0).setId(id);
  return 8;
}

describe('DriverEventsAdapter dispatch', () => {
  const CLIENT_ID = 100;
  type Event = [string, ...unknown[]];

  function setup(): {
    deliver: (type: number, fill: (b: AtomicBuffer) => number) => void;
    events: Event[];
    inFlight: Set<number>;
  } {
    const events: Event[] = [];
    const queue: Array<[number, AtomicBuffer, number]> = [];
    const receiver = {
      receive(handler: MessageHandler): number {
        const next = queue.shift();
        if (next === undefined) return 0;
        handler(next[0], next[1], 0, next[2]);
        return 1;
      },
    };
    const listener: DriverEventsListener = {
      onError: (...a) => events.push(['error', ...a]),
      onChannelEndpointError: (...a) => events.push(['endpoint', ...a]),
      onNewPublication: (ready: PublicationReady, exclusive) =>
        events.push(['publication', ready.correlationId, exclusive, ready.logFileName]),
      onNewSubscription: (...a) => events.push(['subscription', ...a]),
      onOperationSuccess: (...a) => events.push(['success', ...a]),
      onAvailableImage: (...a) => events.push(['image', ...a]),
      onUnavailableImage: (...a) => events.push(['unavailable-image', ...a]),
      onNewCounter: (...a) => events.push(['new-counter', ...a]),
      onAvailableCounter: (...a) => events.push(['available-counter', ...a]),
      onUnavailableCounter: (...a) => events.push(['unavailable-counter', ...a]),
      onStaticCounter: (...a) => events.push(['static-counter', ...a]),
      onClientTimeout: () => events.push(['client-timeout']),
      onPublicationError: (f) => events.push(['publication-error', f.registrationId()]),
      onNextAvailableSessionId: (...a) => events.push(['session-id', ...a]),
    };
    const inFlight = new Set<number>();
    const adapter = new DriverEventsAdapter(CLIENT_ID, receiver, listener, inFlight);
    const deliver = (type: number, fill: (b: AtomicBuffer) => number): void => {
      const buffer = new AtomicBuffer(new ArrayBuffer(256));
      queue.push([type, buffer, fill(buffer)]);
      expect(adapter.receive()).toBe(1);
    };
    return { deliver, events, inFlight };
  }

  it('delivers correlated responses only for commands in flight, once', () => {
    const { deliver, events, inFlight } = setup();
    inFlight.add(1).add(2).add(3).add(4);
    const ready = (id: number) => (b: AtomicBuffer) => {
      new C.PublicationBuffersReadyFlyweight()
        .wrap(b, 0)
        .setCorrelationId(id)
        .setRegistrationId(id)
        .setLogFileName('f');
      return 37;
    };
    deliver(C.ON_PUBLICATION_READY, ready(1));
    deliver(C.ON_PUBLICATION_READY, ready(1)); // duplicate: ignored
    deliver(C.ON_EXCLUSIVE_PUBLICATION_READY, ready(99)); // another client's: ignored
    deliver(C.ON_EXCLUSIVE_PUBLICATION_READY, ready(2));
    deliver(C.ON_SUBSCRIPTION_READY, (b) => idInt(b, 3, 9));
    deliver(C.ON_OPERATION_SUCCESS, (b) => id8(b, 50));
    deliver(C.ON_ERROR, (b) => {
      new C.ErrorResponseFlyweight()
        .wrap(b, 0)
        .setOffendingCommandCorrelationId(4)
        .setErrorCode(1)
        .setErrorMessage('bad');
      return 19;
    });
    deliver(C.ON_ERROR, (b) => {
      new C.ErrorResponseFlyweight()
        .wrap(b, 0)
        .setOffendingCommandCorrelationId(77)
        .setErrorCode(1)
        .setErrorMessage('x');
      return 17;
    });
    expect(events).toEqual([
      ['publication', 1, false, 'f'],
      ['publication', 2, true, 'f'],
      ['subscription', 3, 9],
      ['error', 4, 1, 'bad'],
    ]);
    expect(inFlight.size).toBe(0);
  });

  it('counters: own → new + (conductor) available; others → available; unavailable always', () => {
    const { deliver, events, inFlight } = setup();
    inFlight.add(5);
    const counter = (id: number, counterId: number) => (b: AtomicBuffer) => idInt(b, id, counterId);
    deliver(C.ON_COUNTER_READY, counter(5, 20));
    deliver(C.ON_COUNTER_READY, counter(CLIENT_ID, 21)); // heartbeat counter: correlation id = client id
    deliver(C.ON_UNAVAILABLE_COUNTER, counter(6, 22));
    deliver(C.ON_STATIC_COUNTER, counter(7, 23)); // not ours
    expect(events).toEqual([
      ['new-counter', 5, 20],
      ['available-counter', CLIENT_ID, 21],
      ['unavailable-counter', 6, 22],
    ]);
  });

  it('client timeout only for this client; channel endpoint errors and images always passed on', () => {
    const { deliver, events } = setup();
    deliver(C.ON_CLIENT_TIMEOUT, (b) => id8(b, CLIENT_ID + 1));
    deliver(C.ON_CLIENT_TIMEOUT, (b) => id8(b, CLIENT_ID));
    deliver(C.ON_ERROR, (b) => {
      new C.ErrorResponseFlyweight()
        .wrap(b, 0)
        .setOffendingCommandCorrelationId(12)
        .setErrorCode(4)
        .setErrorMessage('bind');
      return 20;
    });
    deliver(C.ON_AVAILABLE_IMAGE, (b) => {
      const f = new C.ImageBuffersReadyFlyweight().wrap(b, 0);
      f.setCorrelationId(30)
        .setSessionId(31)
        .setStreamId(32)
        .setSubscriptionRegistrationId(33)
        .setSubscriberPositionId(34);
      f.setLogFileName('log').setSourceIdentity('src');
      return f.length();
    });
    deliver(C.ON_UNAVAILABLE_IMAGE, (b) => {
      new C.ImageMessageFlyweight().wrap(b, 0).setCorrelationId(30).setSubscriptionRegistrationId(33).setChannel('c');
      return 25;
    });
    expect(events).toEqual([
      ['client-timeout'],
      ['endpoint', 12, 'bind'],
      ['image', 30, 31, 33, 34, 'log', 'src'],
      ['unavailable-image', 30, 33],
    ]);
  });
});
