/**
 * Helpers for the TypeScript media driver tests: a driver in a fresh directory with small buffers, a view of
 * its CnC file as a client sees it (ring, broadcast, counters), command encoders, and deadline waits; and the
 * setup of a suite between one TS driver and the Java media driver ({@link useTsAndJavaDrivers}).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type DriverHandle, type DriverOptions, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { makeAeronDir, removeDir } from '../../harness/temp-dir.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { MediaDriver } from '../../src/driver/media-driver.ts';
import type { MediaDriverOptions } from '../../src/driver/media-driver-context.ts';
import { DRIVER_SYSTEM_COUNTER_TYPE_ID } from '../../src/transport/aeron-counters.ts';
import { AtomicBuffer } from '../../src/transport/atomic-buffer.ts';
import { BroadcastReceiver } from '../../src/transport/broadcast-receiver.ts';
import { CNC_FILE, type CncRegions, cncRegions, validateCnc } from '../../src/transport/cnc-descriptor.ts';
import { CopyBroadcastReceiver } from '../../src/transport/copy-broadcast-receiver.ts';
import { CountersReader } from '../../src/transport/counters-reader.ts';
import { MappedFile } from '../../src/transport/mapped-file.ts';
import { ManyToOneRingBuffer } from '../../src/transport/ring-buffer.ts';
import { loadTsClient, type TsClientApi } from '../client/fixtures/ts-client.ts';
import { type ProbeProcess, pubSubProbeClasspath } from '../support/pubsub-probe.ts';

/**
 * The smallest CnC Aeron accepts (counters values 1 MiB): about 11.5 MB instead of 48 MB; INVOKER, so the tests
 * reach the driver's parts (`countersManager`, `errorLog`, ...), which live in this thread with INVOKER only.
 */
export const SMALL_DRIVER: Partial<MediaDriverOptions> = {
  counterValuesBufferLength: 1024 * 1024,
  threadingMode: 'INVOKER',
};

/** Generous deadline of every wait. */
export const DEADLINE_MS = 20_000;

/** A driver in a fresh directory; `close` stops it and removes the directory. */
export interface TestDriver extends AsyncDisposable {
  readonly driver: MediaDriver;
  readonly aeronDir: string;
  close(): Promise<void>;
}

/** Launches a driver (INVOKER) in a fresh directory: small buffers unless `small` is false; options override. */
export async function launchTestDriver(options: Partial<MediaDriverOptions> = {}, small = true): Promise<TestDriver> {
  const aeronDir = options.aeronDir ?? makeAeronDir();
  try {
    const driver = await MediaDriver.launch({
      threadingMode: 'INVOKER',
      ...(small ? SMALL_DRIVER : {}),
      ...options,
      aeronDir,
    });
    const close = async (): Promise<void> => {
      await driver.close();
      removeDir(aeronDir);
    };
    return { driver, aeronDir, close, [Symbol.asyncDispose]: close };
  } catch (e) {
    removeDir(aeronDir);
    throw e;
  }
}

/** What a test of {@link useTsAndJavaDrivers} uses; read only inside tests (set up by `beforeAll`). */
export interface TsAndJavaDrivers {
  /** The TS driver. */
  readonly tsDriver: TestDriver;
  /** The Java media driver (the harness settings). */
  readonly javaDriver: DriverHandle;
  /** A client of the TS driver. */
  readonly aeron: Aeron;
  /** The TS client as the fixtures of test/client/fixtures/ts-client.ts drive it. */
  readonly api: TsClientApi;
  /** The Java probes the running test started: push each one here; they are killed after the test. */
  readonly probes: ProbeProcess[];
}

/** The settings of the two drivers of {@link useTsAndJavaDrivers}. */
export interface TsAndJavaDriversOptions {
  /** `launchTestDriver` options of the TS driver (INVOKER and small buffers unless overridden). */
  readonly ts?: Partial<MediaDriverOptions>;
  /** Options of the Java media driver (`JAVA_DRIVER` with the harness settings unless overridden). */
  readonly java?: DriverOptions;
}

/**
 * Registers, where it is called (inside the `describe` body), the hooks of a suite between one TS driver and the
 * Java media driver: `beforeAll` compiles the Java probe, starts both drivers side by side, connects a client named
 * `clientName` to the TS driver and loads the TS client API (120 s); `afterEach` kills the probes the test
 * started; `afterAll` closes the client and both drivers and asserts no process or directory is left.
 */
export function useTsAndJavaDrivers(clientName: string, options: TsAndJavaDriversOptions = {}): TsAndJavaDrivers {
  const probes: ProbeProcess[] = [];
  let tsDriver: TestDriver | undefined;
  let javaDriver: DriverHandle | undefined;
  let aeron: Aeron | undefined;
  let api: TsClientApi | undefined;

  beforeAll(async () => {
    pubSubProbeClasspath();
    [tsDriver, javaDriver] = await Promise.all([
      launchTestDriver(options.ts),
      startMediaDriver({ driver: JAVA_DRIVER, ...options.java }),
    ]);
    aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName });
    const loaded = await loadTsClient();
    if (!('api' in loaded)) throw new Error(loaded.missing);
    api = loaded.api;
  }, 120_000);

  afterEach(async () => {
    for (const probe of probes.splice(0)) await probe.kill();
  });

  afterAll(async () => {
    aeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) {
      throw new Error('useTsAndJavaDrivers: read before the suite started (only tests may use it)');
    }
    return value;
  };
  return {
    get tsDriver() {
      return started(tsDriver);
    },
    get javaDriver() {
      return started(javaDriver);
    },
    get aeron() {
      return started(aeron);
    },
    get api() {
      return started(api);
    },
    probes,
  };
}

/** Polls `condition` every 5 ms until true; throws after `deadlineMs`. */
export async function waitFor(what: string, condition: () => boolean, deadlineMs = DEADLINE_MS): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** One broadcast response as a test sees it. */
export interface DriverEvent {
  readonly type: number;
  /** The response's bytes (copied). */
  readonly body: AtomicBuffer;
}

/** The client's view of a driver's CnC file: map it, write commands, collect responses. */
export class CncView implements Disposable {
  readonly mapping: MappedFile;
  readonly regions: CncRegions;
  readonly ring: ManyToOneRingBuffer;
  readonly counters: CountersReader;
  readonly events: DriverEvent[] = [];
  readonly #receiver: CopyBroadcastReceiver;
  readonly #command = new AtomicBuffer(new ArrayBuffer(1024));

  constructor(aeronDir: string) {
    this.mapping = MappedFile.open(join(aeronDir, CNC_FILE));
    const buffer = new AtomicBuffer(this.mapping.buffer);
    this.regions = cncRegions(buffer, validateCnc(buffer));
    this.ring = new ManyToOneRingBuffer(this.regions.toDriver);
    this.counters = new CountersReader(this.regions.countersMetadata, this.regions.countersValues);
    this.#receiver = new CopyBroadcastReceiver(new BroadcastReceiver(this.regions.toClients));
  }

  /** Moves every broadcast response received so far into `events`. */
  poll(): void {
    while (
      this.#receiver.receive((type, buffer, index, length) => {
        const body = new AtomicBuffer(new ArrayBuffer(length));
        body.putBytes(0, buffer, index, length);
        this.events.push({ type, body });
      }) > 0
    ) {
      // drain
    }
  }

  /** Polls until an event matches; returns it. */
  async awaitEvent(what: string, match: (event: DriverEvent) => boolean): Promise<DriverEvent> {
    let found: DriverEvent | undefined;
    await waitFor(what, () => {
      this.poll();
      found = this.events.find(match);
      return found !== undefined;
    });
    return found!;
  }

  /** Writes a command: the 16-byte prefix then `body` bytes. */
  send(msgTypeId: number, clientId: number, correlationId: number, body: (b: AtomicBuffer) => number = () => 0): void {
    const command = this.#command;
    command.putInt64(0, clientId);
    command.putInt64(8, correlationId);
    const length = 16 + body(command.slice(16, command.capacity - 16));
    if (!this.ring.write(msgTypeId, command, 0, length)) throw new Error('to-driver ring buffer full');
  }

  /** Writes ADD_COUNTER (Java client layout). */
  addCounter(clientId: number, correlationId: number, typeId: number, label: string, key?: Uint8Array): void {
    this.send(0x09, clientId, correlationId, (b) => {
      const keyLength = key?.length ?? 0;
      b.putInt32(0, typeId);
      b.putInt32(4, keyLength);
      if (key !== undefined) b.putBytes(8, key, 0, keyLength);
      const labelOffset = 8 + Math.ceil(keyLength / 4) * 4;
      return labelOffset + b.putStringAscii(labelOffset, label);
    });
  }

  /** Writes ADD_STATIC_COUNTER (Java client layout: the registration id after the prefix). */
  addStaticCounter(
    clientId: number,
    correlationId: number,
    registrationId: number,
    typeId: number,
    label: string,
    key?: Uint8Array,
  ): void {
    this.send(0x0f, clientId, correlationId, (b) => {
      const keyLength = key?.length ?? 0;
      b.putInt64(0, registrationId);
      b.putInt32(8, typeId);
      b.putInt32(12, keyLength);
      if (key !== undefined) b.putBytes(16, key, 0, keyLength);
      const labelOffset = 16 + Math.ceil(keyLength / 4) * 4;
      return labelOffset + b.putStringAscii(labelOffset, label);
    });
  }

  /** Writes REMOVE_COUNTER. */
  removeCounter(clientId: number, correlationId: number, registrationId: number): void {
    this.send(0x0a, clientId, correlationId, (b) => {
      b.putInt64(0, registrationId);
      return 8;
    });
  }

  [Symbol.dispose](): void {
    this.mapping.close();
  }
}

/** A driver (INVOKER, fresh directory) and a client's view of its CnC file. */
export interface DriverWithView {
  readonly driver: TestDriver;
  readonly view: CncView;
}

/**
 * The setup of the raw-command tests: registers an `afterEach` (in the calling test file) that unmaps every view
 * and closes every driver opened through the returned function, which launches a driver (`launchTestDriver`
 * options) and maps its CnC file.
 */
export function useDriverWithView(): (options?: Partial<MediaDriverOptions>) => Promise<DriverWithView> {
  const opened: DriverWithView[] = [];
  afterEach(async () => {
    for (const { driver, view } of opened.splice(0)) {
      view[Symbol.dispose]();
      await driver.close();
    }
  });
  return async (options = {}) => {
    const driver = await launchTestDriver(options);
    const opening = { driver, view: new CncView(driver.aeronDir) };
    opened.push(opening);
    return opening;
  };
}

/** Matches a response of `type` whose first field (correlation or registration id) is `correlationId`. */
export function isResponse(type: number, correlationId: number): (event: DriverEvent) => boolean {
  return (event) => event.type === type && event.body.getInt64(0) === correlationId;
}

/** ON_COUNTER_READY / ON_UNAVAILABLE_COUNTER: correlation (registration) id and counter id. */
export function counterUpdate(event: DriverEvent): { readonly correlationId: number; readonly counterId: number } {
  return { correlationId: event.body.getInt64(0), counterId: event.body.getInt32(8) };
}

/** ON_ERROR: offending correlation id, error code, message. */
export function errorResponse(event: DriverEvent): {
  readonly correlationId: number;
  readonly errorCode: number;
  readonly message: string;
} {
  return {
    correlationId: event.body.getInt64(0),
    errorCode: event.body.getInt32(8),
    message: event.body.getStringAscii(12),
  };
}

/**
 * A driver system counter's value by label (`'NAKs sent'`, …), read through a client's view of the CnC counters
 * (works for a driver in any threading mode or process); -1 when there is none.
 */
export function systemCounter(reader: Pick<CountersReader, 'forEach' | 'getCounterValue'>, label: string): number {
  let value = -1;
  reader.forEach((counterId, typeId, _key, counterLabel) => {
    if (typeId === DRIVER_SYSTEM_COUNTER_TYPE_ID && counterLabel === label) value = reader.getCounterValue(counterId);
  });
  return value;
}

/** Runs `ip <args>` and returns its stdout; throws with its stderr on failure. */
export function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Null when this process may create network namespaces (root or CAP_NET_ADMIN), else why not. */
export function netnsUnavailable(): string | null {
  const probe = `aeronts-nsprobe-${process.pid}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'delete', probe);
    return null;
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    return `network namespaces are not available (ip netns add needs root or CAP_NET_ADMIN): ${stderr.trim()}`;
  }
}

/**
 * Two "hosts": network namespaces joined by a veth pair, `<subnet>.1` in the first and `<subnet>.2` in the second
 * (a /24), loopback up, multicast (224.0.0.0/4) routed out of the veth. `delete()` removes both (the veth goes
 * with them); creating deletes leftovers of the same names first.
 */
export interface VethNamespaces {
  /** Namespace names, first and second. */
  readonly names: readonly [string, string];
  /** Their veth addresses (`<subnet>.1`, `<subnet>.2`). */
  readonly addresses: readonly [string, string];
  delete(): void;
}

/**
 * Creates the namespaces of {@link VethNamespaces}; `tag` makes the names unique per test file (with the pid).
 * @param subnet the first three octets, e.g. `10.233.0`.
 */
export function createVethNamespaces(tag: string, subnet: string): VethNamespaces {
  const id = `${process.pid % 100_000}`;
  const names = [`aeronts-${tag}-a-${id}`, `aeronts-${tag}-b-${id}`] as const;
  const veths = [`v${tag}a${id}`.slice(0, 15), `v${tag}b${id}`.slice(0, 15)] as const;
  const addresses = [`${subnet}.1`, `${subnet}.2`] as const;
  const remove = (): void => {
    for (const ns of names) {
      try {
        ip('netns', 'delete', ns);
      } catch {
        // not created
      }
    }
  };
  remove();
  try {
    ip('netns', 'add', names[0]);
    ip('netns', 'add', names[1]);
    ip('link', 'add', veths[0], 'type', 'veth', 'peer', 'name', veths[1]);
    for (let i = 0; i < 2; i++) {
      ip('link', 'set', veths[i]!, 'netns', names[i]!);
      ip('-n', names[i]!, 'addr', 'add', `${addresses[i]}/24`, 'dev', veths[i]!);
      ip('-n', names[i]!, 'link', 'set', 'lo', 'up');
      ip('-n', names[i]!, 'link', 'set', veths[i]!, 'up');
      ip('-n', names[i]!, 'route', 'add', '224.0.0.0/4', 'dev', veths[i]!);
    }
  } catch (e) {
    remove();
    throw e;
  }
  return { names, addresses, delete: remove };
}
