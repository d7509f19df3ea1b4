/**
 * Authentication and authorisation of the TypeScript Archive server, with an authenticator written here that
 * follows test/java/ChallengeAuthenticator.java's scheme ("challenge-me:<user>" is challenged with
 * "nonce:<user>:<n>" and must answer "answer:<user>:<n>"; "let-me-in:<user>" is accepted at once; anything else is
 * rejected) and an authorisation service that refuses LIST_RECORDINGS and FIND_LAST_MATCHING_RECORDING to the
 * principal "bob". Our `AeronArchive`
 * (with test/archive/support/challenge-auth.ts's credentials) and Java's (test/java/ArchiveAuthProbe.java) get
 * Java's answers: OK after the challenge, ERROR AUTHENTICATION_REJECTED (10) "authentication rejected", ERROR
 * UNAUTHORISED_ACTION (13) "unauthorised action".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FindLastMatchingRecordingRequestDecoder } from '../../codecs/generated/archive/FindLastMatchingRecordingRequestDecoder.ts';
import { ListRecordingsRequestDecoder } from '../../codecs/generated/archive/ListRecordingsRequestDecoder.ts';
import { aeronJarPath } from '../../harness/aeron-jars.ts';
import { type DriverHandle, startMediaDriver } from '../../harness/driver.ts';
import { AERON_JVM_FLAGS, compileJava, runJava } from '../../harness/java.ts';
import { AeronArchive } from '../../src/archive/aeron-archive.ts';
import type { ArchiveError } from '../../src/archive/archive-error.ts';
import type { CredentialsSupplier } from '../../src/archive/credentials.ts';
import { Archive } from '../../src/archive-server/archive.ts';
import type { Authenticator, AuthorisationService, SessionProxy } from '../../src/archive-server/authenticator.ts';
import { Aeron } from '../../src/client/aeron.ts';
import { listAll } from '../archive/support/archive-interop.ts';
import { challengeCredentials, expectAuthenticationRejected } from '../archive/support/challenge-auth.ts';
import { describeInterop } from '../support/describe-interop.ts';
import { removeScratch, scratchDir } from './support.ts';

const IPC = 'aeron:ipc?term-length=64k';
const utf8 = new TextEncoder();
const text = new TextDecoder();

/** ChallengeAuthenticator.java's scheme, in TypeScript; `log` lists its decisions. */
class ChallengeAuthenticator implements Authenticator {
  readonly log: string[] = [];
  readonly #decisions = new Map<number, 'CHALLENGE' | 'ACCEPT' | 'REJECT'>();
  readonly #users = new Map<number, string>();
  readonly #expected = new Map<number, string>();
  #nonce = 1000;

  onConnectRequest(sessionId: number, encodedCredentials: Uint8Array): void {
    const credentials = text.decode(encodedCredentials);
    if (credentials.startsWith('challenge-me:')) {
      this.#decisions.set(sessionId, 'CHALLENGE');
      this.#users.set(sessionId, credentials.slice('challenge-me:'.length));
    } else if (credentials.startsWith('let-me-in:')) {
      this.#decisions.set(sessionId, 'ACCEPT');
      this.#users.set(sessionId, credentials.slice('let-me-in:'.length));
    } else {
      this.#decisions.set(sessionId, 'REJECT');
    }
  }

  onChallengeResponse(sessionId: number, encodedCredentials: Uint8Array): void {
    const answer = text.decode(encodedCredentials);
    const expected = this.#expected.get(sessionId);
    this.#expected.delete(sessionId);
    this.#decisions.set(sessionId, answer === expected ? 'ACCEPT' : 'REJECT');
  }

  onConnectedSession(proxy: SessionProxy): void {
    const sessionId = proxy.sessionId();
    const decision = this.#decisions.get(sessionId);
    if (decision === 'CHALLENGE') {
      const user = this.#users.get(sessionId) as string;
      const n = ++this.#nonce;
      if (proxy.challenge(utf8.encode(`nonce:${user}:${n}`))) {
        this.#expected.set(sessionId, `answer:${user}:${n}`);
        this.#decisions.delete(sessionId);
      }
    } else {
      this.#decide(proxy, decision);
    }
  }

  onChallengedSession(proxy: SessionProxy): void {
    this.#decide(proxy, this.#decisions.get(proxy.sessionId()));
  }

  #decide(proxy: SessionProxy, decision: string | undefined): void {
    const sessionId = proxy.sessionId();
    if (decision === 'ACCEPT') {
      const user = this.#users.get(sessionId) as string;
      if (proxy.authenticate(utf8.encode(user))) {
        this.log.push(`authenticated ${user}`);
        this.#decisions.delete(sessionId);
      }
    } else if (decision === 'REJECT') {
      proxy.reject();
      this.log.push(`rejected ${sessionId}`);
      this.#decisions.delete(sessionId);
    }
  }
}

/** Refuses LIST_RECORDINGS and FIND_LAST_MATCHING_RECORDING to the principal "bob". */
const DENIED_TO_BOB = [ListRecordingsRequestDecoder.TEMPLATE_ID, FindLastMatchingRecordingRequestDecoder.TEMPLATE_ID];
const noListingForBob: AuthorisationService = {
  isAuthorised: (protocolId, actionId, _type, principal) =>
    !(protocolId === 101 && DENIED_TO_BOB.includes(actionId) && principal !== null && text.decode(principal) === 'bob'),
};

describeInterop('TypeScript Archive server: authentication (challenge/response) and authorisation', () => {
  let driver: DriverHandle;
  let archiveDir: string;
  let server: Archive;
  let aeron: Aeron;
  let classes: string;
  const authenticator = new ChallengeAuthenticator();

  const connect = (credentialsSupplier?: CredentialsSupplier): Promise<AeronArchive> =>
    AeronArchive.connect({
      aeron,
      controlRequestChannel: IPC,
      controlRequestStreamId: 10,
      controlResponseChannel: IPC,
      messageTimeoutMs: 10_000,
      ...(credentialsSupplier === undefined ? {} : { credentialsSupplier }),
    });

  async function rejected(promise: Promise<AeronArchive>): Promise<ArchiveError> {
    const error = await promise.then(
      (client) => {
        client.close();
        throw new Error('connect succeeded but should have been rejected');
      },
      (e: unknown) => e,
    );
    return expectAuthenticationRejected(error);
  }

  async function probe(...args: string[]): Promise<string[]> {
    const result = await runJava({
      classpath: [classes, aeronJarPath()],
      mainClass: 'ArchiveAuthProbe',
      jvmArgs: AERON_JVM_FLAGS,
      args: [driver.aeronDir, IPC, '10', IPC, ...args],
      timeoutMs: 120_000,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout.split('\n').filter((l) => l.length > 0 && l !== 'done');
  }

  beforeAll(async () => {
    classes = compileJava({ sources: ['test/java/ArchiveAuthProbe.java'], classpath: [aeronJarPath()] });
    driver = await startMediaDriver();
    archiveDir = scratchDir('auth');
    server = await Archive.launch({
      aeronDir: driver.aeronDir,
      archiveDir,
      archiveId: 99,
      authenticator,
      authorisationService: noListingForBob,
    });
    aeron = await Aeron.connect({ aeronDir: driver.aeronDir, driverTimeoutMs: 10_000 });
  }, 120_000);

  afterAll(async () => {
    aeron?.close();
    await server?.close();
    await driver?.stop();
    if (archiveDir !== undefined) removeScratch(archiveDir);
  }, 60_000);

  it('connects our client after a correct answer to the challenge; the session works', async () => {
    const credentials = challengeCredentials('challenge-me:alice');
    const client = await connect(credentials);
    try {
      expect(credentials.challenges).toHaveLength(1);
      expect(credentials.challenges[0]).toMatch(/^nonce:alice:\d+$/);
      expect(client.archiveId).toBe(99n);
      expect(await listAll(client)).toEqual([]);
    } finally {
      client.close();
    }
    expect(authenticator.log).toContain('authenticated alice');
  }, 60_000);

  it('rejects wrong credentials, a wrong answer and no credentials with AUTHENTICATION_REJECTED', async () => {
    await rejected(connect(challengeCredentials('mallory:guess')));
    const wrong = challengeCredentials('challenge-me:carol', 'answer:carol:0');
    await rejected(connect(wrong));
    expect(wrong.challenges).toHaveLength(1);
    await rejected(connect());
    const later = await connect(challengeCredentials('let-me-in:dave'));
    later.close();
  }, 60_000);

  it('refuses an unauthorised request with UNAUTHORISED_ACTION and allows the others', async () => {
    const client = await connect(challengeCredentials('let-me-in:bob'));
    try {
      const error = await listAll(client).then(
        () => null,
        (e: unknown) => e as ArchiveError,
      );
      expect(error?.errorCode).toBe(13);
      expect(error?.message).toContain('unauthorised action');
      const find = await client.findLastMatchingRecording(0, '', 1, 1).catch((e: unknown) => String(e));
      expect(find).toContain('unauthorised action');
      const start = await client.getStartPosition(0).catch((e: unknown) => String(e));
      expect(start).toContain('unknown recording id: 0');
    } finally {
      client.close();
    }
  }, 60_000);

  it("answers Java's AeronArchive the same way", async () => {
    const challenged = await probe('challenge-me:erin');
    expect(challenged[0]).toMatch(/^challenge nonce:erin:\d+$/);
    expect(challenged.slice(1)).toEqual(['connected', 'found -1']);
    expect(await probe('let-me-in:frank')).toEqual(['connected', 'found -1']);
    const wrong = await probe('challenge-me:grace', 'answer:grace:0');
    expect(wrong[1]).toMatch(/^error code=10 .*authentication rejected/);
    expect((await probe('nobody'))[0]).toMatch(/^error code=10 .*authentication rejected/);
    const bob = await probe('let-me-in:bob');
    expect(bob[0]).toBe('connected');
    expect(bob[1]).toMatch(/^error code=13 .*unauthorised action/);
  }, 180_000);
});
