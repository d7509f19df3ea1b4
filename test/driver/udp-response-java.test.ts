/**
 * UDP response channels (`control-mode=response`, Aeron 1.51.0) between the TypeScript media driver and the Java
 * media driver over loopback, as Aeron's ResponseChannelsTest sets them up:
 *
 * ```
 *  requester  response subscription  aeron:udp?control-mode=response|control=<responder control>
 *             request publication    aeron:udp?endpoint=<responder>|response-correlation-id=<that subscription>
 *  responder  request subscription   aeron:udp?endpoint=<responder>
 *             response publication   aeron:udp?control-mode=response|control=<responder control>|
 *                                        response-correlation-id=<the request image's correlation id>
 * ```
 *
 * - two Java `ResponseClient`s (test/driver/java/ResponseProbe.java) on the Java driver, one TS responder on the TS
 *   driver, both clients on the SAME response channel: each gets back exactly its own messages, in order;
 * - a TS requester on the TS driver, Java's `ResponseServer` (with its prototype response publication) on the Java
 *   driver;
 * - on the TS driver alone: a second response subscription on the same channel stays unconnected (its session is
 *   not the response publication's), and a response publication added twice is shared;
 * - refusals: the same bad requests to both drivers get the same error code and text (numbers masked), clashing
 *   subscriptions on one endpoint among them (named by port, or by tag only).
 *
 * 64 KiB terms: 2,000 messages of 4-1,003 bytes each way rotate the terms 15 times. Ports come from `freeUdpPort`.
 */
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, JAVA_DRIVER, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, type JavaResult, runJava } from '../../harness/java.ts';
import { freeUdpPort } from '../../harness/ports.ts';
import { assertNoLeftovers } from '../../harness/processes.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { RegistrationError } from '../../src/client/errors.ts';
import type { ExclusivePublication } from '../../src/client/exclusive-publication.ts';
import type { Image } from '../../src/client/image.ts';
import type { Publication } from '../../src/client/publication.ts';
import type { Subscription } from '../../src/client/subscription.ts';
import type { ReadableBuffer } from '../../src/logbuffer/log-buffer-memory.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { awaitCondition } from '../support/wait.ts';
import { launchTestDriver, type TestDriver } from './support.ts';

const COUNT = 2_000;
const PROBE_DEADLINE_MS = 120_000;
const TERM = 'term-length=64k';

let nextStreamId = 7601;
const streamId = (): number => nextStreamId++;
const localhost = async (): Promise<string> => `127.0.0.1:${await freeUdpPort()}`;

/** Length of message `i` (ResponseProbe's pattern): int32 i, then (i * 37) % 1000 bytes of (i + j) & 0xff. */
const lengthOf = (i: number): number => 4 + ((i * 37) % 1000);

function message(i: number): Uint8Array {
  const bytes = new Uint8Array(lengthOf(i));
  new DataView(bytes.buffer).setInt32(0, i, true);
  for (let j = 4; j < bytes.length; j++) bytes[j] = (i + j) & 0xff;
  return bytes;
}

function isMessage(buffer: ReadableBuffer, offset: number, length: number, i: number): boolean {
  if (length !== lengthOf(i) || buffer.getInt32(offset) !== i) return false;
  for (let j = 4; j < length; j++) if ((buffer.getInt8(offset + j) & 0xff) !== ((i + j) & 0xff)) return false;
  return true;
}

/** A responder as Java's ResponseServer: one response publication per request image, echoing every request. */
class EchoResponder {
  readonly sessions = new Map<number, { publication: Publication | null; backlog: Uint8Array[] }>();
  echoed = 0;
  #subscription: Subscription | null = null;
  #prototype: ExclusivePublication | null = null;

  constructor(
    readonly aeron: Aeron,
    readonly requestEndpoint: string,
    readonly requestStreamId: number,
    readonly responseControl: string,
    readonly responseStreamId: number,
  ) {}

  responseChannel(correlationId: number | 'prototype'): string {
    return `aeron:udp?control-mode=response|control=${this.responseControl}|response-correlation-id=${correlationId}|${TERM}`;
  }

  async start(withPrototype: boolean): Promise<void> {
    this.#subscription = await this.aeron.addSubscription(
      `aeron:udp?endpoint=${this.requestEndpoint}`,
      this.requestStreamId,
    );
    if (withPrototype) {
      this.#prototype = await this.aeron.addExclusivePublication(
        this.responseChannel('prototype'),
        this.responseStreamId,
      );
    }
  }

  /** Starts a session per new image, echoes what arrived; returns the work done. */
  poll(): number {
    const subscription = this.#subscription!;
    let work = 0;
    for (const image of subscription.images) {
      let session = this.sessions.get(image.correlationId);
      if (session === undefined) {
        const created: { publication: Publication | null; backlog: Uint8Array[] } = { publication: null, backlog: [] };
        session = created;
        this.sessions.set(image.correlationId, created);
        void this.aeron
          .addPublication(this.responseChannel(image.correlationId), this.responseStreamId)
          .then((publication) => {
            created.publication = publication;
          });
      }
      const backlog = session.backlog;
      work += image.poll((buffer, offset, length) => {
        const copy = new Uint8Array(length);
        buffer.getBytes(offset, copy, 0, length);
        backlog.push(copy);
      }, 10);
      const publication = session.publication;
      while (publication !== null && backlog.length > 0 && publication.offer(backlog[0]!) > 0) {
        backlog.shift();
        this.echoed++;
        work++;
      }
    }
    return work;
  }

  close(): void {
    for (const session of this.sessions.values()) session.publication?.close();
    this.#prototype?.close();
    this.#subscription?.close();
  }
}

/** A requester on `aeron`: the response subscription, then the request publication naming it. */
async function addRequester(
  aeron: Aeron,
  requestEndpoint: string,
  requestStreamId: number,
  responseControl: string,
  responseStreamId: number,
): Promise<{ subscription: Subscription; publication: ExclusivePublication }> {
  const subscription = await aeron.addSubscription(
    `aeron:udp?control-mode=response|control=${responseControl}`,
    responseStreamId,
  );
  const publication = await aeron.addExclusivePublication(
    `aeron:udp?endpoint=${requestEndpoint}|${TERM}|response-correlation-id=${subscription.registrationId}`,
    requestStreamId,
  );
  return { subscription, publication };
}

/**
 * Sends COUNT messages on `publication` (at most 64 unanswered) and checks every echo on `subscription`'s image,
 * calling `other` (the responder's poll) in the same loop; returns the number of bad echoes.
 */
async function exchange(
  publication: ExclusivePublication,
  subscription: Subscription,
  other: () => number,
  deadlineMs: number,
): Promise<number> {
  let sent = 0;
  let received = 0;
  let errors = 0;
  const handler = (buffer: ReadableBuffer, offset: number, length: number): void => {
    if (!isMessage(buffer, offset, length, received)) errors++;
    received++;
  };
  while (received < COUNT) {
    let work = other() + subscription.poll(handler, 10);
    if (sent < COUNT && sent - received < 64 && publication.offer(message(sent)) > 0) {
      sent++;
      work++;
    }
    if (Date.now() > deadlineMs) throw new Error(`exchange timed out: sent=${sent} received=${received}`);
    await yieldToLoop();
    if (work === 0) await new Promise((r) => setTimeout(r, 1));
  }
  return errors;
}

describeInterop('UDP response channels between the TS driver and the Java driver', () => {
  let tsDriver: TestDriver;
  let javaDriver: DriverHandle;
  let tsAeron: Aeron;
  let javaAeron: Aeron;
  let classes: string;

  beforeAll(async () => {
    classes = compileJava({
      sources: [join(import.meta.dirname, 'java', 'ResponseProbe.java')],
      classpath: [aeronJarPath()],
    });
    [tsDriver, javaDriver] = await Promise.all([launchTestDriver(), startMediaDriver({ driver: JAVA_DRIVER })]);
    tsAeron = await Aeron.connect({ aeronDir: tsDriver.aeronDir, clientName: 'udp-response-ts' });
    javaAeron = await Aeron.connect({ aeronDir: javaDriver.aeronDir, clientName: 'udp-response-java' });
  }, 120_000);

  afterAll(async () => {
    tsAeron?.close();
    javaAeron?.close();
    await tsDriver?.close();
    await javaDriver?.stop();
    assertNoLeftovers();
  });

  function probe(
    mode: 'client' | 'server',
    aeronDir: string,
    requestEndpoint: string,
    requestStreamId: number,
    responseControl: string,
    responseStreamId: number,
    count: number,
  ): Promise<JavaResult> {
    return runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ResponseProbe',
      args: [
        mode,
        aeronDir,
        requestEndpoint,
        String(requestStreamId),
        responseControl,
        String(responseStreamId),
        String(count),
        String(PROBE_DEADLINE_MS - 20_000),
      ],
      jvmArgs: AERON_JVM_FLAGS,
      timeoutMs: PROBE_DEADLINE_MS,
    });
  }

  it(
    `two Java ResponseClients on the Java driver, one TS responder on the TS driver, one response channel: ${COUNT} echoes each, each its own`,
    async () => {
      const [requestEndpoint, responseControl] = [await localhost(), await localhost()];
      const [requestStreamId, responseStreamId] = [streamId(), streamId()];
      const responder = new EchoResponder(tsAeron, requestEndpoint, requestStreamId, responseControl, responseStreamId);
      await responder.start(true);
      try {
        const run = () =>
          probe(
            'client',
            javaDriver.aeronDir,
            requestEndpoint,
            requestStreamId,
            responseControl,
            responseStreamId,
            COUNT,
          );
        let done = 0;
        const clients = [run(), run()].map((p) => p.finally(() => done++));
        for (const client of clients) client.catch(() => undefined); // awaited below, after the loop
        while (done < 2) {
          const work = responder.poll();
          await yieldToLoop();
          if (work === 0) await new Promise((r) => setTimeout(r, 1));
        }
        for (const result of await Promise.all(clients)) {
          expect(result.stderr).toBe('');
          expect(result.stdout).toMatch(/^CONNECTED -?\d+ -?\d+$/m);
          expect(result.stdout).toMatch(new RegExp(`^RECEIVED ${COUNT} 0$`, 'm'));
          expect(result.code).toBe(0);
        }
        expect(responder.sessions.size).toBe(2);
        expect(responder.echoed).toBe(2 * COUNT);
        // each client's response image is the session of the response publication made for its request image
        const [a, b] = [...responder.sessions.values()].map((s) => s.publication!.sessionId);
        const imageSessions = (await Promise.all(clients)).map((r) =>
          Number(/^CONNECTED -?\d+ (-?\d+)$/m.exec(r.stdout)![1]),
        );
        expect(imageSessions.sort()).toEqual([a, b].sort());
      } finally {
        responder.close();
      }
    },
    PROBE_DEADLINE_MS + 30_000,
  );

  it(
    `a TS requester on the TS driver, Java's ResponseServer (prototype publication) on the Java driver: ${COUNT} echoes`,
    async () => {
      const [requestEndpoint, responseControl] = [await localhost(), await localhost()];
      const [requestStreamId, responseStreamId] = [streamId(), streamId()];
      const server = probe(
        'server',
        javaDriver.aeronDir,
        requestEndpoint,
        requestStreamId,
        responseControl,
        responseStreamId,
        COUNT,
      );
      server.catch(() => undefined); // awaited below
      const { subscription, publication } = await addRequester(
        tsAeron,
        requestEndpoint,
        requestStreamId,
        responseControl,
        responseStreamId,
      );
      try {
        await awaitCondition(
          'the response subscription and the request publication connected',
          () => subscription.isConnected() && publication.isConnected(),
          60_000,
        );
        const image: Image = subscription.imageAtIndex(0);
        expect(image.sourceIdentity).toBe(responseControl);
        const errors = await exchange(publication, subscription, () => 0, Date.now() + 60_000);
        expect(errors).toBe(0);
      } finally {
        publication.close();
        subscription.close();
      }
      const result = await server;
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(new RegExp(`^SERVED ${COUNT}$`, 'm'));
      expect(result.code).toBe(0);
    },
    PROBE_DEADLINE_MS + 30_000,
  );

  it('on the TS driver: a second response subscription on the channel stays unconnected; a response publication added twice is shared', async () => {
    const [requestEndpoint, responseControl] = [await localhost(), await localhost()];
    const [requestStreamId, responseStreamId] = [streamId(), streamId()];
    const request = await tsAeron.addSubscription(`aeron:udp?endpoint=${requestEndpoint}`, requestStreamId);
    const { subscription, publication } = await addRequester(
      tsAeron,
      requestEndpoint,
      requestStreamId,
      responseControl,
      responseStreamId,
    );
    const other = await tsAeron.addSubscription(
      `aeron:udp?control-mode=response|control=${responseControl}`,
      responseStreamId,
    );
    const opened: { close(): void }[] = [request, subscription, publication, other];
    try {
      await awaitCondition('the request image', () => request.imageCount === 1 && publication.isConnected());
      const url = `aeron:udp?control-mode=response|control=${responseControl}|response-correlation-id=${request.imageAtIndex(0).correlationId}`;
      const responseA = await tsAeron.addPublication(url, responseStreamId);
      opened.push(responseA);
      await awaitCondition('the response connected', () => subscription.isConnected() && responseA.isConnected());
      const responseB = await tsAeron.addPublication(url, responseStreamId);
      opened.push(responseB);
      expect(responseB.originalRegistrationId).toBe(responseA.originalRegistrationId);
      expect(subscription.imageAtIndex(0).sessionId).toBe(responseA.sessionId);
      // a second of wall time to see that the other subscription of the channel is not given the session
      const until = Date.now() + 1_000;
      await awaitCondition('a second', () => Date.now() > until);
      expect(other.isConnected()).toBe(false);
      expect(other.imageCount).toBe(0);
    } finally {
      for (const resource of opened.reverse()) resource.close();
    }
  });

  /** The refusal of `attempt` on `aeron` as `CODE: message` with every number masked. */
  async function refusal(attempt: Promise<unknown>): Promise<string> {
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof RegistrationError)) return `not refused: ${String(error)}`;
    return `${error.errorCodeName}: ${error.driverMessage.replace(/-?\d+/g, 'N')}`;
  }

  /** Bad requests of ResponseChannelsTest, in one order, on `aeron`'s driver. */
  async function refusals(aeron: Aeron): Promise<string[]> {
    const out: string[] = [];
    const control = await localhost();
    const stream = streamId();
    out.push(await refusal(aeron.addPublication(`aeron:udp?control-mode=response|control=${control}`, stream)));
    const responseSubscription = await aeron.addSubscription('aeron:udp?control-mode=response', stream);
    const endpoint = await localhost();
    out.push(
      await refusal(
        aeron.addPublication(
          `aeron:udp?endpoint=${endpoint}|response-correlation-id=${responseSubscription.registrationId + 10}`,
          stream,
        ),
      ),
    );
    responseSubscription.close();
    for (const id of ['what', '-2', '-3']) {
      out.push(
        await refusal(
          aeron.addExclusivePublication(
            `aeron:udp?endpoint=${endpoint}|control-mode=response|response-correlation-id=${id}`,
            stream,
          ),
        ),
      );
    }
    const requestEndpoint = await localhost();
    const request = await aeron.addSubscription(`aeron:udp?endpoint=${requestEndpoint}`, stream);
    const plain = await aeron.addPublication(`aeron:udp?endpoint=${requestEndpoint}`, stream);
    try {
      await awaitCondition('the plain image', () => request.imageCount === 1);
      const correlationId = request.imageAtIndex(0).correlationId;
      const responseControl = await localhost();
      out.push(
        await refusal(
          aeron.addPublication(
            `aeron:udp?control-mode=response|control=${responseControl}|response-correlation-id=${correlationId}`,
            stream + 1,
          ),
        ),
      );
      out.push(
        await refusal(
          aeron.addPublication(
            `aeron:udp?control-mode=response|control=${await localhost()}|response-correlation-id=${correlationId + 1000}`,
            stream + 1,
          ),
        ),
      );
    } finally {
      plain.close();
      request.close();
    }
    // clashes on one endpoint, the second named by its port or (Java findExistingReceiveChannelEndpoint) by tag only
    for (const [first, second] of [
      ['aeron:udp?endpoint=127.0.0.1:P', 'aeron:udp?endpoint=127.0.0.1:P|control-mode=response'],
      ['aeron:udp?control-mode=response|control=127.0.0.1:P', 'aeron:udp?control=127.0.0.1:P'],
      ['aeron:udp?endpoint=127.0.0.1:P|tags=T', 'aeron:udp?tags=T|reliable=false'],
      ['aeron:udp?endpoint=127.0.0.1:P|tags=T', 'aeron:udp?tags=T|rejoin=false'],
    ] as const) {
      const port = String(await freeUdpPort());
      const tag = String(1_000_000 + Number(port));
      const existing = await aeron.addSubscription(first.replace('P', port).replace('T', tag), stream);
      out.push(await refusal(aeron.addSubscription(second.replace('P', port).replace('T', tag), stream)));
      existing.close();
    }
    return out;
  }

  it('refuses bad response-channel requests with the Java driver’s error codes and texts', async () => {
    const java = await refusals(javaAeron);
    const ts = await refusals(tsAeron);
    const G = 'GENERIC_ERROR';
    const I = 'INVALID_CHANNEL';
    expect(java.map((line) => line.slice(0, line.indexOf(':')))).toEqual([G, G, I, I, I, G, G, I, I, I, I]);
    expect(ts).toEqual(java);
  }, 60_000);
});
