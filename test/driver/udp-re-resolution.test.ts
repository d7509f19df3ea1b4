/**
 * Name re-resolution in the TS driver (Java 1.51.0 `Sender` / `Receiver` re-resolution checks, `DriverConductor.
 * onReResolveEndpoint` / `onReResolveControl`), over loopback, where names move between 127.0.0.x addresses of an
 * injected name resolver whose answers the test changes (INVOKER driver, the `nameResolver` option):
 *
 * ```
 *  manual MDC destination endpoint=<name>:<port>, first 127.0.0.2 (nobody), then 127.0.0.1 (a subscription)
 *     -> silent for DESTINATION_TIMEOUT (5 s): re-resolved, the destination moves, the publication connects
 *  manual MDC destination whose name does not resolve at ADD_DESTINATION -> kept unresolved (Java), removable by
 *     the same name, sent to once a re-resolution 5 s later finds it
 *  unicast publication endpoint=<name>:<port>, the same move -> the socket is connected to the new address
 *  subscription control=<name>:<port> (dynamic MDC), first 127.0.0.3 (nobody), then a dynamic MDC publication's
 *     control on 127.0.0.2 -> silent for 5 s: re-resolved, the periodic SETUP elicitation goes there, an image
 *  a name that stops resolving -> a WARN entry `could not re-resolve: endpoint=…` / `control=…` in the error log,
 *     the driver goes on (the endpoint name resolving again later connects)
 *  (Java peer) the manual MDC case with a Java subscriber on the Java media driver; the `unresolved - …` refusals of
 *     a name that does not resolve, timed resolver named as the Java driver names its own
 * ```
 *
 * Each case sends messages once connected and checks every one in order; RESOLUTION_CHANGES moves by one per move.
 * Re-resolutions are slow in the test resolver (2 ms) so NAME_RESOLVER_MAX_TIME shows they are timed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import type { RegistrationError } from '../../src/client/errors.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import { InetAddress } from '../../src/driver/media/inet-socket-address.ts';
import { DESTINATION_TIMEOUT_NS } from '../../src/driver/media/multi-snd-destination.ts';
import { DefaultNameResolver, type NameResolver } from '../../src/driver/media/name-resolver.ts';
import { DESTINATION_ADDRESS_TIMEOUT_NS } from '../../src/driver/media/receive-channel-endpoint.ts';
import { resolveMediaDriverContext } from '../../src/driver/media-driver-context.ts';
import type { SystemCounterName } from '../../src/driver/system-counters.ts';
import { FragmentAssembler } from '../../src/logbuffer/fragment-assembler.ts';
import { readAllErrors } from '../../src/transport/distinct-error-log-reader.ts';
import { awaitConnected, publishMessages } from '../client/fixtures/ts-client.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { crcHex, expectedChecksum, MessageSizes, MessageVerifier } from '../support/message-pattern.ts';
import { type ProbeProcess, startJavaSubscriber } from '../support/pubsub-probe.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

/** Generous deadline of each wait for a move (the move itself is due after 5 s + up to 1 s). */
const MOVE_DEADLINE_MS = 30_000;
const CASE_TIMEOUT_MS = 90_000;
const COUNT = 2_000;
const SIZES = 'random:61:0:300';
/** A re-resolution of the test resolver takes this long (ms), so NAME_RESOLVER_MAX_TIME must reach it. */
const RE_RESOLUTION_DELAY_MS = 2;
const DESTINATION_TIMEOUT_MS = DESTINATION_TIMEOUT_NS / 1e6;
const DESTINATION_ADDRESS_TIMEOUT_MS = DESTINATION_ADDRESS_TIMEOUT_NS / 1e6;

/** Answers names from a table the test changes (`null`: does not resolve); others as the default resolver. */
class TableResolver implements NameResolver {
  readonly #answers = new Map<string, string | null>();
  readonly #sleeper = new Int32Array(new SharedArrayBuffer(4));
  /** Every re-resolution asked (`isReResolution` true), by name. */
  readonly reResolutions: string[] = [];

  set(name: string, host: string | null): void {
    this.#answers.set(name, host);
  }

  resolve(name: string, uriParamName: string, isReResolution: boolean): InetAddress | null {
    if (isReResolution) {
      this.reResolutions.push(name);
      Atomics.wait(this.#sleeper, 0, 0, RE_RESOLUTION_DELAY_MS);
    }
    const host = this.#answers.get(name);
    if (host === undefined) return DefaultNameResolver.INSTANCE.resolve(name, uriParamName, isReResolution);
    return host === null ? null : InetAddress.parseNumeric(host)!.withHostname(name);
  }

  name(): string {
    return 'TableResolver';
  }
}

/** Sends COUNT messages of `seed` once `publication` is connected and checks each arrives once, in order, at `subscription`. */
async function expectMessagesFlow(publication: Publication, subscription: Subscription, seed: number): Promise<void> {
  const sizes = new MessageSizes(SIZES);
  const verifier = new MessageVerifier({ sizes, seed, count: COUNT });
  const scratch = new Uint8Array(Math.max(8, sizes.max));
  const assembler = new FragmentAssembler((buffer, offset, length) => {
    buffer.getBytes(offset, scratch, 0, length);
    verifier.onMessage(scratch, 0, length);
  });
  const deadlineMs = Date.now() + 60_000;
  const polling = (async () => {
    while (!verifier.done && Date.now() < deadlineMs) {
      if (subscription.poll(assembler.onFragment, 256) === 0) await sleep(1);
      else await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const published = await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs });
  await polling;
  expect(verifier.errors).toEqual([]);
  expect(verifier.received).toBe(COUNT);
  const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
  expect(crcHex(published.checksum)).toBe(expected);
  expect(crcHex(verifier.crcs[0]!.value())).toBe(expected);
}

/**
 * Adds destination `endpoint=<name>:<port>` to the manual MDC `publication` while `name` resolves to 127.0.0.2
 * (nobody there: still unconnected 1.5 s later), then moves `name` to 127.0.0.1, where a subscriber listens on
 * `port`, and waits until the publication connects.
 */
async function addDestinationThatMoves(
  resolver: TableResolver,
  publication: Publication,
  name: string,
  port: number,
): Promise<void> {
  resolver.set(name, '127.0.0.2');
  await publication.addDestination(`aeron:udp?endpoint=${name}:${port}`);
  await sleep(1_500);
  expect(publication.isConnected()).toBe(false);
  resolver.set(name, '127.0.0.1');
  await awaitCondition('the publication connected', () => publication.isConnected(), MOVE_DEADLINE_MS);
}

describe('re-resolution options', () => {
  it('has Java defaults; a name resolver cannot cross to the SHARED worker', () => {
    const context = resolveMediaDriverContext({ aeronDir: '/tmp/unused', threadingMode: 'INVOKER' });
    expect(context.reResolutionCheckIntervalNs).toBe(1_000_000_000);
    expect(context.nameResolver).toBe(DefaultNameResolver.INSTANCE);
    expect(() =>
      resolveMediaDriverContext({
        aeronDir: '/tmp/unused',
        threadingMode: 'SHARED',
        nameResolver: new TableResolver(),
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CONFIGURATION' }));
  });
});

describe('name re-resolution on the TS driver', () => {
  const resolver = new TableResolver();
  let tsDriver: TestDriver;
  let aeron: Aeron;

  const counter = (name: SystemCounterName): number => tsDriver.driver.systemCounters.get(name).get();
  const warnings = (): string[] =>
    readAllErrors(tsDriver.driver.errorLog.buffer)
      .map((e) => e.encodedException)
      .filter((text) => text.includes('could not re-resolve'));

  beforeAll(async () => {
    tsDriver = await launchTestDriver({ nameResolver: resolver });
    aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 're-resolution' });
  }, 60_000);

  afterAll(async () => {
    aeron?.close();
    await tsDriver?.close();
    assertNoLeftovers();
  });

  it(
    'moves a manual MDC destination whose name now resolves elsewhere, after 5 s without status messages',
    async () => {
      const port = await freeUdpPort();
      const changesBefore = counter('RESOLUTION_CHANGES');
      const subscription = await aeron.addSubscription(`aeron:udp?endpoint=127.0.0.1:${port}`, 8101);
      const publication = await aeron.addPublication('aeron:udp?control-mode=manual|term-length=64k', 8101);
      try {
        const added = Date.now();
        await addDestinationThatMoves(resolver, publication, 'mdc-receiver', port);
        // the destination is re-resolved only once silent for DESTINATION_TIMEOUT since it was added
        expect(Date.now() - added).toBeGreaterThanOrEqual(DESTINATION_TIMEOUT_MS - 50);
        expect(resolver.reResolutions).toContain('mdc-receiver');
        await expectMessagesFlow(publication, subscription, 0x8101);
        expect(counter('RESOLUTION_CHANGES')).toBe(changesBefore + 1);
        expect(counter('NAME_RESOLVER_MAX_TIME')).toBeGreaterThanOrEqual(RE_RESOLUTION_DELAY_MS * 1e6);
      } finally {
        publication.close();
        subscription.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'keeps a manual MDC destination whose name does not resolve yet, and sends to it once a re-resolution finds it',
    async () => {
      const port = await freeUdpPort();
      const changesBefore = counter('RESOLUTION_CHANGES');
      const subscription = await aeron.addSubscription(`aeron:udp?endpoint=127.0.0.1:${port}`, 8106);
      const publication = await aeron.addPublication('aeron:udp?control-mode=manual|term-length=64k', 8106);
      try {
        // Java adds it unresolved (InetSocketAddress.createUnresolved); nothing is sent to it meanwhile
        resolver.set('late-receiver', null);
        resolver.set('removed-receiver', null);
        await publication.addDestination(`aeron:udp?endpoint=removed-receiver:${port}`);
        await publication.removeDestination(`aeron:udp?endpoint=removed-receiver:${port}`); // the same unresolved one
        const added = Date.now();
        await publication.addDestination(`aeron:udp?endpoint=late-receiver:${port}`);
        await sleep(1_500);
        expect(publication.isConnected()).toBe(false);
        resolver.set('late-receiver', '127.0.0.1');
        await awaitCondition('the publication connected', () => publication.isConnected(), MOVE_DEADLINE_MS);
        expect(Date.now() - added).toBeGreaterThanOrEqual(DESTINATION_TIMEOUT_MS - 50);
        await expectMessagesFlow(publication, subscription, 0x8106);
        expect(counter('RESOLUTION_CHANGES')).toBe(changesBefore + 1); // the removed one was never re-resolved
        expect(resolver.reResolutions).not.toContain('removed-receiver');
      } finally {
        publication.close();
        subscription.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'connects a unicast publication to the new address of its endpoint name',
    async () => {
      const port = await freeUdpPort();
      resolver.set('unicast-receiver', '127.0.0.2');
      const changesBefore = counter('RESOLUTION_CHANGES');
      const subscription = await aeron.addSubscription(`aeron:udp?endpoint=127.0.0.1:${port}`, 8102);
      const publication = await aeron.addPublication(
        `aeron:udp?endpoint=unicast-receiver:${port}|term-length=64k`,
        8102,
      );
      try {
        await sleep(1_500);
        expect(publication.isConnected()).toBe(false);
        resolver.set('unicast-receiver', '127.0.0.1');
        await awaitCondition('the publication connected', () => publication.isConnected(), MOVE_DEADLINE_MS);
        expect(resolver.reResolutions).toContain('unicast-receiver');
        await expectMessagesFlow(publication, subscription, 0x8102);
        expect(counter('RESOLUTION_CHANGES')).toBe(changesBefore + 1);
        expect(publication.channelStatus()).toBe(1); // ACTIVE
      } finally {
        publication.close();
        subscription.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'elicits SETUPs from the new address of a subscription control name, after 5 s without a frame',
    async () => {
      const controlPort = await freeUdpPort();
      const port = await freeUdpPort();
      resolver.set('mdc-control', '127.0.0.3');
      const changesBefore = counter('RESOLUTION_CHANGES');
      const publication = await aeron.addPublication(
        `aeron:udp?control=127.0.0.2:${controlPort}|control-mode=dynamic|term-length=64k`,
        8103,
      );
      const added = Date.now();
      const subscription = await aeron.addSubscription(
        `aeron:udp?endpoint=127.0.0.1:${port}|control=mdc-control:${controlPort}`,
        8103,
      );
      try {
        await sleep(1_500);
        expect(subscription.imageCount).toBe(0); // its SETUP-eliciting status messages go to 127.0.0.3
        resolver.set('mdc-control', '127.0.0.2');
        await awaitCondition('the image', () => subscription.imageCount === 1, MOVE_DEADLINE_MS);
        expect(Date.now() - added).toBeGreaterThanOrEqual(DESTINATION_ADDRESS_TIMEOUT_MS - 50);
        expect(resolver.reResolutions).toContain('mdc-control');
        await awaitConnected(publication, Date.now() + MOVE_DEADLINE_MS);
        await expectMessagesFlow(publication, subscription, 0x8103);
        expect(counter('RESOLUTION_CHANGES')).toBe(changesBefore + 1);
      } finally {
        subscription.close();
        publication.close();
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'records a name that no longer resolves as a WARN entry and goes on',
    async () => {
      const port = await freeUdpPort();
      const controlPort = await freeUdpPort();
      const subscriptionPort = await freeUdpPort();
      resolver.set('gone-endpoint', '127.0.0.2');
      resolver.set('gone-control', '127.0.0.3');
      const errorsBefore = counter('ERRORS');
      const subscription = await aeron.addSubscription(`aeron:udp?endpoint=127.0.0.1:${port}`, 8104);
      const publication = await aeron.addPublication(`aeron:udp?endpoint=gone-endpoint:${port}|term-length=64k`, 8104);
      const controlled = await aeron.addSubscription(
        `aeron:udp?endpoint=127.0.0.1:${subscriptionPort}|control=gone-control:${controlPort}`,
        8105,
      );
      try {
        resolver.set('gone-endpoint', null);
        resolver.set('gone-control', null);
        const endpointWarning = `WARN - could not re-resolve: endpoint=gone-endpoint:${port}`;
        const controlWarning = `WARN - could not re-resolve: control=gone-control:${controlPort}`;
        await awaitCondition(
          'both warnings',
          () =>
            warnings().some((w) => w.includes(endpointWarning)) && warnings().some((w) => w.includes(controlWarning)),
          MOVE_DEADLINE_MS,
          { detail: () => JSON.stringify(warnings()) },
        );
        expect(counter('ERRORS')).toBeGreaterThanOrEqual(errorsBefore + 2);
        expect(publication.isConnected()).toBe(false);
        // the name resolving again (to the subscription) connects the publication
        resolver.set('gone-endpoint', '127.0.0.1');
        await awaitCondition('the publication connected', () => publication.isConnected(), MOVE_DEADLINE_MS);
        await expectMessagesFlow(publication, subscription, 0x8104);
      } finally {
        controlled.close();
        publication.close();
        subscription.close();
      }
    },
    CASE_TIMEOUT_MS,
  );
});

describeInterop('name re-resolution: a TS manual MDC publication to a Java subscriber', () => {
  const resolver = new TableResolver();
  let tsDriver: TestDriver;
  let javaDriver: Awaited<ReturnType<typeof startMediaDriver>>;
  let aeron: Aeron;
  const probes: ProbeProcess[] = [];

  beforeAll(async () => {
    [tsDriver, javaDriver] = await Promise.all([
      launchTestDriver({ nameResolver: resolver }),
      startMediaDriver({ driver: JAVA_DRIVER }),
    ]);
    aeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 're-resolution-java' });
  }, 120_000);

  afterAll(async () => {
    for (const probe of probes) await probe.kill();
    aeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  it(
    'moves the destination to the Java subscriber once its name resolves there',
    async () => {
      const port = await freeUdpPort();
      const sizes = new MessageSizes(SIZES);
      const seed = 0x8106;
      const probe = await startJavaSubscriber({
        aeronDir: javaDriver.aeronDir,
        channel: `aeron:udp?endpoint=127.0.0.1:${port}`,
        streamId: 8106,
        sizes,
        seed,
        count: COUNT,
        untilEos: true,
        timeoutMs: CASE_TIMEOUT_MS - 10_000,
      });
      probes.push(probe);
      const publication = await aeron.addPublication('aeron:udp?control-mode=manual|term-length=64k', 8106);
      let checksum: number;
      try {
        await addDestinationThatMoves(resolver, publication, 'java-receiver', port);
        const deadlineMs = Date.now() + 60_000;
        checksum = (await publishMessages(publication, { count: COUNT, sizes, seed, deadlineMs })).checksum;
      } finally {
        publication.close();
      }
      const expected = crcHex(expectedChecksum(sizes, seed, COUNT));
      expect(crcHex(checksum)).toBe(expected);
      expect(await probe.received(60_000)).toMatchObject({ count: COUNT, checksum: expected, errors: 0 });
      expect(tsDriver.driver.systemCounters.get('RESOLUTION_CHANGES').get()).toBe(1);
    },
    CASE_TIMEOUT_MS,
  );

  it("refuses a name that does not resolve with the Java driver's texts (the timed resolver named as Java)", async () => {
    const refusal = async (client: Aeron, channel: string): Promise<string> => {
      try {
        await client.addSubscription(channel, 8107);
      } catch (e) {
        return (e as RegistrationError).driverMessage;
      }
      throw new Error(`not refused: ${channel}`);
    };
    const port = await freeUdpPort();
    const channels = [
      `aeron:udp?endpoint=nohost.invalid:${port}`,
      `aeron:udp?endpoint=127.0.0.1:${port}|control=nohost.invalid:${port}`,
    ];
    await using defaultResolverDriver = await launchTestDriver();
    const tsClient = await Aeron.connect({ aeronDir: defaultResolverDriver.aeronDir });
    const javaClient = await Aeron.connect({ aeronDir: javaDriver.aeronDir });
    try {
      for (const channel of channels) {
        const java = await refusal(javaClient, channel);
        expect(java).toContain('name-resolver=');
        expect(await refusal(tsClient, channel)).toBe(java);
      }
    } finally {
      tsClient.close();
      javaClient.close();
    }
  });
});
