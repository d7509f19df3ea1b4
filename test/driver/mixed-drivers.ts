/**
 * The setup the multi-destination interop suites share (`udp-mdc-java.test.ts`, `udp-mds-java.test.ts`): two TS
 * media drivers, T1 (publishers) and T2 (subscribers), both SHARED (their own worker threads), one Java media driver
 * (the harness settings), a TS client on each TS driver, and the Java probes a test starts, killed after it.
 *
 * ```
 *  publisherClient  -> T1 (SHARED) ─┐
 *  subscriberClient -> T2 (SHARED) ─┼─ UDP on loopback
 *  Java probes      -> Java driver ─┘
 * ```
 *
 * `useMixedDrivers(name)` registers the suite's hooks where it is called (inside the `describe` body): `beforeAll`
 * starts everything (the Java probe compiled first), `afterEach` kills the probes of the test, `afterAll` closes
 * the clients and drivers and asserts no process or directory is left.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { type ProbeProcess, pubSubProbeClasspath } from '../support/pubsub-probe.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

/** Deadline of the suite's start: two TS drivers, a JVM and the probe's compilation. */
const SETUP_DEADLINE_MS = 120_000;

/** What a test of the suite uses; read only inside tests (set up by `beforeAll`). */
export interface MixedDrivers {
  /** TS driver T1, the publishers' side. */
  readonly t1: TestDriver;
  /** TS driver T2, the subscribers' side. */
  readonly t2: TestDriver;
  readonly javaDriver: DriverHandle;
  /** A client of T1 (`<name>-pub`). */
  readonly publisherClient: Aeron;
  /** A client of T2 (`<name>-sub`). */
  readonly subscriberClient: Aeron;
  /** The Java probes the running test started: push each one here; they are killed after the test. */
  readonly probes: ProbeProcess[];
}

interface Started {
  readonly t1: TestDriver;
  readonly t2: TestDriver;
  readonly javaDriver: DriverHandle;
  readonly publisherClient: Aeron;
  readonly subscriberClient: Aeron;
}

/** Registers the hooks of {@link MixedDrivers} in the calling suite; `name` prefixes the clients' names. */
export function useMixedDrivers(name: string): MixedDrivers {
  const probes: ProbeProcess[] = [];
  let t1: TestDriver | undefined;
  let t2: TestDriver | undefined;
  let javaDriver: DriverHandle | undefined;
  let publisherClient: Aeron | undefined;
  let subscriberClient: Aeron | undefined;

  beforeAll(async () => {
    pubSubProbeClasspath();
    t1 = await launchTestDriver({ threadingMode: 'SHARED' });
    t2 = await launchTestDriver({ threadingMode: 'SHARED' });
    javaDriver = await startMediaDriver({ driver: JAVA_DRIVER });
    publisherClient = await Aeron.connect({ aeronDir: t1.aeronDir, clientName: `${name}-pub` });
    subscriberClient = await Aeron.connect({ aeronDir: t2.aeronDir, clientName: `${name}-sub` });
  }, SETUP_DEADLINE_MS);

  afterEach(async () => {
    for (const probe of probes.splice(0)) await probe.kill();
  });

  afterAll(async () => {
    publisherClient?.close();
    subscriberClient?.close();
    await t1?.close();
    await t2?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  const started = (): Started => {
    if (
      t1 === undefined ||
      t2 === undefined ||
      javaDriver === undefined ||
      publisherClient === undefined ||
      subscriberClient === undefined
    ) {
      throw new Error('useMixedDrivers: read before the suite started (only tests may use it)');
    }
    return { t1, t2, javaDriver, publisherClient, subscriberClient };
  };
  return {
    get t1() {
      return started().t1;
    },
    get t2() {
      return started().t2;
    },
    get javaDriver() {
      return started().javaDriver;
    },
    get publisherClient() {
      return started().publisherClient;
    },
    get subscriberClient() {
      return started().subscriberClient;
    },
    probes,
  };
}
