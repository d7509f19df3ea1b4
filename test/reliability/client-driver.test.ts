/**
 * Reliability rows C1-C13 at the client level (see README.md), against the real Java MediaDriver started
 * by the harness (one driver per case: faults kill or freeze it) or against files the test writes.
 *
 * Every case asserts: the typed error (class and `code`), bounded time (every wait has a deadline), no
 * acknowledged message lost or duplicated where data flows, and released resources (ResourceTracker:
 * no mapping of the CnC or log files, no timer, no child; `assertNoLeftovers()`: no driver, no dir).
 *
 * Driver settings for quick timeouts (1.51.0 names): `aeron.client.liveness.timeout=2s`,
 * `aeron.timer.interval=100ms`. Client `driverTimeoutMs` >= 3 s (the driver heartbeats ~1/s).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DriverHandle, driverKind } from '../../harness/driver.ts';
import type { ChannelRefusal } from '../../harness/driver-kind.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import {
  Aeron,
  AeronClosedError,
  AeronError,
  BufferFullError,
  CLOSED,
  ClientTimeoutError,
  CncVersionError,
  ConductorServiceTimeoutError,
  DriverTimeoutError,
  ErrorCode,
  RegistrationError,
} from '../../src/client/index.ts';
import {
  AtomicBuffer,
  CNC_VERSION,
  composeSemanticVersion,
  RingBufferError,
  writeCncHeader,
} from '../../src/transport/index.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { MessageVerifier } from '../support/message-pattern.ts';
import { awaitCondition, within } from '../support/wait.ts';
import { blockEventLoop, ErrorLog, FakeDriverCnc, rejectionOf } from './support/client-faults.ts';
import { sendAndVerify } from './support/exchange.ts';
import { ResourceTracker } from './support/resources.ts';

const QUICK_DRIVER = { 'aeron.client.liveness.timeout': '2s', 'aeron.timer.interval': '100ms' };
/** Driver system counter "Client liveness timeouts" (`AeronCounters.SYSTEM_COUNTER_ID_CLIENT_TIMEOUTS`). */
const SYSTEM_COUNTER_CLIENT_TIMEOUTS = 24;
const IPC = 'aeron:ipc?term-length=64k';

let tracker: ResourceTracker;
const clients: Aeron[] = [];
const frozen = new Set<DriverHandle>();

beforeEach(() => {
  tracker = new ResourceTracker();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const driver of frozen) driver.kill('SIGCONT');
  frozen.clear();
  await tracker.stopDrivers();
  await tracker.settleTimers();
  tracker.release();
  assertNoLeftovers();
});

function driver(properties: Record<string, string> = {}): Promise<DriverHandle> {
  return tracker.startDriver(properties);
}

async function connect(aeronDir: string, options: Parameters<typeof Aeron.connect>[0] = {}): Promise<Aeron> {
  const client = await within('Aeron.connect', 30_000, Aeron.connect({ aeronDir, driverTimeoutMs: 3_000, ...options }));
  clients.push(client);
  return client;
}

function freeze(handle: DriverHandle): void {
  frozen.add(handle);
  expect(handle.kill('SIGSTOP')).toBe(true);
}

function thaw(handle: DriverHandle): void {
  handle.kill('SIGCONT');
  frozen.delete(handle);
}

/** A connected IPC pub/sub pair that exchanged `count` verified messages (all acknowledged ones arrive). */
async function exchange(client: Aeron, streamId: number, count: number) {
  const subscription = await within('addSubscription', 20_000, client.addSubscription(IPC, streamId));
  const publication = await within('addPublication', 20_000, client.addExclusivePublication(IPC, streamId));
  tracker.trackFile(publication.logBuffers.path);
  await awaitCondition('publication connected', () => publication.isConnected(), 20_000);
  const verifier = new MessageVerifier({ sizes: '8,100,1000', seed: 7, count });
  await sendAndVerify(publication, subscription, verifier);
  return { subscription, publication, verifier };
}

/** A cnc.dat with small valid regions (as `transport-level.test.ts`), optionally a different version. */
function writeCnc(path: string, version: number, overrides: Partial<Parameters<typeof writeCncHeader>[1]> = {}) {
  const header = {
    toDriverBufferLength: 1024 + 768,
    toClientsBufferLength: 1024 + 128,
    countersMetadataBufferLength: 4 * 512,
    countersValuesBufferLength: 4 * 128,
    errorLogBufferLength: 1024,
    clientLivenessTimeoutNs: 10_000_000_000,
    startTimestampMs: 1,
    pid: 1,
    filePageSize: 4096,
    ...overrides,
  };
  const length =
    128 +
    header.toDriverBufferLength +
    header.toClientsBufferLength +
    header.countersMetadataBufferLength +
    header.countersValuesBufferLength +
    header.errorLogBufferLength;
  const bytes = new Uint8Array(length);
  writeCncHeader(new AtomicBuffer(bytes.buffer), header, version);
  writeFileSync(path, bytes);
}

function expectTyped(e: unknown, type: abstract new (...args: never[]) => AeronError, code: string): void {
  expect(e).toBeInstanceOf(type);
  expect((e as AeronError).code).toBe(code);
}

describe('C rows without a driver (files written by the test)', () => {
  // No data flows in these cases (no driver, or one that never answers): the loss/duplication check does not apply.
  it('C1 no driver: cnc.dat missing → DriverTimeoutError after the driver timeout', async () => {
    const dir = tracker.makeDir('c1-missing');
    tracker.trackFile(join(dir, 'cnc.dat'));
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }));
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
    expect((e as Error).message).toContain('CnC file not created');
  });

  it('C1 no driver: cnc.dat of 0 bytes → retried, then DriverTimeoutError', async () => {
    const dir = tracker.makeDir('c1-empty');
    const path = tracker.trackFile(join(dir, 'cnc.dat'));
    writeFileSync(path, new Uint8Array(0));
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }));
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
    expect((e as Error).message).toContain('CnC file not created');
  });

  it('C1 no driver: cnc.dat with version 0 → DriverTimeoutError "created but not initialised", unmapped', async () => {
    const dir = tracker.makeDir('c1-zeros');
    const path = tracker.trackFile(join(dir, 'cnc.dat'));
    writeFileSync(path, new Uint8Array(64 * 1024));
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }));
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
    expect((e as Error).message).toContain('CnC file is created but not initialised');
    expect(tracker.mappings(path)).toBe(0);
  });

  it('C2 wrong major CnC version → CncVersionError at once (no retry until the driver timeout)', async () => {
    const dir = tracker.makeDir('c2');
    const path = tracker.trackFile(join(dir, 'cnc.dat'));
    writeCnc(path, composeSemanticVersion(255, 0, 0));
    // a 60 s driver timeout and a 10 s deadline: only an immediate failure passes
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 60_000 }));
    expect(e).toBeInstanceOf(CncVersionError);
    expect((e as CncVersionError).code).toBe('CNC_VERSION_MISMATCH');
    expect((e as Error).message).toContain('CnC version not compatible: app=0.2.0 file=255.0.0');
    expect(tracker.mappings(path)).toBe(0);
  });

  it('C3 cnc.dat shorter than its header says → retried, then DriverTimeoutError, unmapped', async () => {
    const dir = tracker.makeDir('c3-short');
    const path = tracker.trackFile(join(dir, 'cnc.dat'));
    // the header claims an error log of 1 MiB the file does not have
    writeCnc(path, CNC_VERSION);
    const bytes = new Uint8Array(4096 + 128);
    writeCncHeader(
      new AtomicBuffer(bytes.buffer),
      {
        toDriverBufferLength: 1024 + 768,
        toClientsBufferLength: 1024 + 128,
        countersMetadataBufferLength: 4 * 512,
        countersValuesBufferLength: 4 * 128,
        errorLogBufferLength: 1024 * 1024,
        clientLivenessTimeoutNs: 10_000_000_000,
        startTimestampMs: 1,
        pid: 1,
        filePageSize: 4096,
      },
      CNC_VERSION,
    );
    writeFileSync(path, bytes);
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }));
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
    expect((e as Error).message).toContain('CnC file is not fully populated');
    expect(tracker.mappings(path)).toBe(0);
  });

  it('C3 ring capacity not a power of two → RingBufferError INVALID_CAPACITY at once, unmapped', async () => {
    const dir = tracker.makeDir('c3-capacity');
    const path = tracker.trackFile(join(dir, 'cnc.dat'));
    writeCnc(path, CNC_VERSION, { toDriverBufferLength: 1000 + 768 });
    const e = await rejectionOf('connect', 10_000, Aeron.connect({ aeronDir: dir, driverTimeoutMs: 500 }));
    // a transport-layer error (not an AeronError): Java's connect would retry until the driver timeout instead
    expect(e).toBeInstanceOf(RingBufferError);
    expect((e as RingBufferError).code).toBe('INVALID_CAPACITY');
    expect(tracker.mappings(path)).toBe(0);
  });

  it('C11 driver never answers one command (alive heartbeat, commands unread) → DriverTimeoutError, no orphan', async () => {
    const dir = tracker.makeDir('c11-fake');
    const fake = new FakeDriverCnc(dir);
    tracker.trackFile(fake.path);
    try {
      const errors = new ErrorLog();
      const client = await connect(dir, { errorHandler: errors.handler });
      const e = await rejectionOf('addSubscription', 15_000, client.addSubscription('aeron:ipc', 1101));
      expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
      expect((e as Error).message).toContain('no response from MediaDriver within 3000ms');
      expect(fake.pendingCommandBytes()).toBeGreaterThan(0);
      expect(client.hasActiveCommands()).toBe(false);
      // only that command failed: the client itself stays up (the heartbeat is fresh)
      expect(client.isClosed).toBe(false);
      expect(errors.errors).toEqual([]);
      client.close();
      expect(tracker.mappings(fake.path)).toBe(1); // the fake driver's own mapping only
    } finally {
      fake.close();
    }
  });
});

describeInterop('C rows against the Java media driver', () => {
  it('C4 stale cnc.dat after driver SIGKILL → DriverTimeoutError "no driver heartbeat detected"', async () => {
    const handle = await driver();
    // no client was connected, so no data flows: the loss/duplication check does not apply
    expect(handle.kill('SIGKILL')).toBe(true);
    await within('driver exit', 10_000, handle.exited);
    await sleep(3_500); // the last heartbeat is now older than the client's 3 s driver timeout
    const e = await rejectionOf(
      'connect',
      15_000,
      Aeron.connect({ aeronDir: handle.aeronDir, driverTimeoutMs: 3_000 }),
    );
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
    expect((e as Error).message).toContain('no driver heartbeat detected');
    expect(tracker.mappings(join(handle.aeronDir, 'cnc.dat'))).toBe(0);
  });

  it('C5 driver SIGKILL while connected → DriverTimeoutError (keepalive), client closed, all released', async () => {
    const handle = await driver();
    const errors = new ErrorLog();
    let closes = 0;
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler, onClose: () => closes++ });
    const { publication, subscription } = await exchange(client, 1005, 300);
    expect(handle.kill('SIGKILL')).toBe(true);

    const e = await errors.await(DriverTimeoutError, 20_000);
    expect(e.code).toBe('DRIVER_TIMEOUT');
    expect(e.message).toMatch(/^MediaDriver \(.*\) keepalive: age=\d+ms > timeout=3000ms$/);
    await awaitCondition('client closed', () => client.isClosed, 5_000);
    expect(closes).toBe(1);
    expect(publication.offer(new Uint8Array(8))).toBe(CLOSED);
    expect(subscription.poll(() => {}, 10)).toBe(0);
    expectTyped(
      await rejectionOf('addPublication after termination', 5_000, client.addPublication(IPC, 1005)),
      AeronClosedError,
      'CLOSED',
    );
    expect(tracker.mappings(publication.logBuffers.path)).toBe(0);
    expect(tracker.mappings(join(handle.aeronDir, 'cnc.dat'))).toBe(0);
  });

  it('C6 driver frozen (SIGSTOP) then resumed → DriverTimeoutError, the client stays closed after SIGCONT', async () => {
    const handle = await driver();
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler });
    const { publication } = await exchange(client, 1006, 100);
    freeze(handle);
    const e = await errors.await(DriverTimeoutError, 20_000);
    expect(e.code).toBe('DRIVER_TIMEOUT');
    expect(e.message).toContain('keepalive: age=');
    thaw(handle);
    await sleep(1_500); // the driver runs again (and times this client out: C8 on its side)
    expect(client.isClosed).toBe(true);
    expect(publication.offer(new Uint8Array(8))).toBe(CLOSED);
    expectTyped(
      await rejectionOf('addSubscription after resume', 5_000, client.addSubscription(IPC, 1006)),
      AeronClosedError,
      'CLOSED',
    );
    expect(errors.errors.filter((x) => x instanceof AeronError && x.code !== 'DRIVER_TIMEOUT')).toEqual([]);
    expect(tracker.mappings(publication.logBuffers.path)).toBe(0);
  });

  it('C7 our duty cycle starved (event loop blocked > liveness) → ConductorServiceTimeoutError, terminated', async () => {
    const handle = await driver(QUICK_DRIVER);
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler, driverTimeoutMs: 10_000 });
    expect(client.interServiceTimeoutNs).toBe(2_000_000_000);
    const { publication } = await exchange(client, 1007, 50);
    // Freeze the driver first so that it can not time this client out meanwhile (that would be C8).
    freeze(handle);
    blockEventLoop(3_000);
    const e = await errors.await(ConductorServiceTimeoutError, 5_000);
    thaw(handle);
    expect(e.code).toBe('CONDUCTOR_SERVICE_TIMEOUT');
    expect(e.message).toMatch(/^service interval exceeded: timeout=2000ms, interval=\d+ms$/);
    expect(client.isClosed).toBe(true);
    expect(publication.offer(new Uint8Array(8))).toBe(CLOSED);
    expect(tracker.mappings(publication.logBuffers.path)).toBe(0);
  });

  it('C8 driver times our client out → ClientTimeoutError; another client ignores it and keeps working', async () => {
    const handle = await driver(QUICK_DRIVER);
    const errorsA = new ErrorLog();
    const errorsB = new ErrorLog();
    // A: invoker mode, and the application stops invoking it (no keepalives) — a stalled client
    const a = await connect(handle.aeronDir, { errorHandler: errorsA.handler, useConductorAgentInvoker: true });
    const b = await connect(handle.aeronDir, { errorHandler: errorsB.handler });
    const publicationA = await within('A addPublication', 20_000, a.addExclusivePublication(IPC, 1008));
    tracker.trackFile(publicationA.logBuffers.path);
    const timeoutsBefore = b.countersReader.getCounterValue(SYSTEM_COUNTER_CLIENT_TIMEOUTS);
    await awaitCondition(
      'the driver counted a client timeout',
      () => b.countersReader.getCounterValue(SYSTEM_COUNTER_CLIENT_TIMEOUTS) > timeoutsBefore,
      20_000,
    );
    await sleep(200); // B's duty cycle reads ON_CLIENT_TIMEOUT for A's id
    a.doWork();
    const e = errorsA.first(ClientTimeoutError);
    expect(e, errorsA.describe()).toBeDefined();
    expect(e?.code).toBe('CLIENT_TIMEOUT');
    expect(a.isClosed).toBe(true);
    expect(publicationA.offer(new Uint8Array(8))).toBe(CLOSED);
    expect(tracker.mappings(publicationA.logBuffers.path)).toBe(0);
    // B saw the same broadcast for another client id: ignored, still usable
    expect(b.isClosed).toBe(false);
    expect(errorsB.errors).toEqual([]);
    await exchange(b, 1018, 50);
  });

  it('C10 to-driver ring buffer full (driver frozen) → BufferFullError; earlier commands complete after SIGCONT', async () => {
    // the driver's minimum (and default) to-driver ring: 1 MiB + 768-byte trailer
    const handle = await driver();
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler, driverTimeoutMs: 10_000 });
    freeze(handle);
    const label = 'c10-'.padEnd(300, 'x');
    const ids: number[] = [];
    let full: unknown;
    for (let i = 0; i < 10_000 && full === undefined; i++) {
      try {
        ids.push(client.asyncAddCounter(1001, `${label}${i}`));
      } catch (e) {
        full = e;
      }
    }
    expectTyped(full, BufferFullError, 'BUFFER_FULL');
    expect((full as Error).message).toBe('failed to write add counter command');
    expect(ids.length).toBeGreaterThan(50);
    thaw(handle);
    // every command written before the ring filled is whole: the driver answers each one
    await awaitCondition(
      'all accepted counters created',
      () => ids.every((id) => client.getCounter(id) !== null),
      20_000,
      20,
    );
    const counterIds = new Set(ids.map((id) => client.getCounter(id)?.id));
    expect(counterIds.size).toBe(ids.length);
    expect(client.isClosed).toBe(false);
    expect(errors.errors).toEqual([]);
  });

  // Regression: when the driver stopped answering, the liveness check terminated the client and `close()`
  // rejected the pending command with AeronClosedError (cause DriverTimeoutError). Java's awaitResponse
  // throws the DriverTimeoutException itself to the caller; so do we now (client-conductor.ts `close()`).
  it('C11 driver frozen right before a command → that call fails with DriverTimeoutError', async () => {
    const handle = await driver();
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler });
    // no data flows: the command itself is what must not be lost (it fails typed, nothing left pending)
    freeze(handle);
    await sleep(1_200); // the driver's last heartbeat is now older than the command
    const e = await rejectionOf('addSubscription', 20_000, client.addSubscription(IPC, 1011));
    thaw(handle);
    expect(client.hasActiveCommands()).toBe(false);
    expectTyped(e, DriverTimeoutError, 'DRIVER_TIMEOUT');
  });

  it('C13 invalid, oversized or unresolvable channel URIs → typed errors, nothing left pending', async () => {
    const handle = await driver();
    const errors = new ErrorLog();
    const client = await connect(handle.aeronDir, { errorHandler: errors.handler });
    // No data flows (every registration is refused). Like Java's client, ours sends the URI unparsed; each driver
    // answers with its own code and text (DriverFacts.channelRefusals: the Java driver INVALID_CHANNEL for all, an
    // unresolvable host too; the C driver GENERIC_ERROR for the bad port and UNKNOWN_HOST for the host).
    const refusals = driverKind().facts.channelRefusals;
    const cases: Array<[string, ChannelRefusal]> = [
      ['aeron:foo?endpoint=localhost:40123', refusals.unsupportedMedia],
      ['udp?endpoint=localhost:40123', refusals.notAeronScheme],
      ['aeron:udp?endpoint=localhost:notaport', refusals.invalidPort],
      ['aeron:udp?endpoint=nohost.invalid:40123', refusals.unknownHost],
      [`aeron:ipc?alias=${'a'.repeat(4096)}`, refusals.uriTooLong],
    ];
    for (const [uri, refusal] of cases) {
      const e = await rejectionOf(`addPublication ${uri.slice(0, 60)}`, 20_000, client.addPublication(uri, 1013));
      expect(e, `${uri.slice(0, 60)}: ${String(e)}`).toBeInstanceOf(RegistrationError);
      const error = e as RegistrationError;
      expect(error.code).toBe('REGISTRATION');
      expect(error.errorCode).toBe(ErrorCode[refusal.errorCodeName]);
      expect(error.errorCodeName).toBe(refusal.errorCodeName);
      expect(error.driverMessage).toContain(refusal.text);
    }
    const e = await rejectionOf('addSubscription bad media', 20_000, client.addSubscription('aeron:foo', 1013));
    expect(e).toBeInstanceOf(RegistrationError);
    expect((e as RegistrationError).code).toBe('REGISTRATION');
    expect((e as RegistrationError).errorCode).toBe(1);
    expect(client.hasActiveCommands()).toBe(false);
    expect(client.isClosed).toBe(false);
    expect(errors.errors).toEqual([]);
  });
});
